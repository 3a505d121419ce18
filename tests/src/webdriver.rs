//! A small W3C WebDriver client (the commands the GUI suite uses) over reqwest.
//!
//! The GUI suite needs a dozen WebDriver commands. A full client crate (fantoccini) brought
//! the `webdriver` crate, an ICU text segmenter and a second `http`/`cookie` stack, and its
//! dev-only features changed how shared crates (syn, rustix) were built, so `make run` after
//! `make test` recompiled most of the Tauri stack. This client speaks the protocol with the
//! HTTP client the engine already has: <https://www.w3.org/TR/webdriver2/>.

use std::fmt;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

/// The W3C key for a pressed Escape (`\u{E00C}`), for [`Element::send_keys`].
pub const KEY_ESCAPE: &str = "\u{E00C}";
/// W3C keys for keyboard navigation in lists.
pub const KEY_ENTER: &str = "\u{E007}";
pub const KEY_PAGE_UP: &str = "\u{E00E}";
pub const KEY_END: &str = "\u{E010}";
pub const KEY_ARROW_DOWN: &str = "\u{E015}";
pub const KEY_ARROW_UP: &str = "\u{E013}";
pub const KEY_HOME: &str = "\u{E011}";
/// W3C keys for moving between and pressing controls.
pub const KEY_TAB: &str = "\u{E004}";
pub const KEY_SPACE: &str = "\u{E00D}";

/// The JSON key that marks a web element reference in requests and answers.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// How an element is found. The suite finds everything by CSS selector.
#[derive(Debug, Clone, Copy)]
pub enum Locator<'a> {
    Css(&'a str),
}

impl Locator<'_> {
    fn to_json(self) -> Value {
        match self {
            Locator::Css(css) => json!({ "using": "css selector", "value": css }),
        }
    }
}

/// What went wrong talking to the WebDriver server.
#[derive(Debug)]
pub enum WebDriverError {
    /// The server could not be reached or did not answer.
    Http(reqwest::Error),
    /// The server answered with a WebDriver error (`error` is its code, e.g. `no such element`).
    Command {
        command: String,
        error: String,
        message: String,
    },
    /// The server's answer was not what the protocol says.
    Protocol { command: String, detail: String },
    /// A wait ran out of time.
    Timeout { what: String, after: Duration },
}

impl fmt::Display for WebDriverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Http(err) => write!(f, "WebDriver request failed: {err}"),
            Self::Command {
                command,
                error,
                message,
            } => write!(f, "WebDriver {command}: {error}: {message}"),
            Self::Protocol { command, detail } => {
                write!(f, "WebDriver {command}: unexpected answer: {detail}")
            }
            Self::Timeout { what, after } => {
                write!(f, "timed out after {after:?} waiting for {what}")
            }
        }
    }
}

impl std::error::Error for WebDriverError {}

impl From<reqwest::Error> for WebDriverError {
    fn from(err: reqwest::Error) -> Self {
        Self::Http(err)
    }
}

type Result<T> = std::result::Result<T, WebDriverError>;

/// One WebDriver session. Cheap to clone: clones share the session.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    session_url: String,
}

impl Client {
    /// Starts a session on the server at `server_url` with these `alwaysMatch` capabilities.
    pub async fn connect(server_url: &str, capabilities: Map<String, Value>) -> Result<Self> {
        let http = reqwest::Client::new();
        let body = json!({ "capabilities": { "alwaysMatch": capabilities } });
        let url = format!("{}/session", server_url.trim_end_matches('/'));
        let value = send(http.post(&url).json(&body), "new session").await?;
        let session_id = value
            .get("sessionId")
            .and_then(Value::as_str)
            .ok_or_else(|| protocol("new session", &value))?;
        Ok(Self {
            http,
            session_url: format!("{url}/{session_id}"),
        })
    }

    /// Sets the implicit-wait, page-load and script timeouts.
    pub async fn set_timeouts(
        &self,
        implicit: Duration,
        page_load: Duration,
        script: Duration,
    ) -> Result<()> {
        let body = json!({
            "implicit": implicit.as_millis() as u64,
            "pageLoad": page_load.as_millis() as u64,
            "script": script.as_millis() as u64,
        });
        self.post("timeouts", "set timeouts", body).await.map(drop)
    }

    /// The first element matching `locator`.
    pub async fn find(&self, locator: Locator<'_>) -> Result<Element> {
        let value = self
            .post("element", "find element", locator.to_json())
            .await?;
        self.element(value, "find element")
    }

    /// Every element matching `locator` (none is not an error).
    pub async fn find_all(&self, locator: Locator<'_>) -> Result<Vec<Element>> {
        let value = self
            .post("elements", "find elements", locator.to_json())
            .await?;
        let items = value
            .as_array()
            .ok_or_else(|| protocol("find elements", &value))?;
        items
            .iter()
            .map(|item| self.element(item.clone(), "find elements"))
            .collect()
    }

    /// Polls until an element matches `locator`, for at most `timeout`.
    pub async fn wait_for(&self, locator: Locator<'_>, timeout: Duration) -> Result<Element> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.find(locator).await {
                Ok(element) => return Ok(element),
                Err(WebDriverError::Command { error, .. }) if error == "no such element" => {}
                Err(other) => return Err(other),
            }
            if Instant::now() > deadline {
                let Locator::Css(css) = locator;
                return Err(WebDriverError::Timeout {
                    what: format!("an element matching {css}"),
                    after: timeout,
                });
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// The element that has the keyboard focus.
    pub async fn active_element(&self) -> Result<Element> {
        let value = self.get("element/active", "active element").await?;
        self.element(value, "active element")
    }

    /// Runs `script` in the page with `args` (`arguments[i]`) and returns what it returns.
    pub async fn execute(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        let body = json!({ "script": script, "args": args });
        self.post("execute/sync", "execute script", body).await
    }

    /// Runs `script` with a completion callback as its last argument and returns what it passes.
    pub async fn execute_async(&self, script: &str, args: Vec<Value>) -> Result<Value> {
        let body = json!({ "script": script, "args": args });
        self.post("execute/async", "execute async script", body)
            .await
    }

    /// Ends the session (tauri-driver then stops the app).
    pub async fn close(&self) -> Result<()> {
        send(self.http.delete(&self.session_url), "delete session")
            .await
            .map(drop)
    }

    fn element(&self, value: Value, command: &str) -> Result<Element> {
        let id = value
            .get(ELEMENT_KEY)
            .and_then(Value::as_str)
            .ok_or_else(|| protocol(command, &value))?;
        Ok(Element {
            client: self.clone(),
            id: id.to_string(),
        })
    }

    async fn get(&self, path: &str, command: &str) -> Result<Value> {
        send(
            self.http.get(format!("{}/{path}", self.session_url)),
            command,
        )
        .await
    }

    async fn post(&self, path: &str, command: &str, body: Value) -> Result<Value> {
        let url = format!("{}/{path}", self.session_url);
        send(self.http.post(url).json(&body), command).await
    }
}

/// An element of the page, found through a [`Client`].
#[derive(Clone)]
pub struct Element {
    client: Client,
    id: String,
}

impl Element {
    /// The first element inside this one matching `locator`.
    pub async fn find(&self, locator: Locator<'_>) -> Result<Element> {
        let path = format!("element/{}/element", self.id);
        let value = self
            .client
            .post(&path, "find element", locator.to_json())
            .await?;
        self.client.element(value, "find element")
    }

    /// Clicks the element (scrolled into view by the driver).
    pub async fn click(&self) -> Result<()> {
        let path = format!("element/{}/click", self.id);
        self.client.post(&path, "click", json!({})).await.map(drop)
    }

    /// The rendered text of the element.
    pub async fn text(&self) -> Result<String> {
        let path = format!("element/{}/text", self.id);
        let value = self.client.get(&path, "element text").await?;
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| protocol("element text", &value))
    }

    /// The value of the attribute `name`, if the element has it.
    pub async fn attr(&self, name: &str) -> Result<Option<String>> {
        let path = format!("element/{}/attribute/{name}", self.id);
        let value = self.client.get(&path, "element attribute").await?;
        Ok(value.as_str().map(str::to_string))
    }

    /// Empties an input or textarea.
    pub async fn clear(&self) -> Result<()> {
        let path = format!("element/{}/clear", self.id);
        self.client.post(&path, "clear", json!({})).await.map(drop)
    }

    /// Types `text` into the element (W3C key codes such as [`KEY_ESCAPE`] included).
    pub async fn send_keys(&self, text: &str) -> Result<()> {
        let path = format!("element/{}/value", self.id);
        let body = json!({ "text": text });
        self.client.post(&path, "send keys", body).await.map(drop)
    }
}

/// Sends one command and unwraps the protocol's `{"value": …}` envelope, or its error.
async fn send(request: reqwest::RequestBuilder, command: &str) -> Result<Value> {
    let response = request.send().await?;
    let status = response.status();
    let body: Value = response.json().await?;
    let value = body.get("value").cloned().unwrap_or(Value::Null);
    if status.is_success() {
        return Ok(value);
    }
    let field = |key: &str| {
        value
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    Err(WebDriverError::Command {
        command: command.to_string(),
        error: field("error"),
        message: field("message"),
    })
}

fn protocol(command: &str, value: &Value) -> WebDriverError {
    WebDriverError::Protocol {
        command: command.to_string(),
        detail: value.to_string(),
    }
}
