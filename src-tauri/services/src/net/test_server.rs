//! Small local servers for the tests of the clients: one route set on 127.0.0.1, and a
//! recorder that keeps every request it gets (to prove that nothing reached it).

use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, Uri};
use axum::Router;

/// Serves `router` on `ip` (a loopback address) at a free port; answers `http://ip:port`.
pub async fn serve_on(ip: &str, router: Router) -> String {
    let listener = tokio::net::TcpListener::bind((ip, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let _ = axum::serve(listener, router).await;
    });
    format!("http://{ip}:{port}")
}

/// [`serve_on`] 127.0.0.1.
pub async fn serve(router: Router) -> String {
    serve_on("127.0.0.1", router).await
}

/// A request as the recorder got it: method, path, headers and body in one text.
pub type Hits = Arc<Mutex<Vec<String>>>;

/// A server on `ip` that answers 200 `{}` to anything and keeps each request it got.
pub async fn recorder_on(ip: &str) -> (String, Hits) {
    let hits: Hits = Arc::default();
    let kept = hits.clone();
    let router = Router::new().fallback(
        move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
            let kept = kept.clone();
            async move {
                kept.lock().unwrap().push(format!(
                    "{method} {uri} {headers:?} {}",
                    String::from_utf8_lossy(&body)
                ));
                "{}"
            }
        },
    );
    (serve_on(ip, router).await, hits)
}

/// [`recorder_on`] 127.0.0.1.
pub async fn recorder() -> (String, Hits) {
    recorder_on("127.0.0.1").await
}

/// A server whose every route answers `307 Temporary Redirect` to `target` + the same path.
pub async fn redirecting_to(target: &str) -> String {
    let target = target.to_string();
    let router = Router::new().fallback(move |uri: Uri| {
        let location = format!("{target}{}?token=kept-out", uri.path());
        async move {
            (
                axum::http::StatusCode::TEMPORARY_REDIRECT,
                [(axum::http::header::LOCATION, location)],
            )
        }
    });
    serve(router).await
}
