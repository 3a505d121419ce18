//! The Strava client: sign-in (`auth`).

pub mod auth;
