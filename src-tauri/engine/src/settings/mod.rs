//! Non-secret settings (sign-in, service addresses, upload preferences), the environment
//! overrides, and the effective view.

mod effective;
mod env;
mod keys;
mod redirect;
mod store;
mod uploads;

pub use effective::{EffectiveSettings, SecretSource, SettingValue, SettingsUpdate};
pub use env::{check_base_var, EnvOverrides};
pub use keys::SettingKey;
pub use mtp_services::Provider;
pub use redirect::RedirectMode;
pub use store::{MemorySettings, SettingsError, SettingsStore};
pub use uploads::{
    flag_text, parse_flag, UploadPreferences, UploadPreferencesUpdate, AUTO_HIDE_KEY,
    HIDE_BACKFILLS_KEY, HIDE_RECENT_KEY,
};
