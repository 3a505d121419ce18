//! The upload pipeline and queue: steps, retries, the lookup of a lost answer, the upload's
//! timeouts, rate limits, control, real accounts.

mod app_refused;
mod automatic;
mod home_feed;
mod lookup;
mod pipeline;
mod queue;
mod rate_limits;
mod retries;
mod timeouts;
mod with_accounts;
