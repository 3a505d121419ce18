//! The `fake-services` binary prints its endpoints as one JSON line and serves until killed.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::Value;

#[test]
fn binary_prints_endpoints_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-services"))
        .args([
            "--strava-port",
            "0",
            "--mtpw-port",
            "0",
            "--auto-approve",
            "--time-scale",
            "10",
            "--processing-delay-ms",
            "5",
            "--callback-domain",
            "example.org",
            "--mtpw-redirect-uri",
            "http://127.0.0.1/cb",
            "--mtpw-allow-scheme",
            "http",
            "--duplicate-text",
            "plain",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn fake-services");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    let line = rx.recv_timeout(Duration::from_secs(20));
    let result = std::panic::catch_unwind(|| {
        let line = line.expect("a JSON line within 20 s");
        let endpoints: Value = serde_json::from_str(&line).expect("JSON line");
        for key in [
            "strava_api_base",
            "strava_oauth_base",
            "mtpw_base",
            "strava_client_id",
            "strava_client_secret",
            "mtpw_client_id",
        ] {
            assert!(
                endpoints[key].as_str().is_some_and(|v| !v.is_empty()),
                "{key} in {line}"
            );
        }
        let api = endpoints["strava_api_base"].as_str().unwrap_or_default();
        assert!(
            api.starts_with("http://127.0.0.1:") && api.ends_with("/api/v3"),
            "{api}"
        );
        assert!(endpoints["strava_client_id"]
            .as_str()
            .unwrap_or_default()
            .parse::<u64>()
            .is_ok());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let http = reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .timeout(Duration::from_secs(10))
                .build()
                .expect("client");
            let oauth = endpoints["strava_oauth_base"].as_str().unwrap_or_default();
            let client_id = endpoints["strava_client_id"].as_str().unwrap_or_default();
            let response = http
                .get(format!("{oauth}/authorize"))
                .query(&[
                    ("client_id", client_id),
                    ("redirect_uri", "mtp-strava-uploader://example.org/cb"),
                    ("response_type", "code"),
                    ("scope", "activity:write"),
                ])
                .send()
                .await
                .expect("authorize");
            assert_eq!(
                response.status(),
                reqwest::StatusCode::FOUND,
                "--auto-approve redirects at once"
            );
            let mtpw = endpoints["mtpw_base"].as_str().unwrap_or_default();
            let mtpw_client = endpoints["mtpw_client_id"].as_str().unwrap_or_default();
            let response = http
                .get(format!("{mtpw}/accounts/authorize"))
                .query(&[
                    ("client_id", mtpw_client),
                    ("response_type", "token"),
                    ("redirect_uri", "http://127.0.0.1:1/cb"),
                ])
                .send()
                .await
                .expect("mtpw authorize");
            // Registered by --mtpw-redirect-uri (any loopback port), scheme by --mtpw-allow-scheme.
            assert!(response.headers()["location"]
                .to_str()
                .unwrap_or_default()
                .starts_with("http://127.0.0.1:1/cb#access_token="));
            let unregistered = http
                .get(format!("{mtpw}/accounts/authorize"))
                .query(&[
                    ("client_id", mtpw_client),
                    ("response_type", "token"),
                    ("redirect_uri", "http://127.0.0.1:1/other"),
                ])
                .send()
                .await
                .expect("mtpw authorize");
            assert_eq!(unregistered.status(), reqwest::StatusCode::BAD_REQUEST);
        });
    });
    let _ = child.kill();
    let _ = child.wait();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn binary_refuses_unknown_flags() {
    let output = Command::new(env!("CARGO_BIN_EXE_fake-services"))
        .arg("--bogus")
        .output()
        .expect("run");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage"));
    for bad in [
        ["--mtpw-redirect-uri", "not a uri"],
        ["--mtpw-allow-scheme", "http://"],
        ["--duplicate-text", "loud"],
        ["--server-error-body", "xml"],
        ["--strava-refuse", "everything"],
        ["--strava-fault", "{\"route\": 1}"],
    ] {
        let output = Command::new(env!("CARGO_BIN_EXE_fake-services"))
            .args(bad)
            .output()
            .expect("run");
        assert_eq!(output.status.code(), Some(2), "{bad:?}");
    }
}

/// Starts the binary with `args`; its endpoints line, and the child (kill it when done).
fn start(args: &[&str]) -> (Value, std::process::Child) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_fake-services"))
        .args(args)
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn fake-services");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut line = String::new();
        let _ = BufReader::new(stdout).read_line(&mut line);
        let _ = tx.send(line);
    });
    match rx.recv_timeout(Duration::from_secs(20)) {
        Ok(line) => (serde_json::from_str(&line).unwrap_or(Value::Null), child),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("no endpoints line within 20 s");
        }
    }
}

#[test]
fn binary_starts_refusing_the_application_as_strava_s_rules_say() {
    let cases: [(&[&str], &str, &str); 3] = [
        (
            &["--strava-refuse", "inactive-application"],
            "GET",
            "/athlete",
        ),
        (
            &["--strava-refuse", "athlete-limit"],
            "POST",
            "/oauth/token",
        ),
        (
            &[
                "--strava-fault",
                r#"{"route": "GET /api/v3/athlete", "kind": "inactive_application", "count": 1}"#,
            ],
            "GET",
            "/athlete",
        ),
    ];
    for (args, method, path) in cases {
        let (endpoints, mut child) = start(args);
        let result = std::panic::catch_unwind(|| {
            // `strava_oauth_base` ends in `/oauth`, `strava_api_base` in `/api/v3`.
            let url = match path {
                "/oauth/token" => format!(
                    "{}/token",
                    endpoints["strava_oauth_base"].as_str().unwrap_or_default()
                ),
                _ => format!(
                    "{}{path}",
                    endpoints["strava_api_base"].as_str().unwrap_or_default()
                ),
            };
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            let (status, body) = runtime.block_on(async {
                let http = reqwest::Client::new();
                let request = match method {
                    "POST" => http.post(&url).form(&[("grant_type", "refresh_token")]),
                    _ => http.get(&url).bearer_auth("any"),
                };
                let response = request.send().await.expect("request");
                let status = response.status();
                (status, response.text().await.unwrap_or_default())
            });
            assert_eq!(status, reqwest::StatusCode::FORBIDDEN, "{args:?}: {body}");
            let expected = if args.contains(&"athlete-limit") {
                "Limit of connected athletes exceeded"
            } else {
                "Inactive"
            };
            assert!(body.contains(expected), "{args:?}: {body}");
        });
        let _ = child.kill();
        let _ = child.wait();
        if let Err(panic) = result {
            std::panic::resume_unwind(panic);
        }
    }
}
