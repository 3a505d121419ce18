//! The Strava client: sign-in (`auth`), the API core (`api`), uploads and the rate-limit budget (`limits`).

pub mod api;
pub mod auth;
pub mod limits;
pub mod uploads;
