//! The names, defaults and environment variables of the settings.

/// One stored setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SettingKey {
    StravaClientId,
    StravaApiBase,
    StravaOauthBase,
    StravaScopes,
    RedirectMode,
    MtpwBase,
    MtpwClientId,
    MtpwRedirectUri,
    DebugLog,
    AutoUpload,
}

/// The default deep link Map the Paths sends the token to.
pub const MTPW_DEEP_LINK: &str = "mtp-strava-uploader://localhost/mtpw/callback";

impl SettingKey {
    pub const ALL: [SettingKey; 10] = [
        SettingKey::StravaClientId,
        SettingKey::StravaApiBase,
        SettingKey::StravaOauthBase,
        SettingKey::StravaScopes,
        SettingKey::RedirectMode,
        SettingKey::MtpwBase,
        SettingKey::MtpwClientId,
        SettingKey::MtpwRedirectUri,
        SettingKey::DebugLog,
        SettingKey::AutoUpload,
    ];

    /// The key in the store's `settings` table.
    pub fn store_key(self) -> &'static str {
        match self {
            SettingKey::StravaClientId => "strava.client_id",
            SettingKey::StravaApiBase => "strava.api_base",
            SettingKey::StravaOauthBase => "strava.oauth_base",
            SettingKey::StravaScopes => "strava.scopes",
            SettingKey::RedirectMode => "sign_in.redirect_mode",
            SettingKey::MtpwBase => "mtpw.base",
            SettingKey::MtpwClientId => "mtpw.client_id",
            SettingKey::MtpwRedirectUri => "mtpw.redirect_uri",
            SettingKey::DebugLog => "log.debug",
            // when on: the Unix time it was switched on at
            SettingKey::AutoUpload => "uploads.auto_since",
        }
    }

    /// The value when nothing is stored and nothing is set in the environment.
    pub fn default_value(self) -> &'static str {
        match self {
            SettingKey::StravaClientId
            | SettingKey::MtpwClientId
            | SettingKey::DebugLog
            | SettingKey::AutoUpload => "",
            SettingKey::StravaApiBase => "https://www.strava.com/api/v3",
            SettingKey::StravaOauthBase => "https://www.strava.com",
            // activity:read_all: before an upload whose answer was lost is sent again, the app
            // looks for its activity, which may be private ("Only Me").
            SettingKey::StravaScopes => "activity:write,activity:read_all,read",
            SettingKey::RedirectMode => "deep-link",
            SettingKey::MtpwBase => "https://www.mapthepaths.com",
            SettingKey::MtpwRedirectUri => MTPW_DEEP_LINK,
        }
    }

    /// The environment variable that overrides it for one run, if any.
    pub fn env_var(self) -> Option<&'static str> {
        match self {
            SettingKey::StravaClientId => Some("MTP_STRAVA_CLIENT_ID"),
            SettingKey::StravaApiBase => Some("MTP_STRAVA_API_BASE"),
            SettingKey::StravaOauthBase => Some("MTP_STRAVA_OAUTH_BASE"),
            SettingKey::MtpwBase => Some("MTPW_BASE"),
            SettingKey::MtpwClientId => Some("MTPW_CLIENT_ID"),
            SettingKey::MtpwRedirectUri => Some("MTPW_REDIRECT_URI"),
            // RUST_LOG raises the log level too, but it is read by the shell's logger, not here.
            SettingKey::StravaScopes
            | SettingKey::RedirectMode
            | SettingKey::DebugLog
            | SettingKey::AutoUpload => None,
        }
    }

    /// A service address, held to the one address rule ([`mtp_services::net::check_base`]).
    pub fn is_base(self) -> bool {
        matches!(
            self,
            SettingKey::StravaApiBase | SettingKey::StravaOauthBase | SettingKey::MtpwBase
        )
    }

    /// The field's name in messages and in [`super::SettingsUpdate`].
    pub fn label(self) -> &'static str {
        match self {
            SettingKey::StravaClientId => "Strava Client ID",
            SettingKey::StravaApiBase => "Strava API base URL",
            SettingKey::StravaOauthBase => "Strava OAuth base URL",
            SettingKey::StravaScopes => "Strava scopes",
            SettingKey::RedirectMode => "Redirect mode",
            SettingKey::MtpwBase => "Map the Paths base URL",
            SettingKey::MtpwClientId => "Map the Paths client id",
            SettingKey::MtpwRedirectUri => "Map the Paths redirect URI",
            SettingKey::DebugLog => "Detailed log",
            SettingKey::AutoUpload => "Upload new sequences automatically",
        }
    }
}

/// The environment variable of the Strava Client Secret (used, never written).
pub const STRAVA_CLIENT_SECRET_VAR: &str = "MTP_STRAVA_CLIENT_SECRET";
