//! Where tokens and the Strava client secret live: a small trait, the OS keyring, and memory (tests).
//!
//! Every call of [`Secrets`] may block (the keyring talks to D-Bus, Keychain or the Credential
//! Manager): callers run them off the main thread ([`crate::accounts::Accounts`] uses
//! `tokio::task::spawn_blocking`).

mod memory;
mod store;

pub use memory::{MemorySecrets, SecretWrite};
pub use mtp_services::Secret;
pub use store::{SecretKey, Secrets, SecretsError};
