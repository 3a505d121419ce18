//! A fake desktop notification server (`org.freedesktop.Notifications` on the session bus) that
//! records every notification it is asked to show, so the GUI suite can check what the app sent.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use zbus::zvariant::OwnedValue;

/// One `Notify` call, as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notified {
    pub app_name: String,
    pub summary: String,
    pub body: String,
}

/// The server: owns the well-known name while it lives (dropping it releases the name).
pub struct FakeNotificationServer {
    received: Arc<Mutex<Vec<Notified>>>,
    _connection: zbus::blocking::Connection,
}

impl FakeNotificationServer {
    /// Takes `org.freedesktop.Notifications` on the session bus (`DBUS_SESSION_BUS_ADDRESS`);
    /// fails when another server already has it.
    pub fn start() -> zbus::Result<Self> {
        let received = Arc::new(Mutex::new(Vec::new()));
        let server = Server {
            received: Arc::clone(&received),
            next_id: 0,
        };
        let connection = zbus::blocking::connection::Builder::session()?
            .serve_at("/org/freedesktop/Notifications", server)?
            .name("org.freedesktop.Notifications")?
            .build()?;
        Ok(Self {
            received,
            _connection: connection,
        })
    }

    /// Every notification received so far, oldest first.
    pub fn received(&self) -> Vec<Notified> {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

struct Server {
    received: Arc<Mutex<Vec<Notified>>>,
    next_id: u32,
}

/// The methods of the Desktop Notifications Specification a client may call.
#[zbus::interface(name = "org.freedesktop.Notifications")]
impl Server {
    #[allow(clippy::too_many_arguments)]
    fn notify(
        &mut self,
        app_name: String,
        _replaces_id: u32,
        _app_icon: String,
        summary: String,
        body: String,
        _actions: Vec<String>,
        _hints: HashMap<String, OwnedValue>,
        _expire_timeout: i32,
    ) -> u32 {
        self.received
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(Notified {
                app_name,
                summary,
                body,
            });
        self.next_id += 1;
        self.next_id
    }

    fn get_capabilities(&self) -> Vec<String> {
        vec!["body".to_string()]
    }

    fn get_server_information(&self) -> (String, String, String, String) {
        (
            "mtp-testkit".to_string(),
            "mtp-testkit".to_string(),
            "0".to_string(),
            "1.2".to_string(),
        )
    }

    fn close_notification(&self, _id: u32) {}
}
