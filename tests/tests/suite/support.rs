//! What the fake-service tests share: an HTTP client that shows redirects instead of
//! following them, and the `/__fake/` inspection API both fakes serve (tests/FAKES.md).

use std::time::Duration;

use reqwest::{redirect, Client, Response};
use serde_json::Value;

/// A client that does not follow redirects (the tests read `Location`) and gives up after 10 s.
pub fn http() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

/// The JSON body of `response`.
pub async fn json_of(response: Response) -> Value {
    response.json().await.expect("JSON body")
}

/// `POST /__fake/faults` on the fake at `base_url` with `script` (one rule or `{"faults": [...]}`).
pub async fn script_faults(base_url: &str, script: &Value) -> Response {
    http()
        .post(format!("{base_url}/__fake/faults"))
        .json(script)
        .send()
        .await
        .expect("script")
}

/// `GET <base_url><path>` of an inspection route (`/__fake/state`, `/__fake/requests`) as JSON.
pub async fn inspect(base_url: &str, path: &str) -> Value {
    json_of(
        http()
            .get(format!("{base_url}{path}"))
            .send()
            .await
            .expect(path),
    )
    .await
}

/// `POST /__fake/reset` on the fake at `base_url`.
pub async fn reset(base_url: &str) -> Response {
    http()
        .post(format!("{base_url}/__fake/reset"))
        .send()
        .await
        .expect("reset")
}
