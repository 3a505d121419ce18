//! The Strava API: the upload client and its rate-limit budget.

pub mod api;
pub mod limits;
pub mod uploads;
