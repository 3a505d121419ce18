//! A Map the Paths sequence id in whatever the user pastes: a link to the sequence, or its UUID.

/// The UUID in a pasted MTPW link or id, lower-cased; `None` when there is none.
pub fn parse_mtpw_id(text: &str) -> Option<String> {
    let text = text.trim();
    let path = text.split(['?', '#']).next().unwrap_or(text);
    let mut segments = path.split('/').rev().filter(|segment| !segment.is_empty());
    let last = segments.next()?;
    // The sequence page the app links to is `<site>/sequence/<uuid>/detail`.
    let segment = if last.eq_ignore_ascii_case("detail") {
        segments.next()?
    } else {
        last
    };
    is_uuid(segment).then(|| segment.to_ascii_lowercase())
}

fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, len)| g.len() == len && g.chars().all(|c| c.is_ascii_hexdigit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_and_bare_ids_are_accepted_and_anything_else_refused() {
        let id = "9B1DEB4D-3B7D-4BAD-9BDD-2B0D7B3DCB6D";
        assert_eq!(
            parse_mtpw_id(id).as_deref(),
            Some("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
        );
        assert_eq!(
            parse_mtpw_id(&format!(
                "https://www.mapthepaths.com/sequence/{id}/?tab=map"
            ))
            .as_deref(),
            Some("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
        );
        assert_eq!(
            parse_mtpw_id(&format!("https://www.mapthepaths.com/sequence/{id}/detail")).as_deref(),
            Some("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d")
        );
        assert_eq!(
            parse_mtpw_id("https://www.mapthepaths.com/sequence/detail"),
            None
        );
        assert_eq!(parse_mtpw_id("https://www.mapthepaths.com/sequence/"), None);
        assert_eq!(parse_mtpw_id("9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6"), None);
        assert_eq!(parse_mtpw_id(""), None);
    }
}
