//! The errors the engine reports to the app (each message is for the user and names what it is
//! about) and the code and sentence the UI receives for them.

mod engine;
mod strava_app;
mod user;

pub use engine::EngineError;
pub use strava_app::{refusal_code, refusal_text};
pub use user::{ErrorCode, UserError};
