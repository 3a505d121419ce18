//! Accounts: sign-in to Strava and Map the Paths, their status, disconnect, and the token
//! source of the upload pipeline, over the secret store and the settings.
//!
//! Every method that touches the keyring is async and runs the keyring call on a blocking
//! thread, so the app may call them from its async commands; none blocks the main thread.

mod error;
mod handle;
mod records;
mod sign_in;
mod status;
mod tokens;

pub use error::AuthError;
pub use handle::{Accounts, AccountsParts};
pub use sign_in::SignIn;
pub use status::{AccountsStatus, DisconnectOutcome, KeyringStatus, MtpwStatus, StravaStatus};
