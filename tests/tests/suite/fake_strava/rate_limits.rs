//! The fake Strava's limits: 429 with the rate-limit headers per window, and the 403s of
//! the athlete limit and an inactive application.

use mtp_testkit::fake::{FakeStrava, FaultKind, FaultRule, RateLimits, StravaConfig};
use reqwest::StatusCode;
use serde_json::json;

use super::support::{
    code_for, exchange, http, json_of, post_upload, script_faults, start, upload_form, write_token,
    GPX,
};

#[tokio::test]
async fn rate_limits_answer_429_with_headers_and_reset_with_the_window() {
    let limits = RateLimits {
        overall_15min: 5,
        overall_daily: 100,
        read_15min: 2,
        read_daily: 100,
    };
    // 300x: a 15-minute window lasts three real seconds (room for the requests on a busy
    // machine). Start one second after 01:00 UTC so the day does not roll during the test.
    let start = (1_700_000_000 / 86_400 * 86_400 + 3_600 + 1) as f64;
    let config = StravaConfig {
        limits,
        time_scale: 300.0,
        start_epoch_secs: Some(start),
        ..StravaConfig::for_tests()
    };
    let fake = FakeStrava::start(config).await.expect("start");
    let token = write_token(&fake);
    let clock = fake.clock();
    let get = || {
        http()
            .get(format!("{}/athlete", fake.api_base()))
            .bearer_auth(&token)
            .send()
    };
    for expected in 1..=2 {
        let ok = get().await.expect("athlete");
        assert_eq!(ok.status(), StatusCode::OK);
        assert_eq!(ok.headers()["x-ratelimit-limit"], "5,100");
        assert_eq!(ok.headers()["x-readratelimit-limit"], "2,100");
        assert_eq!(
            ok.headers()["x-readratelimit-usage"],
            format!("{expected},{expected}").as_str()
        );
    }
    let limited = get().await.expect("athlete");
    assert_eq!(limited.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(limited.headers()["x-readratelimit-usage"], "3,3");
    assert_eq!(limited.headers()["x-ratelimit-usage"], "3,3");
    assert_eq!(
        json_of(limited).await,
        json!({"message": "Rate Limit Exceeded", "errors": [{"resource": "Application", "field": "rate limit", "code": "exceeded"}]})
    );
    // Uploads use only the overall budget.
    let upload = post_upload(&fake, &token, upload_form(GPX.into(), "a.gpx", "gpx", "a")).await;
    assert_eq!(upload.status(), StatusCode::CREATED);
    assert_eq!(upload.headers()["x-readratelimit-usage"], "3,3");
    assert_eq!(upload.headers()["x-ratelimit-usage"], "4,4");
    // The next window (at most 3 s later at 300x) starts afresh; the day keeps counting.
    let boundary = ((clock.now_secs() / 900) + 1) * 900;
    tokio::time::sleep(clock.real_until(boundary as f64 + 1.0)).await;
    let fresh = get().await.expect("athlete");
    assert_eq!(fresh.status(), StatusCode::OK);
    assert_eq!(fresh.headers()["x-ratelimit-usage"], "1,5");
    assert_eq!(fresh.headers()["x-readratelimit-usage"], "1,4");
}

#[tokio::test]
async fn athlete_limit_and_inactive_application_answer_403() {
    let fake = start(StravaConfig::for_tests()).await;
    fake.add_fault(FaultRule::next(
        "POST /oauth/token",
        FaultKind::AthleteLimit,
        1,
    ));
    let code = code_for(&fake, "activity:write").await;
    let limited = exchange(&fake, &code).await;
    assert_eq!(limited.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        json_of(limited).await["message"],
        "Limit of connected athletes exceeded"
    );
    let script = json!({"route": "GET /api/v3/athlete", "kind": "inactive_application"});
    script_faults(&fake.base_url(), &script).await;
    let inactive = http()
        .get(format!("{}/athlete", fake.api_base()))
        .bearer_auth(write_token(&fake))
        .send()
        .await
        .expect("athlete");
    assert_eq!(inactive.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        json_of(inactive).await["errors"][0],
        json!({"resource": "Application", "field": "Status", "code": "Inactive"})
    );
}
