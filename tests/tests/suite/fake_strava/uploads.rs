//! The fake Strava's uploads: processing into an activity, the file checks, where the
//! fields come from, and who may see an upload.

use mtp_testkit::fake::StravaConfig;
use reqwest::{multipart, StatusCode};
use serde_json::{json, Value};

use super::support::{
    get_activity, gzip, http, json_of, poll_upload, post_upload, start, upload_form, write_token,
    GPX, LATER_GPX,
};

#[tokio::test]
async fn upload_is_processed_into_an_activity_and_duplicates_are_detected() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let created = post_upload(
        &fake,
        &token,
        upload_form(GPX.into(), "walk.gpx", "gpx", "seq-1"),
    )
    .await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let upload = json_of(created).await;
    let id = upload["id"].as_u64().expect("id");
    assert!(id > u64::from(u32::MAX));
    assert_eq!(upload["id_str"], id.to_string());
    assert_eq!(upload["status"], "Your activity is still being processed.");
    assert_eq!(upload["activity_id"], Value::Null);
    let done = poll_upload(&fake, &token, id).await;
    assert_eq!(done["status"], "Your activity is ready.");
    let activity_id = done["activity_id"].as_u64().expect("activity id");
    assert!(activity_id > u64::from(u32::MAX));
    let activity = json_of(
        http()
            .get(format!("{}/activities/{activity_id}", fake.api_base()))
            .bearer_auth(&token)
            .send()
            .await
            .expect("activity"),
    )
    .await;
    assert_eq!(activity["name"], "Morning walk");
    assert_eq!(activity["elapsed_time"], 20);

    // Same points and times, other name, compression and external id.
    let again = post_upload(
        &fake,
        &token,
        upload_form(gzip(GPX.as_bytes()), "other.gpx.gz", "gpx.gz", "seq-2"),
    )
    .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    let again_id = json_of(again).await["id"].as_u64().expect("id");
    let duplicate = poll_upload(&fake, &token, again_id).await;
    assert_eq!(
        duplicate["status"],
        "There was an error processing your activity."
    );
    assert_eq!(
        duplicate["error"],
        format!("other.gpx.gz duplicate of <a href='/activities/{activity_id}' target='_blank'>Morning walk</a>")
    );
    assert_eq!(duplicate["activity_id"], Value::Null);
}

#[tokio::test]
async fn file_checks_reject_bad_uploads() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let gz_as_plain = json_of(
        post_upload(
            &fake,
            &token,
            upload_form(gzip(GPX.as_bytes()), "a.gpx", "gpx", "a"),
        )
        .await,
    )
    .await;
    let result = poll_upload(&fake, &token, gz_as_plain["id"].as_u64().expect("id")).await;
    assert_eq!(result["error"], "invalid encoding");

    let no_time = GPX.replace("<time>2021-06-01T10:00:10Z</time>", "");
    let no_time = json_of(
        post_upload(
            &fake,
            &token,
            upload_form(no_time.into_bytes(), "b.gpx", "gpx", "b"),
        )
        .await,
    )
    .await;
    let result = poll_upload(&fake, &token, no_time["id"].as_u64().expect("id")).await;
    assert_eq!(
        result["status"],
        "There was an error processing your activity."
    );
    assert_eq!(result["error"], "Time information is missing from file.");

    let empty = post_upload(&fake, &token, upload_form(Vec::new(), "c.gpx", "gpx", "c")).await;
    assert_eq!(empty.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json_of(empty).await["errors"][0],
        json!({"resource": "Upload", "field": "data", "code": "empty"})
    );

    let bad_type = post_upload(&fake, &token, upload_form(GPX.into(), "d.kml", "kml", "d")).await;
    assert_eq!(bad_type.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_of(bad_type).await["errors"][0]["field"], "data_type");

    let no_token = http()
        .post(format!("{}/uploads", fake.api_base()))
        .multipart(upload_form(GPX.into(), "e.gpx", "gpx", "e"))
        .send()
        .await
        .expect("post");
    assert_eq!(no_token.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        json_of(no_token).await,
        json!({"message": "Authorization Error", "errors": [{"resource": "Athlete", "field": "access_token", "code": "invalid"}]})
    );
}

#[tokio::test]
async fn athletes_see_only_their_own_uploads() {
    let fake = start(StravaConfig::for_tests()).await;
    let other_client = fake.register_client("example.com");
    let other_athlete = fake.register_athlete("Other", "Rider");
    assert_ne!(other_client.id, fake.client().id);
    let mine = write_token(&fake);
    let theirs = fake
        .issue_tokens(other_client.id, other_athlete.id, &["activity:write"])
        .access_token;
    let upload =
        json_of(post_upload(&fake, &mine, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await)
            .await;
    let url = format!("{}/uploads/{}", fake.api_base(), upload["id"]);
    let response = http()
        .get(url)
        .bearer_auth(theirs)
        .send()
        .await
        .expect("get");
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn upload_fields_come_from_the_query_string_and_only_the_file_part_is_the_file() {
    let fake = start(StravaConfig::for_tests()).await;
    let token = write_token(&fake);
    let file_only = multipart::Form::new().part(
        "file",
        multipart::Part::bytes(GPX.as_bytes().to_vec()).file_name("q.gpx"),
    );
    let created = http()
        .post(format!("{}/uploads", fake.api_base()))
        .query(&[
            ("data_type", "gpx"),
            ("name", "Query walk"),
            ("description", "from the URL"),
            ("external_id", "q-1"),
            ("commute", "1"),
        ])
        .bearer_auth(&token)
        .multipart(file_only)
        .send()
        .await
        .expect("upload");
    assert_eq!(created.status(), StatusCode::CREATED);
    let created = json_of(created).await;
    assert_eq!(created["external_id"], "q-1");
    let done = poll_upload(&fake, &token, created["id"].as_u64().expect("id")).await;
    let activity = json_of(get_activity(&fake, &token, &done["activity_id"]).await).await;
    assert_eq!(activity["name"], "Query walk");
    assert_eq!(activity["description"], "from the URL");
    assert_eq!(activity["commute"], true);

    // A file under another part name is not the upload: the real "empty" error.
    let wrong_part = multipart::Form::new()
        .part(
            "upload",
            multipart::Part::bytes(LATER_GPX.as_bytes().to_vec()).file_name("w.gpx"),
        )
        .text("data_type", "gpx");
    let refused = post_upload(&fake, &token, wrong_part).await;
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        json_of(refused).await["errors"][0],
        json!({"resource": "Upload", "field": "data", "code": "empty"})
    );
}
