//! mtp-services: the clients of the two services the app talks to, with no dependency on the
//! engine: Strava (OAuth, API core, uploads, rate-limit budget), Map the Paths Web (implicit-flow
//! sign-in, API), and the OAuth protocol pieces of a browser sign-in (state, callback, loopback).

pub mod mtpw;
pub mod oauth;
mod provider;
mod secret;
pub mod strava;

pub use provider::Provider;
pub use secret::Secret;
