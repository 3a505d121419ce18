//! What every request of the app holds to, whichever service it goes to: the one rule for a
//! service address (`base`), the one HTTP client builder, which follows no redirect
//! (`client`), a capped read of every reply (`reply`) and the cut of any text a server sent
//! before it is stored or shown (`text`).

mod base;
mod blocked;
mod client;
mod reply;
#[cfg(test)]
pub(crate) mod test_server;
mod text;

pub use base::{check_base, host_label, same_origin, BaseError};
pub use blocked::Blocked;
pub use client::{http_client, HttpTimeouts};
pub use reply::{read_reply, ReadError, Reply, MAX_JSON_REPLY};
pub use text::{cut, server_text, MAX_SERVER_TEXT};
