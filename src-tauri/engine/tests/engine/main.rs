//! The engine's integration tests, one binary: a module per behaviour, over the fake services.

mod bindings;
mod library;
mod sign_in;
mod support;
mod uploads;
