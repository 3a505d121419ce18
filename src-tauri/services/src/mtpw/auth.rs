//! Map the Paths Web sign-in: the implicit-flow authorize URL (the token itself comes back in
//! the redirect's fragment through [`crate::oauth`]).

/// The site root of a Map the Paths base given as `https://host` or `https://host/api/v1`.
pub fn site_root(mtpw_base: &str) -> &str {
    let base = mtpw_base.trim_end_matches('/');
    base.strip_suffix("/api/v1").unwrap_or(base)
}

/// `{mtpw}/accounts/authorize?client_id&response_type=token&redirect_uri&state`.
pub fn authorize_url(mtpw_base: &str, client_id: &str, redirect_uri: &str, state: &str) -> String {
    let enc =
        |value: &str| url::form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>();
    format!(
        "{}/accounts/authorize?client_id={}&response_type=token&redirect_uri={}&state={}",
        site_root(mtpw_base),
        enc(client_id),
        enc(redirect_uri),
        enc(state)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorize_url_from_either_base() {
        let expected = "https://mtp.example/accounts/authorize?client_id=abc&response_type=token&redirect_uri=mtp-strava-uploader%3A%2F%2Flocalhost%2Fmtpw%2Fcallback&state=s";
        for base in [
            "https://mtp.example",
            "https://mtp.example/",
            "https://mtp.example/api/v1",
        ] {
            assert_eq!(
                authorize_url(
                    base,
                    "abc",
                    "mtp-strava-uploader://localhost/mtpw/callback",
                    "s"
                ),
                expected
            );
        }
    }
}
