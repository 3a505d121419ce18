//! What touches the desktop beyond files: the system browser and the OS keyring.

pub mod browser;
pub mod keyring;
