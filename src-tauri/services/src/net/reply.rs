//! Every reply is read here: a redirect is an error naming its Location, and the body is read
//! up to a cap (a larger Content-Length is refused before reading, a body that grows past the
//! cap is stopped there).

use reqwest::{header, Response, StatusCode};
use url::Url;

use super::{cut, Blocked, MAX_SERVER_TEXT};

/// The cap of a JSON reply (every reply the services send the app is one, or an error page).
pub const MAX_JSON_REPLY: usize = 1024 * 1024;

/// A reply read in full.
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub body: Vec<u8>,
}

/// Why a reply could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// A redirect, or a body past the cap.
    Blocked(Blocked),
    /// The connection broke or timed out while reading.
    Transport(reqwest::Error),
}

/// Reads `response`: a 3xx is [`Blocked::Redirect`] (the client follows none, so nothing went
/// to its Location); a body of more than `limit` bytes is [`Blocked::TooLarge`], refused from
/// its Content-Length before any of it is read, or stopped as soon as it grows past `limit`.
pub async fn read_reply(mut response: Response, limit: usize) -> Result<Reply, ReadError> {
    let status = response.status();
    if status.is_redirection() {
        return Err(ReadError::Blocked(Blocked::Redirect {
            status: status.as_u16(),
            location: location_of(&response),
        }));
    }
    let too_large = || ReadError::Blocked(Blocked::TooLarge { limit });
    if response
        .content_length()
        .is_some_and(|length| length > limit as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Transport)? {
        if body.len() + chunk.len() > limit {
            // Dropping the response closes the connection: the rest is never read.
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Reply { status, body })
}

/// The Location of a redirect for messages: absolute, its query and fragment left out (they
/// could carry anything), cut to [`MAX_SERVER_TEXT`] characters.
fn location_of(response: &Response) -> String {
    let Some(location) = response.headers().get(header::LOCATION) else {
        return "no Location".into();
    };
    let location = String::from_utf8_lossy(location.as_bytes()).into_owned();
    let shown = match response.url().join(location.trim()) {
        Ok(url) => without_query(url),
        Err(_) => location.split(['?', '#']).next().unwrap_or("").to_string(),
    };
    cut(&shown, MAX_SERVER_TEXT)
}

fn without_query(mut url: Url) -> String {
    let had_query = url.query().is_some() || url.fragment().is_some();
    url.set_query(None);
    url.set_fragment(None);
    if had_query {
        format!("{url}?…")
    } else {
        url.to_string()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use axum::body::Body;
    use axum::routing::get;
    use axum::Router;

    use super::*;
    use crate::net::test_server::{redirecting_to, serve};
    use crate::net::{http_client, HttpTimeouts};

    const TEN_MB: usize = 10 * 1024 * 1024;

    async fn get_reply(url: &str) -> Result<Reply, ReadError> {
        let http = http_client(HttpTimeouts::default()).unwrap();
        let response = http.get(url).send().await.unwrap();
        read_reply(response, MAX_JSON_REPLY).await
    }

    fn too_large(result: Result<Reply, ReadError>) -> bool {
        matches!(
            result,
            Err(ReadError::Blocked(Blocked::TooLarge { limit })) if limit == MAX_JSON_REPLY
        )
    }

    #[tokio::test]
    async fn a_small_reply_is_read_whole() {
        let base = serve(Router::new().route("/", get(|| async { "{\"ok\":true}" }))).await;
        let reply = get_reply(&format!("{base}/")).await.unwrap();
        assert_eq!(reply.status, StatusCode::OK);
        assert_eq!(reply.body, b"{\"ok\":true}");
    }

    #[tokio::test]
    async fn ten_megabytes_with_a_content_length_are_refused_before_reading() {
        let base = serve(Router::new().route("/", get(|| async { vec![b'#'; TEN_MB] }))).await;
        let started = Instant::now();
        let result = get_reply(&format!("{base}/")).await;
        assert!(too_large(result), "a 10 MB reply must be refused");
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[tokio::test]
    async fn a_chunked_body_that_never_ends_is_stopped_at_the_cap() {
        // No Content-Length: garbage in 64 KiB chunks, without end. Reading it all would never
        // finish; the read must stop once it grew past 1 MiB.
        let produced = Arc::new(AtomicUsize::new(0));
        let counter = produced.clone();
        let route = get(move || {
            let counter = counter.clone();
            async move {
                let chunks = futures_util::stream::repeat_with(move || {
                    counter.fetch_add(64 * 1024, Ordering::Relaxed);
                    Ok::<_, std::io::Error>(vec![b'~'; 64 * 1024])
                });
                Body::from_stream(chunks)
            }
        });
        let base = serve(Router::new().route("/", route)).await;
        let started = Instant::now();
        let result = get_reply(&format!("{base}/")).await;
        assert!(too_large(result), "an endless body must be stopped");
        assert!(started.elapsed() < Duration::from_secs(5));
        // What the server pushed before the connection closed fits in the socket buffers: far
        // from "all of it" (which has no end).
        assert!(produced.load(Ordering::Relaxed) >= MAX_JSON_REPLY);
    }

    #[tokio::test]
    async fn a_redirect_is_an_error_naming_its_location_without_its_query() {
        let base = redirecting_to("https://elsewhere.example").await;
        let result = get_reply(&format!("{base}/oauth/token")).await;
        match result {
            Err(ReadError::Blocked(Blocked::Redirect { status, location })) => {
                assert_eq!(status, 307);
                assert_eq!(location, "https://elsewhere.example/oauth/token?…");
            }
            other => panic!("expected a refused redirect, got {other:?}"),
        }
        let relative = serve(Router::new().route(
            "/a",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "/b")]) }),
        ))
        .await;
        match get_reply(&format!("{relative}/a")).await {
            Err(ReadError::Blocked(blocked)) => assert_eq!(
                blocked.to_string(),
                format!("redirected to {relative}/b (HTTP 302); the app does not follow redirects")
            ),
            other => panic!("expected a refused redirect, got {other:?}"),
        }
    }
}
