//! The Map the Paths Web client: sign-in (`auth`).

pub mod auth;
