//! Shared HTTP plumbing: buffering and parsing requests, JSON replies, serving on loopback.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};

use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use serde_json::Value;
use sha2::{Digest, Sha256};
use tokio::task::JoinHandle;

use super::faults::ErrorBody;
use super::inspect::RequestRecord;

/// Largest request body the fakes accept (Strava reportedly allows about 25 MB).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// A file part of a multipart body.
#[derive(Debug, Clone)]
pub struct UploadedFile {
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

/// A fully buffered and parsed request, the input of every fake route.
#[derive(Debug, Clone)]
pub struct Incoming {
    pub method: Method,
    pub path: String,
    pub query: BTreeMap<String, String>,
    pub headers: BTreeMap<String, String>,
    /// URL-encoded or multipart text fields.
    pub form: Option<BTreeMap<String, String>>,
    pub json: Option<Value>,
    pub file: Option<UploadedFile>,
    /// Set when the body could not be parsed as its content type says.
    pub body_problem: Option<String>,
    /// Length of the raw body in bytes.
    pub body_len: usize,
}

impl Incoming {
    /// Buffers the body and parses query, form, multipart or JSON.
    pub async fn read(req: Request) -> Incoming {
        let (parts, body) = req.into_parts();
        let mut incoming = Incoming {
            method: parts.method.clone(),
            path: parts.uri.path().to_string(),
            query: parse_urlencoded(parts.uri.query().unwrap_or("")),
            headers: header_map(&parts.headers),
            form: None,
            json: None,
            file: None,
            body_problem: None,
            body_len: 0,
        };
        let bytes = match axum::body::to_bytes(body, MAX_BODY_BYTES).await {
            Ok(bytes) => bytes,
            Err(err) => {
                incoming.body_problem = Some(format!("could not read body: {err}"));
                return incoming;
            }
        };
        incoming.body_len = bytes.len();
        let content_type = incoming
            .header("content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        if content_type.starts_with("multipart/form-data") {
            let rebuilt = Request::from_parts(parts, Body::from(bytes));
            incoming.read_multipart(rebuilt).await;
        } else if content_type.starts_with("application/x-www-form-urlencoded") {
            incoming.form = Some(parse_urlencoded(&String::from_utf8_lossy(&bytes)));
        } else if !bytes.is_empty() {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(json) => incoming.json = Some(json),
                Err(err) if content_type.contains("json") => {
                    incoming.body_problem = Some(format!("invalid JSON: {err}"));
                }
                Err(_) => {}
            }
        }
        incoming
    }

    async fn read_multipart(&mut self, req: Request) {
        let mut multipart = match Multipart::from_request(req, &()).await {
            Ok(multipart) => multipart,
            Err(err) => {
                self.body_problem = Some(format!("invalid multipart body: {err}"));
                return;
            }
        };
        let mut form = BTreeMap::new();
        loop {
            match multipart.next_field().await {
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or("").to_string();
                    let file_name = field.file_name().map(str::to_string);
                    let bytes = match field.bytes().await {
                        Ok(bytes) => bytes,
                        Err(err) => {
                            self.body_problem = Some(format!("invalid multipart field: {err}"));
                            break;
                        }
                    };
                    if name == "file" {
                        self.file = Some(UploadedFile {
                            file_name,
                            bytes: bytes.to_vec(),
                        });
                    } else if file_name.is_none() {
                        form.insert(name, String::from_utf8_lossy(&bytes).into_owned());
                    }
                    // A file part of any other name is not the upload and not a field: ignored.
                }
                Ok(None) => break,
                Err(err) => {
                    self.body_problem = Some(format!("invalid multipart body: {err}"));
                    break;
                }
            }
        }
        self.form = Some(form);
    }

    /// A header value by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    /// The token of an `Authorization: Bearer` header.
    pub fn bearer(&self) -> Option<&str> {
        let value = self.header("authorization")?;
        let (scheme, token) = value.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    }

    /// The token of an `Authorization: Bearer <token>` header with the prefix exactly as written
    /// (MTPW's check is case-sensitive).
    pub fn bearer_exact(&self) -> Option<&str> {
        let token = self
            .header("authorization")?
            .strip_prefix("Bearer ")?
            .trim();
        (!token.is_empty()).then_some(token)
    }

    /// A form field, then a query parameter of that name (Strava's upload fields come either way).
    pub fn form_or_query(&self, name: &str) -> Option<&str> {
        self.form_value(name).or_else(|| self.query_value(name))
    }

    /// A form field (URL-encoded or multipart text).
    pub fn form_value(&self, name: &str) -> Option<&str> {
        self.form.as_ref()?.get(name).map(String::as_str)
    }

    /// A query parameter.
    pub fn query_value(&self, name: &str) -> Option<&str> {
        self.query.get(name).map(String::as_str)
    }

    /// Path segments without empty ones.
    pub fn segments(&self) -> Vec<&str> {
        self.path.split('/').filter(|s| !s.is_empty()).collect()
    }

    /// What the inspection API reports about this request.
    pub fn record(&self) -> RequestRecord {
        RequestRecord {
            method: self.method.to_string(),
            path: self.path.clone(),
            query: self.query.clone(),
            headers: self.headers.clone(),
            form: self.form.clone(),
            json: self.json.clone(),
            file_sha256: self.file.as_ref().map(|file| sha256_hex(&file.bytes)),
        }
    }
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn parse_urlencoded(text: &str) -> BTreeMap<String, String> {
    url::form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

fn header_map(headers: &HeaderMap) -> BTreeMap<String, String> {
    headers
        .iter()
        .map(|(name, value)| {
            let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
            (name.as_str().to_ascii_lowercase(), value)
        })
        .collect()
}

/// A JSON reply with the given status.
pub fn json_reply(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

/// An HTML reply with the given status.
pub fn html_reply(status: StatusCode, html: String) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

/// An error as an edge proxy sends it: an HTML page, plain text or nothing, never JSON.
/// `ErrorBody::Json` gives `json` instead (the service's own error body).
pub fn error_reply(status: StatusCode, form: ErrorBody, json: &Value) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    let code = status.as_u16();
    match form {
        ErrorBody::Html => html_reply(
            status,
            format!(
                "<html>\r\n<head><title>{code} {reason}</title></head>\r\n<body>\r\n\
                 <center><h1>{code} {reason}</h1></center>\r\n</body>\r\n</html>\r\n"
            ),
        ),
        ErrorBody::Plain => (
            status,
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            format!("{code} {reason}\n"),
        )
            .into_response(),
        ErrorBody::Empty => (status, Body::empty()).into_response(),
        ErrorBody::Json => json_reply(status, json),
    }
}

/// A 302 redirect to `location`.
pub fn redirect(location: &str) -> Response {
    (
        StatusCode::FOUND,
        [(header::LOCATION, location.to_string())],
    )
        .into_response()
}

/// Rewrites `response` so that the client gets the headers and part of the body,
/// then the connection breaks (the body stream fails and the server aborts it).
pub async fn drop_midway(response: Response) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_BODY_BYTES)
        .await
        .unwrap_or_default();
    let half = bytes.slice(..bytes.len() / 2);
    let chunks: Vec<Result<Bytes, std::io::Error>> = vec![
        Ok(half),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "fault injected: connection dropped mid-body",
        )),
    ];
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from_stream(futures_util::stream::iter(chunks)))
}

/// A server listening on 127.0.0.1; stops when dropped.
#[derive(Debug)]
pub struct Served {
    pub addr: SocketAddr,
    task: JoinHandle<()>,
}

impl Served {
    /// Binds 127.0.0.1:`port` (0 picks a free port) and serves `router` in the background.
    pub async fn start(port: u16, router: Router) -> std::io::Result<Served> {
        let listener = tokio::net::TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, router).await {
                eprintln!("fake service on {addr} stopped: {err}");
            }
        });
        Ok(Served { addr, task })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.task.abort();
    }
}
