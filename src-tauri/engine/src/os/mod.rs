//! What touches the desktop beyond plain files: the system browser, the OS keyring, and the
//! file locks the app's processes share.

pub mod browser;
pub mod file_lock;
pub mod keyring;
