//! mtp-engine: all domain logic of the MTP Strava Uploader, with no Tauri dependency.
//!
//! The app shell (src-tauri/app) and the tests talk to the [`Engine`] facade only. Layers, low
//! to high: `files` (file facts) ← `store` (plain data) ← `library`, `gpx` ← `engine`.

pub mod accounts;
pub mod auth_flow;
pub mod compact_list;
pub mod config;
mod engine;
pub mod error;
mod error_code;
pub mod files;
pub mod gpx;
pub mod ipc;
pub mod library;
pub mod model;
pub mod mtpw;
pub mod pipeline;
pub mod secrets;
pub mod settings;
mod store;
pub mod strava;
pub mod upload_queue;

pub use config::EngineConfig;
pub use engine::Engine;
pub use error::EngineError;
pub use error_code::{ErrorCode, UserError};
pub use model::*;
