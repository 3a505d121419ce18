//! Behaviour of the fake MTPW: implicit flow with registered redirect URIs, create, import
//! by Content-Type, body-level errors, and the real server's failures.

use mtp_testkit::fake::{FakeMtpw, FaultKind, FaultRule, MtpwConfig};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::support::{http, inspect, reset, script_faults};

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
    let config = MtpwConfig {
        auto_approve: true,
        ..MtpwConfig::default()
    }
    .for_redirect_uri("mtp-strava-uploader://mtpw/callback");
    let fake = FakeMtpw::start(config).await.expect("start");
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

    let wrong_client = authorize("mtp-strava-uploader://mtpw/callback", "nope".into())
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
    assert_eq!(status, StatusCode::FORBIDDEN);
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

    let path = format!("/api/v1/sequence/import/{id}/");
    let not_owner = import(
        &fake,
        &stranger,
        &path,
        json!({"mapillary_sequence_key": "k"}),
    )
    .await;
    assert_eq!(not_owner.status(), StatusCode::OK);
    assert_eq!(
        not_owner.json::<Value>().await.expect("json"),
        json!({"error": "You are not owner of this sequence", "status": false})
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
    script_faults(&fake.base_url(), &script).await;
    let (status, _) = create(
        &fake,
        &token,
        &[("name", "Thames walk"), ("transport_type", "Walk")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = create(
        &fake,
        &token,
        &[("name", "Thames walk"), ("transport_type", "Walk")],
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "revoked for good");

    let requests = inspect(&fake.base_url(), "/__fake/requests").await;
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
    reset(&fake.base_url()).await;
    assert_eq!(fake.state_json()["sequences"], json!([]));
}

// ---- Issue 7: the fake follows MTPW's source. ----

async fn authorize_at(fake: &FakeMtpw, redirect_uri: &str) -> reqwest::Response {
    http()
        .get(format!("{}/accounts/authorize", fake.base_url()))
        .query(&[
            ("client_id", fake.client_id().as_str()),
            ("response_type", "token"),
            ("redirect_uri", redirect_uri),
        ])
        .send()
        .await
        .expect("authorize")
}

fn fragment_of(response: &reqwest::Response) -> std::collections::HashMap<String, String> {
    let location = response.headers()["location"].to_str().expect("location");
    let (_, fragment) = location.split_once('#').expect("fragment");
    url::form_urlencoded::parse(fragment.as_bytes())
        .into_owned()
        .collect()
}

#[tokio::test]
async fn not_authenticated_is_403_and_the_bearer_prefix_is_case_sensitive() {
    let fake = FakeMtpw::start(MtpwConfig::default()).await.expect("start");
    let token = fake.issue_token(fake.user().id);
    let form = [("name", "Thames walk"), ("transport_type", "Walk")];
    let send = |authorization: Option<String>| {
        let mut request = http()
            .post(format!("{}/api/v1/sequence/create/", fake.base_url()))
            .form(&form);
        if let Some(value) = authorization {
            request = request.header("Authorization", value);
        }
        request.send()
    };
    for authorization in [
        None,
        Some("Bearer nope".to_string()),
        Some(format!("bearer {token}")),
        Some(format!("BEARER {token}")),
    ] {
        let response = send(authorization.clone()).await.expect("create");
        assert_eq!(
            response.status(),
            StatusCode::FORBIDDEN,
            "{authorization:?}"
        );
        assert_eq!(
            response.json::<Value>().await.expect("json"),
            json!({"detail": "Authentication credentials were not provided."})
        );
    }
    let ok = send(Some(format!("Bearer {token}"))).await.expect("create");
    assert_eq!(ok.status(), StatusCode::OK);

    let old = FakeMtpw::start(MtpwConfig {
        unauthenticated_status: 401,
        ..MtpwConfig::default()
    })
    .await
    .expect("start");
    let (status, _) = create(&old, "nope", &form).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn import_reads_the_body_by_its_content_type() {
    let fake = FakeMtpw::start(MtpwConfig::default()).await.expect("start");
    let token = fake.issue_token(fake.user().id);
    let (_, created) = create(
        &fake,
        &token,
        &[("name", "Thames walk"), ("transport_type", "Walk")],
    )
    .await;
    let id = created["unique_id"]
        .as_str()
        .expect("unique_id")
        .to_string();
    let url = format!("{}/api/v1/sequence/import/{id}/", fake.base_url());
    let put = |content_type: Option<&str>, body: &str| {
        let mut request = http().put(&url).bearer_auth(&token).body(body.to_string());
        if let Some(content_type) = content_type {
            request = request.header("Content-Type", content_type);
        }
        request.send()
    };
    let form = put(Some("application/x-www-form-urlencoded"), "strava=true")
        .await
        .expect("form");
    assert_eq!(
        form.json::<Value>().await.expect("json"),
        json!({"message": "Strava is updated \n", "status": true})
    );
    let json_body = put(Some("application/json"), r#"{"strava": "12345678901"}"#)
        .await
        .expect("json");
    assert_eq!(
        json_body.json::<Value>().await.expect("json")["status"],
        true
    );
    assert_eq!(fake.state_json()["sequences"][0]["strava"], "12345678901");

    let untyped = put(None, r#"{"strava": "1"}"#).await.expect("untyped");
    assert_eq!(untyped.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        untyped.json::<Value>().await.expect("json"),
        json!({"detail": "Unsupported media type \"\" in request."})
    );
    let invalid = put(Some("application/json"), "{strava")
        .await
        .expect("invalid");
    assert_eq!(invalid.status(), StatusCode::BAD_REQUEST);
    assert!(invalid.json::<Value>().await.expect("json")["detail"]
        .as_str()
        .unwrap_or_default()
        .starts_with("JSON parse error"));

    let unslashed = http()
        .put(format!("{}/api/v1/sequence/import/{id}", fake.base_url()))
        .bearer_auth(&token)
        .json(&json!({"strava": "1"}))
        .send()
        .await
        .expect("unslashed");
    assert_eq!(unslashed.status(), StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        unslashed.headers()["location"],
        format!("/api/v1/sequence/import/{id}/").as_str()
    );
}

#[tokio::test]
async fn strava_has_no_owner_check_and_too_long_a_value_is_a_500_page() {
    let fake = FakeMtpw::start(MtpwConfig::default()).await.expect("start");
    let owner = fake.issue_token(fake.user().id);
    let stranger = fake.issue_token(fake.register_user("stranger").id);
    let (_, created) = create(
        &fake,
        &owner,
        &[("name", "Thames walk"), ("transport_type", "Walk")],
    )
    .await;
    let path = format!(
        "/api/v1/sequence/import/{}/",
        created["unique_id"].as_str().expect("id")
    );
    let by_stranger = import(&fake, &stranger, &path, json!({"strava": "98765"})).await;
    assert_eq!(
        by_stranger.json::<Value>().await.expect("json"),
        json!({"message": "Strava is updated \n", "status": true})
    );
    let fifty = import(&fake, &owner, &path, json!({"strava": "x".repeat(50)})).await;
    assert_eq!(fifty.status(), StatusCode::OK);
    let too_long = import(&fake, &owner, &path, json!({"strava": "x".repeat(51)})).await;
    assert_eq!(too_long.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(too_long.headers()["content-type"]
        .to_str()
        .unwrap_or_default()
        .starts_with("text/html"));
    assert_eq!(fake.state_json()["sequences"][0]["strava"], "x".repeat(50));
}

#[tokio::test]
async fn redirect_uris_must_be_registered_and_their_scheme_allowed() {
    let fake = FakeMtpw::start(MtpwConfig {
        auto_approve: true,
        ..MtpwConfig::default()
    })
    .await
    .expect("start");
    let desktop = authorize_at(&fake, "app.mtp.desktop://app").await;
    assert_eq!(desktop.status(), StatusCode::FOUND);
    for refused in [
        "mtp-strava-uploader://mtpw/callback",
        "http://127.0.0.1:1/cb",
        "app.mtp.desktop://app/other",
    ] {
        let response = authorize_at(&fake, refused).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{refused}");
    }

    // Registered but its scheme not allowed: Django refuses the redirect.
    let fake = FakeMtpw::start(
        MtpwConfig {
            auto_approve: true,
            ..MtpwConfig::default()
        }
        .with_redirect_uri("http://127.0.0.1/mtpw/callback"),
    )
    .await
    .expect("start");
    let response = authorize_at(&fake, "http://127.0.0.1:5000/mtpw/callback").await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    fake.allow_scheme("http");
    for port in [5000, 61_234] {
        let uri = format!("http://127.0.0.1:{port}/mtpw/callback");
        let response = authorize_at(&fake, &uri).await;
        assert_eq!(response.status(), StatusCode::FOUND, "{uri}");
        assert!(response.headers()["location"]
            .to_str()
            .unwrap_or_default()
            .starts_with(&format!("{uri}#access_token=")));
    }
    let other_path = authorize_at(&fake, "http://127.0.0.1:5000/elsewhere").await;
    assert_eq!(other_path.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        fake.state_json()["allowed_schemes"],
        json!(["app.mtp.desktop", "http"])
    );
}

#[tokio::test]
async fn messages_token_lifetime_and_create_without_slash_are_mtpws() {
    let fake = FakeMtpw::start(MtpwConfig {
        auto_approve: true,
        ..MtpwConfig::default()
    })
    .await
    .expect("start");
    let fragment = fragment_of(&authorize_at(&fake, "app.mtp.desktop://app").await);
    assert_eq!(fragment["expires_in"], "600000000");
    let token = fragment["access_token"].clone();
    let cases: [(&[(&str, &str)], &str); 3] = [
        (&[("transport_type", "Walk")], "Sequence Name is missing"),
        (&[("name", "Thames walk")], "Transport type is missing"),
        (
            &[("name", "Thames walk"), ("transport_type", "Teleport")],
            "Transport type is invalid",
        ),
    ];
    for (form, message) in cases {
        let (status, body) = create(&fake, &token, form).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, json!({"error": message, "status": false}));
    }
    let unslashed = http()
        .post(format!("{}/api/v1/sequence/create", fake.base_url()))
        .bearer_auth(&token)
        .form(&[("name", "Thames walk"), ("transport_type", "walk")])
        .send()
        .await
        .expect("create");
    assert_eq!(unslashed.status(), StatusCode::OK);
    let body: Value = unslashed.json().await.expect("json");
    assert_eq!(body["status"], "success");
    assert_eq!(body["message"], "Sequence successfully was created.");
}

#[tokio::test]
async fn mtpw_does_not_throttle() {
    let fake = FakeMtpw::start(MtpwConfig::default()).await.expect("start");
    let token = fake.issue_token(fake.user().id);
    fake.add_fault(FaultRule::next("*", FaultKind::RateLimited, 3));
    for _ in 0..3 {
        let (status, body) = create(
            &fake,
            &token,
            &[("name", "Thames walk"), ("transport_type", "Walk")],
        )
        .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["status"], "success");
    }
}

// ---- Seeding sequences: an operator's existing data, for the GUI journey. ----

async fn seed(fake: &FakeMtpw, body: &Value) -> (StatusCode, Value) {
    let response = http()
        .post(format!("{}/__fake/sequences", fake.base_url()))
        .json(body)
        .send()
        .await
        .expect("seed");
    (
        response.status(),
        response.json().await.unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn seeded_sequences_belong_to_the_signed_in_user_and_can_be_imported() {
    let fake = FakeMtpw::start(MtpwConfig::default()).await.expect("start");
    let other = fake.register_user("other");
    let token = fake.issue_token(fake.user().id);
    let known = "5e0c9a62-3f1d-4b7e-9a28-6c4d2e1f0b93";
    let theirs = "0f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a";
    let (status, body) = seed(
        &fake,
        &json!([
            {"unique_id": known, "name": "Harbour walk", "transport_type": "bicycle"},
            {"unique_id": theirs, "name": "Their walk", "owner": "other"},
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body[0]["owner"], fake.user().id);
    assert_eq!(body[0]["transport_type"], "Bicycle");
    assert_eq!(body[1]["owner"], other.id);

    let path = |id: &str| format!("/api/v1/sequence/import/{id}/");
    let imported = import(
        &fake,
        &token,
        &path(known),
        json!({"strava": "12000000001"}),
    )
    .await;
    assert_eq!(imported.status(), StatusCode::OK);
    assert_eq!(
        imported.json::<Value>().await.expect("json")["status"],
        true
    );
    let stored = fake.state_json()["sequences"].clone();
    assert_eq!(stored[0]["strava"], "12000000001", "{stored}");
    // Mapillary keys keep the owner check: the seeded owner counts.
    let foreign = import(
        &fake,
        &token,
        &path(theirs),
        json!({"mapillary_sequence_key": "k"}),
    )
    .await;
    assert_eq!(
        foreign.json::<Value>().await.expect("json")["status"],
        false
    );

    let unknown = "9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a";
    let refused = import(&fake, &token, &path(unknown), json!({"strava": "1"})).await;
    assert_eq!(refused.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn a_bad_seed_is_refused_whole_with_a_message() {
    let fake = FakeMtpw::start(MtpwConfig::default()).await.expect("start");
    let good = json!({"unique_id": "5e0c9a62-3f1d-4b7e-9a28-6c4d2e1f0b93", "name": "Harbour walk"});
    let cases = [
        (json!("not a list"), "expected a JSON sequence"),
        (json!([{"name": "No id"}]), "unique_id"),
        (json!([{"unique_id": "nope", "name": "x"}]), "is not a UUID"),
        (json!([good.clone(), good.clone()]), "already exists"),
        (
            json!([{"unique_id": "6e0c9a62-3f1d-4b7e-9a28-6c4d2e1f0b93", "name": "x", "transport_type": "Teleport"}]),
            "Teleport",
        ),
        (
            json!([{"unique_id": "7e0c9a62-3f1d-4b7e-9a28-6c4d2e1f0b93", "name": "x", "owner": "nobody"}]),
            "not a known user",
        ),
    ];
    for (body, expected) in cases {
        let (status, reply) = seed(&fake, &body).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {reply}");
        let error = reply["error"].as_str().unwrap_or_default();
        assert!(error.contains(expected), "{body}: {error}");
    }
    // Nothing of a refused body is kept.
    assert_eq!(fake.state_json()["sequences"], json!([]));
    let (status, _) = seed(&fake, &good).await;
    assert_eq!(status, StatusCode::CREATED);
}
