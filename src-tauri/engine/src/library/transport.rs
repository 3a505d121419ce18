//! Which transport methods go to Strava, and as which activity type (MTP's own mapping, embedded).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use crate::model::StravaEligibility;

/// MTP Desktop Uploader's mapping: parent type → method → Strava activity type, or `false`.
const MAPPING_JSON: &str = include_str!("../../data/mtp-transport-to-strava.json");

type Mapping = BTreeMap<String, BTreeMap<String, serde_json::Value>>;

fn mapping() -> &'static Mapping {
    static MAPPING: OnceLock<Mapping> = OnceLock::new();
    // The file is part of the source and checked by a test; an empty map would only make nothing eligible.
    MAPPING.get_or_init(|| serde_json::from_str(MAPPING_JSON).unwrap_or_default())
}

/// Looks the method up (case-insensitively), preferring the given parent type.
pub fn eligibility(transport_type: Option<&str>, method: Option<&str>) -> StravaEligibility {
    let Some(method) = method.map(str::trim).filter(|m| !m.is_empty()) else {
        return refuse(
            "the sequence has no transport method, so it has no Strava activity type".into(),
        );
    };
    match lookup(transport_type, method) {
        Some(serde_json::Value::String(activity)) => StravaEligibility {
            eligible: true,
            activity_type: Some(activity.clone()),
            reason: None,
        },
        Some(_) => refuse(format!("MTP does not send ‘{method}’ sequences to Strava")),
        None => refuse(format!(
            "‘{method}’ is not a transport method MTP knows, so it has no Strava activity type"
        )),
    }
}

fn lookup(transport_type: Option<&str>, method: &str) -> Option<&'static serde_json::Value> {
    let in_parent = |methods: &'static BTreeMap<String, serde_json::Value>| {
        methods
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(method))
            .map(|(_, value)| value)
    };
    let parent = transport_type.and_then(|wanted| {
        mapping()
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(wanted.trim()))
    });
    parent
        .and_then(|(_, methods)| in_parent(methods))
        .or_else(|| mapping().values().find_map(in_parent))
}

fn refuse(reason: String) -> StravaEligibility {
    StravaEligibility {
        eligible: false,
        activity_type: None,
        reason: Some(reason),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_mapping_parses_and_has_every_parent() {
        let parsed: Mapping = serde_json::from_str(MAPPING_JSON).unwrap();
        let parents: Vec<&str> = parsed.keys().map(String::as_str).collect();
        assert_eq!(parents, ["Air", "Earth", "Other", "Snow", "Water"]);
    }

    #[test]
    fn methods_that_map_to_a_type_are_eligible() {
        let e = eligibility(Some("Water"), Some("Paddleboard"));
        assert_eq!(e.activity_type.as_deref(), Some("StandUpPaddling"));
        assert!(e.eligible && e.reason.is_none());
        assert_eq!(
            eligibility(Some("Earth"), Some("bicycle"))
                .activity_type
                .as_deref(),
            Some("Ride")
        );
        assert_eq!(
            eligibility(None, Some("Ski")).activity_type.as_deref(),
            Some("NordicSki")
        );
    }

    #[test]
    fn false_unknown_and_missing_methods_are_not_eligible_with_a_reason() {
        let car = eligibility(Some("Earth"), Some("Car"));
        assert!(!car.eligible);
        assert_eq!(
            car.reason.as_deref(),
            Some("MTP does not send ‘Car’ sequences to Strava")
        );
        let unknown = eligibility(Some("Earth"), Some("Hovercraft"));
        assert!(unknown
            .reason
            .unwrap()
            .contains("‘Hovercraft’ is not a transport method"));
        let missing = eligibility(Some("Earth"), None);
        assert!(!missing.eligible);
        assert!(missing.reason.unwrap().contains("no transport method"));
    }
}
