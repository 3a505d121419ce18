//! The OAuth protocol pieces of a browser sign-in: state values, pending sign-ins, the callback
//! router and the loopback listener (opening the browser is the engine's, with the other OS code).

mod callback;
mod loopback;
mod pending;
mod state;

pub use callback::{
    parse_callback, url_base as callback_base, Callback, CallbackError, MAX_CALLBACK_BYTES,
};
pub use loopback::{LoopbackListener, RouteFn};
pub use pending::{CallbackGrant, PendingSignIns, RouteOutcome, SignInTicket};
pub use state::{constant_time_eq, new_state};

/// The app's deep-link scheme (registered in tauri.conf.json).
pub const DEEP_LINK_SCHEME: &str = "mtp-strava-uploader";

/// How long a sign-in waits for its callback, and how long its state is valid.
pub const SIGN_IN_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// `mtp-strava-uploader://localhost/<provider>/callback`.
pub fn deep_link(provider: crate::Provider) -> String {
    format!("{DEEP_LINK_SCHEME}://localhost{}", provider.callback_path())
}
