//! The Map the Paths Web client: sign-in (`auth`) and the API (`api`).

pub mod api;
pub mod auth;
