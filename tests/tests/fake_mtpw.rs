//! Behaviour of the fake MTPW: implicit flow, create, import with owner checks and body-level errors.

use std::time::Duration;

use mtp_testkit::fake::{FakeMtpw, FaultKind, FaultRule, MtpwConfig};
use reqwest::{redirect, Client, StatusCode};
use serde_json::{json, Value};

fn http() -> Client {
    Client::builder()
        .redirect(redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

async fn create(fake: &FakeMtpw, token: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = http()
        .post(format!("{}/api/v1/sequence/create/", fake.base_url()))
        .bearer_auth(token)
        .form(form)
        .send()
        .await
        .expect("create");
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

async fn import(fake: &FakeMtpw, token: &str, path: &str, body: Value) -> reqwest::Response {
    http()
        .put(format!("{}{path}", fake.base_url()))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("import")
}

#[tokio::test]
async fn authorize_redirects_with_token_in_fragment() {
    let fake = FakeMtpw::start(MtpwConfig {
        auto_approve: true,
        ..MtpwConfig::default()
    })
    .await
    .expect("start");
    let authorize = |redirect_uri: &str, client_id: String| {
        http()
            .get(format!("{}/accounts/authorize", fake.base_url()))
            .query(&[
                ("client_id", client_id.as_str()),
                ("response_type", "token"),
                ("redirect_uri", redirect_uri),
                ("state", "s 1"),
            ])
            .send()
    };
    let response = authorize("mtp-strava-uploader://mtpw/callback", fake.client_id())
        .await
        .expect("authorize");
    assert_eq!(response.status(), StatusCode::FOUND);
    let location = response.headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let (base, fragment) = location.split_once('#').expect("fragment");
    assert_eq!(base, "mtp-strava-uploader://mtpw/callback");
    let pairs: std::collections::HashMap<String, String> =
        url::form_urlencoded::parse(fragment.as_bytes())
            .into_owned()
            .collect();
    assert_eq!(pairs["token_type"], "Bearer");
    assert_eq!(pairs["state"], "s 1");
    let (status, _) = create(
        &fake,
        &pairs["access_token"],
        &[("name", "A long name"), ("transport_type", "bicycle")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let wrong_client = authorize("http://127.0.0.1:1/cb", "nope".into())
        .await
        .expect("authorize");
    assert_eq!(wrong_client.status(), StatusCode::BAD_REQUEST);
    let foreign = authorize("https://evil.example/cb", fake.client_id())
        .await
        .expect("authorize");
    assert_eq!(foreign.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn create_and_import_follow_the_real_rules() {
    let fake = FakeMtpw::start(MtpwConfig::default()).await.expect("start");
    let owner = fake.issue_token(fake.user().id);
    let stranger = fake.issue_token(fake.register_user("stranger").id);

    let (status, _) = create(&fake, "bogus", &[("name", "x"), ("transport_type", "Walk")]).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = create(&fake, &owner, &[("transport_type", "Walk")]).await;
    assert_eq!(
        (status, body["status"].clone()),
        (StatusCode::OK, json!(false))
    );
    let (_, body) = create(
        &fake,
        &owner,
        &[("name", "Thames walk"), ("transport_type", "Teleport")],
    )
    .await;
    assert_eq!(body["status"], false);
    let (_, body) = create(
        &fake,
        &owner,
        &[
            ("name", "Thames walk"),
            ("transport_type", "walk"),
            ("tag", "river,city"),
        ],
    )
    .await;
    assert_eq!(body["status"], "success");
    let id = body["unique_id"].as_str().expect("unique_id").to_string();
    assert!(uuid::Uuid::parse_str(&id).is_ok());

    let no_slash = import(
        &fake,
        &owner,
        &format!("/api/v1/sequence/import/{id}"),
        json!({"strava": "true"}),
    )
    .await;
    assert_eq!(no_slash.status(), StatusCode::NOT_FOUND);
    let path = format!("/api/v1/sequence/import/{id}/");
    let not_owner = import(&fake, &stranger, &path, json!({"strava": "true"})).await;
    assert_eq!(not_owner.status(), StatusCode::OK);
    assert_eq!(
        not_owner.json::<Value>().await.expect("json"),
        json!({"error": "You are not owner of this sequence", "status": false})
    );
    let too_long = import(&fake, &owner, &path, json!({"strava": "x".repeat(51)})).await;
    assert_eq!(
        too_long.json::<Value>().await.expect("json")["status"],
        false
    );
    let ok = import(&fake, &owner, &path, json!({"strava": "true"})).await;
    assert_eq!(
        ok.json::<Value>().await.expect("json"),
        json!({"message": "Strava is updated \n", "status": true})
    );
    let unknown = import(
        &fake,
        &owner,
        "/api/v1/sequence/import/00000000-0000-0000-0000-000000000000/",
        json!({"strava": "true"}),
    )
    .await;
    assert_eq!(unknown.status(), StatusCode::INTERNAL_SERVER_ERROR);

    let state = fake.state_json();
    assert_eq!(state["sequences"][0]["strava"], "true");
    assert_eq!(state["sequences"][0]["tags"], json!(["river", "city"]));
}

#[tokio::test]
async fn faults_and_inspection_work_on_mtpw_too() {
    let fake = FakeMtpw::start(MtpwConfig::default()).await.expect("start");
    let token = fake.issue_token(fake.user().id);
    fake.add_fault(FaultRule::next(
        "POST /api/v1/sequence/create/",
        FaultKind::Status { status: 502 },
        1,
    ));
    let (status, _) = create(
        &fake,
        &token,
        &[("name", "Thames walk"), ("transport_type", "Walk")],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    let (status, _) = create(
        &fake,
        &token,
        &[("name", "Thames walk"), ("transport_type", "Walk")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let script = json!({"route": "POST /api/v1/**", "kind": "revoke_token"});
    http()
        .post(format!("{}/__fake/faults", fake.base_url()))
        .json(&script)
        .send()
        .await
        .expect("script");
    let (status, _) = create(
        &fake,
        &token,
        &[("name", "Thames walk"), ("transport_type", "Walk")],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, _) = create(
        &fake,
        &token,
        &[("name", "Thames walk"), ("transport_type", "Walk")],
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "revoked for good");

    let requests: Value = http()
        .get(format!("{}/__fake/requests", fake.base_url()))
        .send()
        .await
        .expect("requests")
        .json()
        .await
        .expect("json");
    let creates: Vec<&Value> = requests
        .as_array()
        .expect("array")
        .iter()
        .filter(|r| r["path"] == "/api/v1/sequence/create/")
        .collect();
    assert_eq!(creates.len(), 4);
    assert_eq!(creates[0]["form"]["name"], "Thames walk");
    assert_eq!(
        creates[0]["headers"]["authorization"],
        format!("Bearer {token}")
    );
    http()
        .post(format!("{}/__fake/reset", fake.base_url()))
        .send()
        .await
        .expect("reset");
    assert_eq!(fake.state_json()["sequences"], json!([]));
}
