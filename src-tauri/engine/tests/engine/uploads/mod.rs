//! The upload pipeline and queue: steps, retries, rate limits, control, real accounts.

mod pipeline;
mod queue;
mod rate_limits;
mod retries;
mod with_accounts;
