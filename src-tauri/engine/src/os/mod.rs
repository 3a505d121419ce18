//! What touches the desktop beyond files: the system browser, the OS keyring, and the
//! allocator's hold on freed memory.

pub mod browser;
pub mod keyring;
pub mod memory;
