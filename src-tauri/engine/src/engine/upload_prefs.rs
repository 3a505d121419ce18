//! The upload preferences in the store: the confirm dialog's remembered feed choices and the
//! setting automatic uploads follow ([`Engine::auto_hide_from_home`]).

use crate::engine::Engine;
use crate::error::EngineError;
use crate::settings::{
    flag_text, parse_flag, UploadPreferences, UploadPreferencesUpdate, AUTO_HIDE_KEY,
    HIDE_BACKFILLS_KEY, HIDE_RECENT_KEY,
};

impl Engine {
    /// The upload preferences as stored (defaults where none is).
    pub fn upload_preferences(&self) -> Result<UploadPreferences, EngineError> {
        let flag = |key| -> Result<Option<bool>, EngineError> {
            Ok(parse_flag(self.store.setting(key)?.as_deref()))
        };
        Ok(UploadPreferences {
            hide_backfills: flag(HIDE_BACKFILLS_KEY)?,
            hide_recent: flag(HIDE_RECENT_KEY)?,
            auto_hide_from_home: flag(AUTO_HIDE_KEY)?.unwrap_or(false),
        })
    }

    /// Saves the preferences `update` names; answers them all.
    pub fn save_upload_preferences(
        &self,
        update: &UploadPreferencesUpdate,
    ) -> Result<UploadPreferences, EngineError> {
        for (key, value) in [
            (HIDE_BACKFILLS_KEY, update.hide_backfills),
            (HIDE_RECENT_KEY, update.hide_recent),
            (AUTO_HIDE_KEY, update.auto_hide_from_home),
        ] {
            if let Some(value) = value {
                self.store.save_setting(key, flag_text(value))?;
            }
        }
        self.upload_preferences()
    }

    /// Whether automatic uploads keep their activities off the followers' home feeds (the
    /// setting `uploads.auto_hide_from_home`, off by default): pass it as
    /// [`crate::uploads::EnqueueOptions::hide_from_home`] when queueing them.
    pub fn auto_hide_from_home(&self) -> Result<bool, EngineError> {
        Ok(self.upload_preferences()?.auto_hide_from_home)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::secrets::MemorySecrets;
    use crate::settings::EnvOverrides;
    use crate::EngineConfig;

    #[test]
    fn choices_are_remembered_and_automatic_uploads_show_by_default() {
        let tmp = tempfile::tempdir().unwrap();
        let config = EngineConfig {
            data_dir: tmp.path().join("data"),
            default_root: tmp.path().join("sequences"),
        };
        let open = || {
            Engine::open_with_secrets(
                config.clone(),
                Arc::new(MemorySecrets::new()),
                EnvOverrides::none(),
            )
            .unwrap()
        };
        let engine = open();
        assert_eq!(
            engine.upload_preferences().unwrap(),
            UploadPreferences::default()
        );
        assert!(!engine.auto_hide_from_home().unwrap());
        let saved = engine
            .save_upload_preferences(&UploadPreferencesUpdate {
                hide_backfills: Some(false),
                auto_hide_from_home: Some(true),
                ..UploadPreferencesUpdate::default()
            })
            .unwrap();
        assert_eq!(saved.hide_backfills, Some(false));
        assert_eq!(saved.hide_recent, None, "left alone");
        drop(engine);
        let engine = open();
        assert!(
            engine.auto_hide_from_home().unwrap(),
            "kept across restarts"
        );
        assert_eq!(
            engine.upload_preferences().unwrap().hide_backfills,
            Some(false)
        );
    }
}
