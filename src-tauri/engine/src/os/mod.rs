//! What touches the desktop beyond plain files: the system browser, the OS keyring, the file
//! locks the app's processes share, and the allocator's hold on freed memory.

pub mod browser;
pub mod file_lock;
pub mod keyring;
pub mod memory;
