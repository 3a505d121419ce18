//! What the photographer reads, and can do, when Strava refuses the API application itself.

use mtp_services::strava::api::AppRefusal;

use super::user::ErrorCode;

/// The sentence for a refusal: what Strava said, and what the photographer can do about it.
pub fn refusal_text(refusal: AppRefusal) -> &'static str {
    match refusal {
        AppRefusal::Inactive => {
            "Strava has made the API application inactive (HTTP 403): since 30 June 2026 an \
             application works only while its owner has a Strava subscription. Ask the \
             application's owner to subscribe on strava.com (if it is yours, subscribe), or use \
             your own API application: create one at strava.com/settings/api and enter its \
             Client ID and Client Secret in Accounts"
        }
        AppRefusal::AthleteLimit => {
            "Strava refused the athlete (HTTP 403, limit of connected athletes exceeded): until \
             Strava reviews the API application it admits only a few athletes. Ask the \
             application's owner to have Strava review it (developers.strava.com), or use your \
             own API application: create one at strava.com/settings/api and enter its Client \
             ID and Client Secret in Accounts"
        }
    }
}

/// The code a screen branches on for a refusal.
pub fn refusal_code(refusal: AppRefusal) -> ErrorCode {
    match refusal {
        AppRefusal::Inactive => ErrorCode::StravaAppInactive,
        AppRefusal::AthleteLimit => ErrorCode::StravaAthleteLimit,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_refusal_names_what_the_photographer_can_do() {
        let inactive = refusal_text(AppRefusal::Inactive);
        assert!(inactive.contains("subscri"), "{inactive}");
        assert!(inactive.contains("your own API application"), "{inactive}");
        let cap = refusal_text(AppRefusal::AthleteLimit);
        assert!(cap.contains("review"), "{cap}");
        assert!(cap.contains("your own API application"), "{cap}");
        assert_ne!(
            refusal_code(AppRefusal::Inactive),
            refusal_code(AppRefusal::AthleteLimit)
        );
    }
}
