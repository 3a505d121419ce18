//! The upload pipeline and queue: steps, retries, the lookup of a lost answer, rate limits,
//! control, real accounts.

mod lookup;
mod pipeline;
mod queue;
mod rate_limits;
mod retries;
mod with_accounts;
