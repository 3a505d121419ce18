//! Map the Paths Web: the API client.

pub mod api;
