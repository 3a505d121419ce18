//! mtp-services: the clients of the two services the app talks to, with no dependency on the
//! engine: Strava (OAuth, API core, uploads, rate-limit budget), Map the Paths Web (implicit-flow
//! sign-in, API), the OAuth protocol pieces of a browser sign-in (state, callback, loopback), and
//! what every request holds to (`net`: the address rule, no redirects, capped replies).

pub mod mtpw;
pub mod net;
pub mod oauth;
mod provider;
mod secret;
pub mod strava;

pub use provider::Provider;
pub use secret::Secret;
