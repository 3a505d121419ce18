//! Behaviour of the fake Strava, one module per behaviour: OAuth, tokens, uploads, duplicates,
//! activities, rate limits, faults, inspection; `support` holds the shared requests.

mod activities;
mod duplicates;
mod faults;
mod inspection;
mod oauth;
mod rate_limits;
mod support;
mod tokens;
mod uploads;
