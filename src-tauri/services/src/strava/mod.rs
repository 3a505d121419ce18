//! The Strava client: sign-in (`auth`), the API core (`api`), uploads (their timeouts in
//! `upload_pace`), the athlete's activities (`activities`) and the rate-limit budget (`limits`).

pub mod activities;
pub mod api;
pub mod auth;
pub mod limits;
pub mod upload_pace;
pub mod uploads;
