//! The OAuth protocol pieces of a browser sign-in: state values, pending sign-ins, the callback
//! router and the loopback listener (opening the browser is the engine's, with the other OS code).

mod callback;
mod deep_link;
mod loopback;
mod pending;
mod state;

pub use callback::{
    parse_callback, url_base as callback_base, Callback, CallbackError, MAX_CALLBACK_BYTES,
};
pub use deep_link::{deep_link, DEEP_LINK_SCHEME, SIGN_IN_TIMEOUT};
pub use loopback::{router as loopback_router, LoopbackListener, RouteFn};
pub use pending::{CallbackGrant, PendingSignIns, RouteOutcome, SignInTicket};
pub use state::{constant_time_eq, new_state};
