//! The `/api/v3` routes the fake Strava serves, with their parameters as the swagger names them.

/// Where a parameter travels, as in the swagger `in` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamIn {
    Path,
    Query,
    FormData,
    /// A JSON body; `kind` is the schema it follows.
    Body,
}

/// One parameter or form field the fake reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub location: ParamIn,
    /// The swagger `type` (integer, string, boolean, file), or the schema name of a body.
    pub kind: &'static str,
}

/// The routes of the fake's API (relative to `/api/v3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiRoute {
    GetAthlete,
    ListAthleteActivities,
    CreateUpload,
    GetUpload,
    GetActivity,
    UpdateActivity,
}

/// A route, its method, its swagger path and what it reads.
#[derive(Debug, Clone, Copy)]
pub struct RouteSpec {
    pub route: ApiRoute,
    pub method: &'static str,
    pub path: &'static str,
    pub params: &'static [Param],
}

const fn param(name: &'static str, location: ParamIn, kind: &'static str) -> Param {
    Param {
        name,
        location,
        kind,
    }
}

/// Every `/api/v3` route served; the dispatcher matches requests against this table only.
pub const API_ROUTES: &[RouteSpec] = &[
    RouteSpec {
        route: ApiRoute::GetAthlete,
        method: "GET",
        path: "/athlete",
        params: &[],
    },
    RouteSpec {
        route: ApiRoute::ListAthleteActivities,
        method: "GET",
        path: "/athlete/activities",
        params: &[
            param("before", ParamIn::Query, "integer"),
            param("after", ParamIn::Query, "integer"),
            param("page", ParamIn::Query, "integer"),
            param("per_page", ParamIn::Query, "integer"),
        ],
    },
    RouteSpec {
        route: ApiRoute::CreateUpload,
        method: "POST",
        path: "/uploads",
        params: &[
            param("file", ParamIn::FormData, "file"),
            param("name", ParamIn::FormData, "string"),
            param("description", ParamIn::FormData, "string"),
            param("trainer", ParamIn::FormData, "string"),
            param("commute", ParamIn::FormData, "string"),
            param("data_type", ParamIn::FormData, "string"),
            param("external_id", ParamIn::FormData, "string"),
        ],
    },
    RouteSpec {
        route: ApiRoute::GetUpload,
        method: "GET",
        path: "/uploads/{uploadId}",
        params: &[param("uploadId", ParamIn::Path, "integer")],
    },
    RouteSpec {
        route: ApiRoute::GetActivity,
        method: "GET",
        path: "/activities/{id}",
        params: &[
            param("id", ParamIn::Path, "integer"),
            param("include_all_efforts", ParamIn::Query, "boolean"),
        ],
    },
    RouteSpec {
        route: ApiRoute::UpdateActivity,
        method: "PUT",
        path: "/activities/{id}",
        params: &[
            param("id", ParamIn::Path, "integer"),
            param("body", ParamIn::Body, "UpdatableActivity"),
        ],
    },
];

/// The fields of `UpdatableActivity` that `PUT /activities/{id}` reads (JSON or form body).
pub const UPDATABLE_ACTIVITY_FIELDS: &[&str] = &[
    "name",
    "description",
    "sport_type",
    "commute",
    "trainer",
    "hide_from_home",
    "gear_id",
];

/// The route for `method` and a path relative to `/api/v3`, with the path parameter if any.
pub fn match_route(method: &str, path: &str) -> Option<(ApiRoute, Option<String>)> {
    let have: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    API_ROUTES
        .iter()
        .filter(|spec| spec.method == method)
        .find_map(|spec| {
            let want: Vec<&str> = spec.path.split('/').filter(|s| !s.is_empty()).collect();
            if want.len() != have.len() {
                return None;
            }
            let mut captured = None;
            for (w, h) in want.iter().zip(&have) {
                if w.starts_with('{') {
                    captured = Some((*h).to_string());
                } else if w != h {
                    return None;
                }
            }
            Some((spec.route, captured))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_table_paths_only() {
        assert_eq!(
            match_route("GET", "/uploads/42"),
            Some((ApiRoute::GetUpload, Some("42".into())))
        );
        assert_eq!(
            match_route("POST", "/uploads"),
            Some((ApiRoute::CreateUpload, None))
        );
        assert_eq!(match_route("GET", "/uploads"), None);
        assert_eq!(
            match_route("PUT", "/activities/7"),
            Some((ApiRoute::UpdateActivity, Some("7".into())))
        );
        assert_eq!(match_route("GET", "/athlete/zones"), None);
        assert_eq!(
            match_route("GET", "/athlete/activities"),
            Some((ApiRoute::ListAthleteActivities, None))
        );
    }
}
