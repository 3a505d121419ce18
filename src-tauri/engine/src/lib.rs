//! mtp-engine: all domain logic of the MTP Strava Uploader, with no Tauri dependency.
//!
//! Layers, low to high (a module imports only from below it): `model`, `error`, `tokens`,
//! `files` ← `store`, `settings`, `secrets`, `os` ← `gpx`, `library` ← `accounts` ← `engine`
//! (the library and accounts facade) ← `uploads` ← `diagnostics`, `ipc`. The service clients are the
//! `mtp-services` crate, below all of them.

pub mod accounts;
pub mod config;
pub mod diagnostics;
mod engine;
pub mod error;
pub mod files;
pub mod gpx;
pub mod ipc;
pub mod library;
pub mod model;
pub mod os;
pub mod secrets;
pub mod settings;
mod store;
pub mod tokens;
pub mod uploads;

pub use config::EngineConfig;
pub use engine::{Engine, LibraryWatch, WatchOptions, WatchReport};
pub use error::{EngineError, ErrorCode, UserError};
pub use model::*;
pub use store::{set_aside_damaged, SetAside};
