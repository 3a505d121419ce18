//! The library: scanning, the cache, roots and drops, the list payload, regular files only.

mod bad_input;
mod cache;
mod list_payload;
mod listing;
mod regular_files;
mod roots;
mod scan_ahead;
mod two_phase;
mod watch;
