//! The loopback listener's request handling: arbitrary bytes sent as one HTTP connection to
//! the listener's own routes (`mtp_services::oauth::loopback_router`), served by `axum::serve`
//! as `LoopbackListener::start` serves them, over in-memory streams instead of a socket. The
//! router hands callback URLs to the app's parser and state check (`parse_callback`, then
//! `PendingSignIns::route`), as the engine's route function does.
//!
//! Each input goes to four listeners: Strava and Map the Paths on port 4242 (the port a
//! request must name in its Host header) and both again on port 4243. `STRAVA_STATE` and
//! `MTPW_STATE` in the input stand for the states of the sign-ins waiting in this run.
//!
//! Properties: nothing panics and every connection is answered and closed; a listener hands
//! on only requests whose Host header names its own address (a listener on 4243 never routes
//! an input that does not say `127.0.0.1:4243`); every page the listener writes escapes what
//! came from the request, carries its security headers and is never cached; a sign-in is
//! accepted at most once, and only with a 200 reply.
#![no_main]

use std::future::pending;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};
use std::time::Duration;

use libfuzzer_sys::fuzz_target;
use mtp_services::oauth::{
    loopback_router, parse_callback, CallbackError, PendingSignIns, RouteFn, RouteOutcome,
};
use mtp_services::Provider;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::runtime::Runtime;
use tokio::sync::{mpsc, Notify};

const STRAVA_STATE: &[u8] = b"~~strava~state~~~~~~~~~~~~~~~~~~~~~~~~~~~~~";
const MTPW_STATE: &[u8] = b"~~mtpw~state~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~";
const OWN_PORT: u16 = 4242;
const OTHER_PORT: u16 = 4243;

/// The sign-ins of the current run, and every URL the listeners handed on.
#[derive(Default)]
struct Shared {
    pending: Option<Arc<PendingSignIns>>,
    routed: Vec<Routed>,
}

struct Routed {
    port: u16,
    provider: Provider,
    url: String,
    outcome: Result<RouteOutcome, CallbackError>,
}

struct Harness {
    runtime: Runtime,
    listeners: Vec<(u16, Provider, mpsc::UnboundedSender<DuplexStream>)>,
    shared: Arc<Mutex<Shared>>,
}

/// Hands `axum::serve` the server ends of in-memory connections.
struct Incoming(mpsc::UnboundedReceiver<DuplexStream>);

impl axum::serve::Listener for Incoming {
    type Io = DuplexStream;
    type Addr = ();

    async fn accept(&mut self) -> (DuplexStream, ()) {
        match self.0.recv().await {
            Some(stream) => (stream, ()),
            None => pending().await,
        }
    }

    fn local_addr(&self) -> std::io::Result<()> {
        Ok(())
    }
}

fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime");
        let shared = Arc::new(Mutex::new(Shared::default()));
        let mut listeners = Vec::new();
        for port in [OWN_PORT, OTHER_PORT] {
            for provider in [Provider::Strava, Provider::Mtpw] {
                let (sender, receiver) = mpsc::unbounded_channel();
                let router = loopback_router(
                    provider,
                    port,
                    route_fn(port, provider, shared.clone()),
                    Arc::new(Notify::new()),
                );
                runtime.spawn(async move {
                    let _ = axum::serve(Incoming(receiver), router).await;
                });
                listeners.push((port, provider, sender));
            }
        }
        Harness {
            runtime,
            listeners,
            shared,
        }
    })
}

/// What the engine's route function does: parse the URL, check its state (no configured
/// Map the Paths redirect URI here).
fn route_fn(port: u16, provider: Provider, shared: Arc<Mutex<Shared>>) -> RouteFn {
    Arc::new(move |url: &str| {
        let pending = lock(&shared).pending.clone().expect("a run is on");
        let outcome = parse_callback(url, None).and_then(|callback| pending.route(&callback));
        lock(&shared).routed.push(Routed {
            port,
            provider,
            url: url.to_string(),
            outcome: outcome.clone(),
        });
        outcome
    })
}

fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

fuzz_target!(|data: &[u8]| {
    let harness = harness();
    let pending = Arc::new(PendingSignIns::new(Duration::from_secs(600)));
    let own = format!("http://127.0.0.1:{OWN_PORT}");
    let (strava_state, mut strava_verdict) =
        pending.register(Provider::Strava, &format!("{own}/strava/callback"));
    let (mtpw_state, mut mtpw_verdict) =
        pending.register(Provider::Mtpw, &format!("{own}/mtpw/callback"));
    assert_eq!(strava_state.len(), STRAVA_STATE.len());
    {
        let mut shared = lock(&harness.shared);
        shared.pending = Some(pending.clone());
        shared.routed.clear();
    }
    // Same lengths: a Content-Length in the input stays right.
    let request = replace(data, STRAVA_STATE, strava_state.as_bytes());
    let request = replace(&request, MTPW_STATE, mtpw_state.as_bytes());

    let mut accepted = [0usize; 2];
    for (port, provider, sender) in &harness.listeners {
        let replies = harness.runtime.block_on(exchange(sender, &request));
        let routed: Vec<Routed> = lock(&harness.shared)
            .routed
            .drain(..)
            .inspect(|r| assert_eq!((r.port, r.provider), (*port, *provider)))
            .collect();
        check_replies(&replies, &routed);
        let own_address = format!("127.0.0.1:{port}");
        if !contains(&request, own_address.as_bytes()) {
            assert!(
                routed.is_empty(),
                "the listener on {port} routed a request that never named {own_address}"
            );
        }
        for r in &routed {
            if let Ok(RouteOutcome::Accepted(which)) = r.outcome {
                assert_eq!(which, *provider);
                assert_eq!(*port, OWN_PORT, "a sign-in accepted through another port");
                let path = format!("{own}{}", provider.callback_path());
                assert!(r.url.starts_with(&path), "{} accepted", r.url);
                accepted[which as usize] += 1;
            }
        }
    }

    // Each sign-in is accepted at most once, and then its grant was delivered to it.
    for (provider, verdict) in [
        (Provider::Strava, strava_verdict.try_recv()),
        (Provider::Mtpw, mtpw_verdict.try_recv()),
    ] {
        let count = accepted[provider as usize];
        assert!(count <= 1, "{provider:?} accepted {count} times");
        assert_eq!(count == 1, matches!(verdict, Ok(Ok(_))), "{provider:?}");
    }
    lock(&harness.shared).pending = None;
});

/// Sends `request` as one connection and reads everything the listener answers until it
/// closes the connection.
async fn exchange(sender: &mpsc::UnboundedSender<DuplexStream>, request: &[u8]) -> Vec<u8> {
    let (mut client, server) = tokio::io::duplex(1 << 20);
    sender.send(server).expect("the listener runs");
    let (mut reader, mut writer) = tokio::io::split(&mut client);
    let write = async {
        // The listener may answer and close before it read everything: not an error.
        let _ = writer.write_all(request).await;
        let _ = writer.shutdown().await;
    };
    let read = async {
        let mut replies = Vec::new();
        let _ = reader.read_to_end(&mut replies).await;
        replies
    };
    let answered = tokio::time::timeout(Duration::from_secs(10), async {
        tokio::join!(write, read).1
    });
    answered
        .await
        .expect("the listener answers and closes the connection")
}

/// One HTTP/1 reply: status, headers (lower-case names), body.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn check_replies(bytes: &[u8], routed: &[Routed]) {
    let replies = split_replies(bytes);
    let ok_routes = routed.iter().filter(|r| r.outcome.is_ok()).count();
    let mut ok_pages = 0;
    for (at, reply) in replies.iter().enumerate() {
        let body = String::from_utf8_lossy(&reply.body);
        let ours = body.starts_with("<!doctype html>")
            || body.starts_with("Sign-in not accepted: ")
            || body.contains(" sign-in received.")
            || body == "Not for this address.";
        if ours {
            assert_eq!(
                reply.header("cache-control"),
                Some("no-store"),
                "{:?}",
                reply.headers
            );
            // hyper answers an HTTP/1.0 request that asked for keep-alive with
            // "close, keep-alive" (and closes): the close token is what counts, and nothing
            // may follow on the connection.
            let connection = reply.header("connection").unwrap_or_default();
            assert!(
                connection
                    .split(',')
                    .any(|token| token.trim().eq_ignore_ascii_case("close")),
                "{:?}",
                reply.headers
            );
            assert_eq!(at + 1, replies.len(), "a reply after Connection: close");
        }
        if body.contains(" sign-in received.") {
            assert_eq!(reply.status, 200);
            ok_pages += 1;
        }
        if reply.header("content-type") == Some("text/html; charset=utf-8") && !body.is_empty() {
            check_page(&body);
        }
    }
    assert!(
        ok_pages <= ok_routes,
        "{ok_pages} accepting replies for {ok_routes} accepted callbacks"
    );
}

/// The page escapes its message; only its own script runs; it keeps its headers' promises.
fn check_page(body: &str) {
    let start = body
        .find("<p id=\"message\">")
        .expect("the page has its message")
        + "<p id=\"message\">".len();
    let end = start + body[start..].find("</p>").expect("the message ends");
    let message = &body[start..end];
    assert!(
        !message.contains(['<', '>', '"', '\'']),
        "unescaped message {message:?}"
    );
    assert!(body.matches("<script>").count() <= 1);
    assert!(body.ends_with("</body></html>"));
}

/// Splits what the listener wrote into replies (each with a Content-Length, as axum and
/// hyper write them for these bodies).
fn split_replies(mut bytes: &[u8]) -> Vec<Reply> {
    let mut replies = Vec::new();
    while !bytes.is_empty() {
        let head_end = find(bytes, b"\r\n\r\n").expect("a complete reply head");
        let head = std::str::from_utf8(&bytes[..head_end]).expect("an ASCII head");
        let mut lines = head.split("\r\n");
        let status_line = lines.next().unwrap_or_default();
        assert!(status_line.starts_with("HTTP/1."), "{status_line:?}");
        let status: u16 = status_line
            .split(' ')
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status code");
        let headers: Vec<(String, String)> = lines
            .filter_map(|line| line.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        let length: usize = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .map(|(_, v)| v.parse().expect("a Content-Length"))
            .unwrap_or(0);
        let rest = &bytes[head_end + 4..];
        // A reply to HEAD (or a 1xx) has no body, whatever its Content-Length says.
        let length = if rest.is_empty() || rest.starts_with(b"HTTP/1.") {
            0
        } else {
            length
        };
        assert!(rest.len() >= length, "a truncated reply");
        replies.push(Reply {
            status,
            headers,
            body: rest[..length].to_vec(),
        });
        bytes = &rest[length..];
    }
    replies
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    find(haystack, needle).is_some()
}

fn replace(data: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut rest = data;
    while let Some(at) = find(rest, from) {
        out.extend_from_slice(&rest[..at]);
        out.extend_from_slice(to);
        rest = &rest[at + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}
