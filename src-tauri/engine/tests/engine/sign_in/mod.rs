//! Sign-in to Strava and Map the Paths: both redirect modes, tokens, settings, headless.

mod app_refused;
mod changed_base;
mod headless;
mod mtpw;
mod settings;
mod strava;
mod tokens;
