//! Activities: listing the athlete's (a time window, pages), reading one (visibility rules),
//! updating one (UpdatableActivity), deleting one.

use serde_json::Value;

use super::errors::StravaError;
use super::resources::{activity_detailed, activity_summary};
use super::routes::UPDATABLE_ACTIVITY_FIELDS;
use super::state::{Activity, StravaState, UploadOutcome};
use super::tokens::Caller;
use crate::fake::http::Incoming;

/// Strava's `SportType` values, as `PUT /activities/{id}` accepts them.
pub const SPORT_TYPES: &[&str] = &[
    "AlpineSki",
    "BackcountrySki",
    "Badminton",
    "Canoeing",
    "Crossfit",
    "EBikeRide",
    "Elliptical",
    "EMountainBikeRide",
    "Golf",
    "GravelRide",
    "Handcycle",
    "HighIntensityIntervalTraining",
    "Hike",
    "IceSkate",
    "InlineSkate",
    "Kayaking",
    "Kitesurf",
    "MountainBikeRide",
    "NordicSki",
    "Pickleball",
    "Pilates",
    "Racquetball",
    "Ride",
    "RockClimbing",
    "RollerSki",
    "Rowing",
    "Run",
    "Sail",
    "Skateboard",
    "Snowboard",
    "Snowshoe",
    "Soccer",
    "Squash",
    "StairStepper",
    "StandUpPaddling",
    "Surfing",
    "Swim",
    "TableTennis",
    "Tennis",
    "TrailRun",
    "Velomobile",
    "VirtualRide",
    "VirtualRow",
    "VirtualRun",
    "Walk",
    "WeightTraining",
    "Wheelchair",
    "Windsurf",
    "Workout",
    "Yoga",
];

/// `per_page` when none is given (the swagger's default).
pub const DEFAULT_PER_PAGE: u64 = 30;
/// The most `per_page` gives (Strava caps larger values at this).
pub const MAX_PER_PAGE: u64 = 200;

/// The legacy `type` shown beside a `sport_type`.
pub fn legacy_type(sport_type: &str) -> &str {
    match sport_type {
        "MountainBikeRide" | "GravelRide" => "Ride",
        "EMountainBikeRide" => "EBikeRide",
        "TrailRun" => "Run",
        other => other,
    }
}

impl StravaState {
    /// The caller's own live activity; a private one also needs `activity:read_all`.
    /// Anything else is 404 Resource Not Found, as Strava hides what the caller may not see.
    fn visible_activity(&self, caller: &Caller, id: Option<&str>) -> Option<usize> {
        let id = id.and_then(|s| s.parse::<u64>().ok())?;
        self.activities.iter().position(|a| {
            a.id == id
                && a.athlete_id == caller.athlete_id
                && !a.deleted
                && (!a.private || caller.has_scope("activity:read_all"))
        })
    }

    /// `GET /athlete/activities`: the caller's live activities that started after `after`
    /// and before `before` (epoch seconds, both optional), as SummaryActivity objects, one page
    /// of `per_page` (default 30, at most 200). Newest first; oldest first when `after` is
    /// given (as Strava is reported to order them). Private ones need `activity:read_all`.
    pub fn list_activities(&self, caller: &Caller, req: &Incoming) -> Result<Value, StravaError> {
        let number = |name: &'static str| -> Result<Option<i64>, StravaError> {
            match req.query_value(name).map(str::trim) {
                None | Some("") => Ok(None),
                Some(text) => text
                    .parse::<i64>()
                    .map(Some)
                    .map_err(|_| StravaError::bad_request("Activity", name, "invalid")),
            }
        };
        let (before, after) = (number("before")?, number("after")?);
        let page = number("page")?.unwrap_or(1).max(1) as u64;
        let per_page = number("per_page")?
            .map_or(DEFAULT_PER_PAGE, |n| n.clamp(1, MAX_PER_PAGE as i64) as u64);
        let mut found: Vec<(i64, &Activity)> = self
            .activities
            .iter()
            .filter(|a| {
                a.athlete_id == caller.athlete_id
                    && !a.deleted
                    && (!a.private || caller.has_scope("activity:read_all"))
            })
            .filter_map(|a| Some((a.time_range()?.0, a)))
            .filter(|(start, _)| after.is_none_or(|after| *start > after))
            .filter(|(start, _)| before.is_none_or(|before| *start < before))
            .collect();
        found.sort_by_key(|(start, a)| (*start, a.id));
        if after.is_none() {
            found.reverse();
        }
        let page: Vec<Value> = found
            .into_iter()
            .skip(((page - 1) * per_page) as usize)
            .take(per_page as usize)
            .map(|(_, a)| activity_summary(a))
            .collect();
        Ok(Value::Array(page))
    }

    /// `GET /activities/{id}`.
    pub fn activity_for(&self, caller: &Caller, id: Option<&str>) -> Result<Value, StravaError> {
        let index = self
            .visible_activity(caller, id)
            .ok_or(StravaError::NotFound("Activity"))?;
        Ok(activity_detailed(&self.activities[index]))
    }

    /// `PUT /activities/{id}` with an UpdatableActivity as JSON or form body.
    pub fn update_activity(
        &mut self,
        caller: &Caller,
        id: Option<&str>,
        req: &Incoming,
    ) -> Result<Value, StravaError> {
        let index = self
            .visible_activity(caller, id)
            .ok_or(StravaError::NotFound("Activity"))?;
        if req.body_problem.is_some() {
            return Err(StravaError::bad_request("Activity", "body", "invalid"));
        }
        let update = Update::read(req)?;
        let activity = &mut self.activities[index];
        update.apply(activity);
        Ok(activity_detailed(activity))
    }

    /// Deletes an activity the way an athlete would on strava.com; its upload then says so.
    pub fn delete_activity(&mut self, id: u64) -> bool {
        let Some(activity) = self
            .activities
            .iter_mut()
            .find(|a| a.id == id && !a.deleted)
        else {
            return false;
        };
        activity.deleted = true;
        let upload_id = activity.upload_id;
        if let Some(upload) = self.uploads.iter_mut().find(|u| u.id == upload_id) {
            upload.outcome = UploadOutcome::Deleted;
        }
        true
    }
}

/// The UpdatableActivity fields a request names; the others stay as they are.
#[derive(Debug, Default)]
struct Update {
    name: Option<String>,
    description: Option<String>,
    sport_type: Option<String>,
    commute: Option<bool>,
    trainer: Option<bool>,
    hide_from_home: Option<bool>,
    gear_id: Option<Option<String>>,
}

impl Update {
    /// Reads the fields; a JSON body that is not an object, or a field UpdatableActivity does
    /// not have, is refused (400 `Activity/<field>/invalid`): stricter than Strava is known to
    /// be, so a misspelt field fails a test instead of being ignored.
    fn read(req: &Incoming) -> Result<Update, StravaError> {
        let named: Vec<String> = match (&req.json, &req.form) {
            (Some(Value::Object(object)), _) => object.keys().cloned().collect(),
            (Some(_), _) => return Err(StravaError::bad_request("Activity", "body", "invalid")),
            (None, Some(form)) => form.keys().cloned().collect(),
            (None, None) => Vec::new(),
        };
        if let Some(unknown) = named
            .iter()
            .find(|name| !UPDATABLE_ACTIVITY_FIELDS.contains(&name.as_str()))
        {
            return Err(StravaError::bad_request_named(
                "Activity",
                unknown.clone(),
                "invalid",
            ));
        }
        let text = |name: &str| -> Option<String> {
            match req.json.as_ref().and_then(|j| j.get(name)) {
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Null) | None => req.form_value(name).map(str::to_string),
                Some(other) => Some(other.to_string()),
            }
        };
        let flag = |name: &'static str| -> Result<Option<bool>, StravaError> {
            match text(name).as_deref().map(str::trim) {
                None => Ok(None),
                Some("true") | Some("1") => Ok(Some(true)),
                Some("false") | Some("0") => Ok(Some(false)),
                Some(_) => Err(StravaError::bad_request("Activity", name, "invalid")),
            }
        };
        let sport_type = text("sport_type");
        if let Some(sport) = &sport_type {
            if !SPORT_TYPES.contains(&sport.as_str()) {
                return Err(StravaError::bad_request(
                    "Activity",
                    "sport_type",
                    "invalid",
                ));
            }
        }
        let gear_id = text("gear_id").map(|g| (g != "none" && !g.is_empty()).then_some(g));
        Ok(Update {
            name: text("name"),
            description: text("description"),
            sport_type,
            commute: flag("commute")?,
            trainer: flag("trainer")?,
            hide_from_home: flag("hide_from_home")?,
            gear_id,
        })
    }

    fn apply(self, activity: &mut Activity) {
        if let Some(name) = self.name {
            activity.name = name;
        }
        if let Some(description) = self.description {
            activity.description = description;
        }
        if let Some(sport_type) = self.sport_type {
            activity.sport_type = sport_type;
        }
        if let Some(commute) = self.commute {
            activity.commute = commute;
        }
        if let Some(trainer) = self.trainer {
            activity.trainer = trainer;
        }
        if let Some(hide) = self.hide_from_home {
            activity.hide_from_home = hide;
        }
        if let Some(gear_id) = self.gear_id {
            activity.gear_id = gear_id;
        }
    }
}
