//! Contract: the fake Strava's routes, parameters and response fields match the checked-in
//! swagger (tests/contract/strava-swagger.json) and the transcribed OAuth/schema contract.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use mtp_testkit::fake::strava::oauth::{
    AUTHORIZE_PARAMS, DEAUTHORIZE_FIELDS, REVOKE_FIELDS, SCOPES, TOKEN_FIELDS,
};
use mtp_testkit::fake::strava::resources::{
    STATUS_DELETED, STATUS_ERROR, STATUS_PROCESSING, STATUS_READY,
};
use mtp_testkit::fake::strava::routes::{ParamIn, API_ROUTES, UPDATABLE_ACTIVITY_FIELDS};
use mtp_testkit::fake::strava::track::DATA_TYPES;
use mtp_testkit::fake::{FakeStrava, StravaConfig};
use reqwest::{multipart, StatusCode};
use serde_json::Value;

use crate::support::http;

const GPX: &str = r#"<?xml version="1.0"?><gpx version="1.1" creator="c"><trk><trkseg>
<trkpt lat="48.1" lon="11.5"><time>2022-03-01T08:00:00Z</time></trkpt>
<trkpt lat="48.2" lon="11.5"><time>2022-03-01T08:10:00Z</time></trkpt></trkseg></trk></gpx>"#;

fn load(name: &str) -> Value {
    let path = format!("{}/contract/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_served_route_and_parameter_is_in_the_swagger() {
    let swagger = load("strava-swagger.json");
    assert_eq!(swagger["basePath"], "/api/v3");
    for spec in API_ROUTES {
        let operation = &swagger["paths"][spec.path][spec.method.to_ascii_lowercase()];
        assert!(
            operation.is_object(),
            "{} {} is not in the swagger",
            spec.method,
            spec.path
        );
        // Shared parameters (`page`, `per_page`) are `{"$ref": "#/parameters/<key>"}`.
        let documented: Vec<Value> = operation["parameters"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(|p| match p["$ref"].as_str() {
                Some(reference) => {
                    let key = reference.trim_start_matches("#/parameters/");
                    swagger["parameters"][key].clone()
                }
                None => p,
            })
            .collect();
        for param in spec.params {
            let location = match param.location {
                ParamIn::Path => "path",
                ParamIn::Query => "query",
                ParamIn::FormData => "formData",
                ParamIn::Body => "body",
            };
            let found = documented
                .iter()
                .find(|p| p["name"] == param.name && p["in"] == location);
            let found = found.unwrap_or_else(|| {
                panic!(
                    "{} {}: {} ({location}) not in the swagger",
                    spec.method, spec.path, param.name
                )
            });
            if param.location == ParamIn::Body {
                let schema = found["schema"]["$ref"].as_str().unwrap_or_default();
                assert!(
                    schema.ends_with(&format!("#/{}", param.kind)),
                    "{} {}: body schema {schema}",
                    spec.method,
                    spec.path
                );
            } else {
                assert_eq!(
                    found["type"], param.kind,
                    "{} {}: type of {}",
                    spec.method, spec.path, param.name
                );
            }
            if param.name == "data_type" {
                assert_eq!(strings(&found["enum"]), set(DATA_TYPES), "data_type enum");
            }
        }
        let served: BTreeSet<&str> = spec.params.iter().map(|p| p.name).collect();
        for p in &documented {
            let name = p["name"].as_str().unwrap_or_default();
            assert!(
                served.contains(name),
                "{} {}: the fake ignores documented parameter {name}",
                spec.method,
                spec.path
            );
        }
    }
}

#[test]
fn oauth_parameters_and_scopes_match_the_reference_contract() {
    let contract = load("strava-oauth-and-schemas.json");
    let oauth = &contract["oauth"];
    assert_eq!(set(AUTHORIZE_PARAMS), strings(&oauth["authorize"]["query"]));
    assert_eq!(set(TOKEN_FIELDS), strings(&oauth["token"]["form"]));
    assert_eq!(
        set(DEAUTHORIZE_FIELDS),
        strings(&oauth["deauthorize"]["form"])
    );
    assert_eq!(set(REVOKE_FIELDS), strings(&oauth["revoke"]["form"]));
    assert_eq!(set(SCOPES), strings(&oauth["scopes"]));
    let statuses = set(&[
        STATUS_PROCESSING,
        STATUS_READY,
        STATUS_ERROR,
        STATUS_DELETED,
    ]);
    assert_eq!(statuses, strings(&contract["upload_statuses"]));
    assert_eq!(
        set(UPDATABLE_ACTIVITY_FIELDS),
        strings(&contract["schemas"]["UpdatableActivity"])
    );
}

fn assert_fault(body: &Value, contract: &Value, what: &str) {
    assert_eq!(
        keys(body),
        strings(&contract["schemas"]["Fault"]),
        "{what}: Fault fields"
    );
    for error in body["errors"].as_array().expect("errors array") {
        assert_eq!(
            keys(error),
            strings(&contract["schemas"]["FaultError"]),
            "{what}: error fields"
        );
    }
}

#[tokio::test]
async fn response_bodies_have_exactly_the_documented_fields() {
    let swagger = load("strava-swagger.json");
    let contract = load("strava-oauth-and-schemas.json");
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let client = fake.client();

    // OAuth: code exchange (with athlete) and refresh (without).
    let location = http()
        .get(format!("{}/authorize", fake.oauth_base()))
        .query(&[
            ("client_id", client.id.to_string()),
            ("redirect_uri", "http://127.0.0.1:1/cb".into()),
            ("response_type", "code".into()),
            ("scope", "read,activity:write,activity:read".into()),
            ("state", "s".into()),
        ])
        .send()
        .await
        .expect("authorize")
        .headers()["location"]
        .to_str()
        .expect("location")
        .to_string();
    let callback: BTreeSet<String> = url::Url::parse(&location)
        .expect("url")
        .query_pairs()
        .map(|(k, _)| k.into_owned())
        .collect();
    assert_eq!(
        callback,
        strings(&contract["oauth"]["authorize"]["callback_query_success"])
    );
    let code = url::Url::parse(&location)
        .expect("url")
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .expect("code");
    let token_url = format!("{}/token", fake.oauth_base());
    let exchanged: Value = http()
        .post(&token_url)
        .form(&[
            ("client_id", client.id.to_string()),
            ("client_secret", client.secret.clone()),
            ("code", code),
            ("grant_type", "authorization_code".into()),
        ])
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("json");
    assert_eq!(
        keys(&exchanged),
        strings(&contract["oauth"]["token"]["code_exchange_response"])
    );
    let athlete_keys = keys(&exchanged["athlete"]);
    assert!(strings(&contract["oauth"]["token"]["athlete_summary_has"]).is_subset(&athlete_keys));
    let refreshed: Value = http()
        .post(&token_url)
        .form(&[
            ("client_id", client.id.to_string()),
            ("client_secret", client.secret.clone()),
            (
                "refresh_token",
                exchanged["refresh_token"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            ),
            ("grant_type", "refresh_token".into()),
        ])
        .send()
        .await
        .expect("refresh")
        .json()
        .await
        .expect("json");
    assert_eq!(
        keys(&refreshed),
        strings(&contract["oauth"]["token"]["refresh_response"])
    );
    let token = exchanged["access_token"]
        .as_str()
        .expect("access token")
        .to_string();

    // GET /athlete: the swagger example's top-level keys.
    let athlete: Value = http()
        .get(format!("{}/athlete", fake.api_base()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("athlete")
        .json()
        .await
        .expect("json");
    let example =
        &swagger["paths"]["/athlete"]["get"]["responses"]["200"]["examples"]["application/json"];
    assert_eq!(keys(&athlete), keys(example), "GET /athlete fields");

    // POST /uploads and GET /uploads/{id}: the Upload fields.
    let form = multipart::Form::new()
        .part(
            "file",
            multipart::Part::bytes(GPX.as_bytes().to_vec()).file_name("c.gpx"),
        )
        .text("data_type", "gpx");
    let created = http()
        .post(format!("{}/uploads", fake.api_base()))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(created.status(), StatusCode::CREATED);
    let created: Value = created.json().await.expect("json");
    let upload_fields = strings(&contract["schemas"]["Upload"]);
    assert_eq!(keys(&created), upload_fields, "POST /uploads fields");
    let deadline = Instant::now() + Duration::from_secs(5);
    let ready = loop {
        let polled: Value = http()
            .get(format!("{}/uploads/{}", fake.api_base(), created["id"]))
            .bearer_auth(&token)
            .send()
            .await
            .expect("poll")
            .json()
            .await
            .expect("json");
        assert_eq!(keys(&polled), upload_fields, "GET /uploads/{{id}} fields");
        if polled["activity_id"].is_u64() {
            break polled;
        }
        assert!(Instant::now() < deadline, "upload not processed");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };

    // GET /activities/{id}: the swagger example's top-level keys.
    let activity: Value = http()
        .get(format!(
            "{}/activities/{}",
            fake.api_base(),
            ready["activity_id"]
        ))
        .bearer_auth(&token)
        .send()
        .await
        .expect("activity")
        .json()
        .await
        .expect("json");
    let example = &swagger["paths"]["/activities/{id}"]["get"]["responses"]["200"]["examples"]
        ["application/json"];
    assert_eq!(
        keys(&activity),
        keys(example),
        "GET /activities/{{id}} fields"
    );

    // GET /athlete/activities: each item has the swagger example's SummaryActivity keys.
    let listed: Value = http()
        .get(format!("{}/athlete/activities", fake.api_base()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let example = &swagger["paths"]["/athlete/activities"]["get"]["responses"]["200"]["examples"]
        ["application/json"][0];
    let listed = listed.as_array().expect("an array");
    assert_eq!(listed.len(), 1, "the one activity");
    assert_eq!(
        keys(&listed[0]),
        keys(example),
        "GET /athlete/activities fields"
    );

    // PUT /activities/{id}: the DetailedActivity again, within the swagger example's keys.
    let updated: Value = http()
        .put(format!(
            "{}/activities/{}",
            fake.api_base(),
            ready["activity_id"]
        ))
        .bearer_auth(&token)
        .json(&serde_json::json!({"sport_type": "Walk"}))
        .send()
        .await
        .expect("update")
        .json()
        .await
        .expect("json");
    let example = &swagger["paths"]["/activities/{id}"]["put"]["responses"]["200"]["examples"]
        ["application/json"];
    assert!(
        keys(&updated).is_subset(&keys(example)),
        "PUT /activities/{{id}} fields beyond the swagger: {:?}",
        keys(&updated)
            .difference(&keys(example))
            .collect::<Vec<_>>()
    );
    assert_eq!(updated["sport_type"], "Walk");

    // Errors: Fault fields for 401, 404 and a bad refresh token.
    let unauthorized: Value = http()
        .get(format!("{}/athlete", fake.api_base()))
        .bearer_auth("nope")
        .send()
        .await
        .expect("401")
        .json()
        .await
        .expect("json");
    assert_fault(&unauthorized, &contract, "401");
    let missing: Value = http()
        .get(format!("{}/uploads/1", fake.api_base()))
        .bearer_auth(&token)
        .send()
        .await
        .expect("404")
        .json()
        .await
        .expect("json");
    assert_fault(&missing, &contract, "404");
    let bad_refresh: Value = http()
        .post(&token_url)
        .form(&[
            ("client_id", client.id.to_string()),
            ("client_secret", client.secret.clone()),
            ("refresh_token", "nope".into()),
            ("grant_type", "refresh_token".into()),
        ])
        .send()
        .await
        .expect("bad refresh")
        .json()
        .await
        .expect("json");
    assert_fault(&bad_refresh, &contract, "bad refresh");

    // Every /api/v3 response carries the four rate-limit headers.
    let response = http()
        .get(format!("{}/athlete", fake.api_base()))
        .send()
        .await
        .expect("athlete");
    for header in strings(&contract["rate_limit_headers"]) {
        assert!(response.headers().contains_key(header.as_str()), "{header}");
    }
}

#[tokio::test]
async fn routes_outside_the_table_are_not_served() {
    let fake = FakeStrava::start(StravaConfig::for_tests())
        .await
        .expect("start");
    let client = fake.client();
    let token = fake
        .issue_tokens(client.id, fake.athlete().id, &["read", "activity:write"])
        .access_token;
    for path in ["/athlete/zones", "/uploads", "/activities", "/segments/1"] {
        let response = http()
            .get(format!("{}{path}", fake.api_base()))
            .bearer_auth(&token)
            .send()
            .await
            .expect("get");
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
}
