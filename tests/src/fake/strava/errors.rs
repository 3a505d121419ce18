//! Strava's error replies: the Fault body `{"message", "errors": [{"resource", "field", "code"}]}`.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};

use crate::fake::faults::ErrorBody;
use crate::fake::http::{error_reply, json_reply};

/// Every error the fake Strava answers with, and the documented body for each.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StravaError {
    #[error("invalid or expired access token")]
    InvalidToken,
    #[error("token lacks scope {0}")]
    MissingScope(&'static str),
    #[error("invalid refresh token")]
    BadRefreshToken,
    #[error("bad request: {resource}.{field} {code}")]
    BadRequest {
        resource: &'static str,
        field: std::borrow::Cow<'static, str>,
        code: &'static str,
    },
    #[error("invalid client credentials")]
    BadClientSecret,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("rate limit exceeded")]
    RateLimited,
    #[error("injected server error {0}")]
    Server(u16),
    /// An error from the edge in front of the API: HTML, plain text or empty, no rate-limit headers.
    #[error("injected edge error {status}")]
    Edge { status: u16, body: ErrorBody },
    #[error("limit of connected athletes exceeded")]
    AthleteLimit,
    #[error("application inactive")]
    InactiveApplication,
}

impl StravaError {
    /// Shorthand for a 400 Fault.
    pub fn bad_request(resource: &'static str, field: &'static str, code: &'static str) -> Self {
        Self::BadRequest {
            resource,
            field: field.into(),
            code,
        }
    }

    /// [`StravaError::bad_request`] naming a field the request made up (an unknown field).
    pub fn bad_request_named(resource: &'static str, field: String, code: &'static str) -> Self {
        Self::BadRequest {
            resource,
            field: field.into(),
            code,
        }
    }

    /// The HTTP status Strava uses for this error.
    pub fn status(&self) -> StatusCode {
        match self {
            Self::InvalidToken | Self::MissingScope(_) | Self::BadClientSecret => {
                StatusCode::UNAUTHORIZED
            }
            Self::BadRefreshToken | Self::BadRequest { .. } => StatusCode::BAD_REQUEST,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Server(code) | Self::Edge { status: code, .. } => {
                StatusCode::from_u16(*code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
            }
            Self::AthleteLimit | Self::InactiveApplication => StatusCode::FORBIDDEN,
        }
    }

    /// The Fault body.
    pub fn body(&self) -> Value {
        match self {
            Self::InvalidToken => {
                fault("Authorization Error", "Athlete", "access_token", "invalid")
            }
            Self::MissingScope(scope) => fault(
                "Authorization Error",
                "AccessToken",
                &format!("{scope}_permission"),
                "missing",
            ),
            Self::BadRefreshToken => {
                fault("Bad Request", "RefreshToken", "refresh_token", "invalid")
            }
            Self::BadRequest {
                resource,
                field,
                code,
            } => fault("Bad Request", resource, field.as_ref(), code),
            Self::BadClientSecret => fault("Authorization Error", "Application", "", "invalid"),
            Self::NotFound(resource) => fault("Resource Not Found", resource, "", "not found"),
            Self::RateLimited => fault(
                "Rate Limit Exceeded",
                "Application",
                "rate limit",
                "exceeded",
            ),
            Self::Server(_) | Self::Edge { .. } => {
                json!({"message": "Internal Server Error", "errors": []})
            }
            Self::AthleteLimit => {
                json!({"message": "Limit of connected athletes exceeded", "errors": []})
            }
            Self::InactiveApplication => fault("Forbidden", "Application", "Status", "Inactive"),
        }
    }

    /// Whether the reply comes from the edge rather than the API (no rate-limit headers then).
    pub fn is_edge(&self) -> bool {
        matches!(self, Self::Edge { body, .. } if *body != ErrorBody::Json)
    }

    /// The complete reply.
    pub fn into_response(self) -> Response {
        match &self {
            Self::Edge { body, .. } => error_reply(self.status(), *body, &self.body()),
            _ => json_reply(self.status(), &self.body()),
        }
    }
}

fn fault(message: &str, resource: &str, field: &str, code: &str) -> Value {
    json!({
        "message": message,
        "errors": [{"resource": resource, "field": field, "code": code}],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_bodies_are_reproduced() {
        assert_eq!(
            StravaError::InvalidToken.body(),
            json!({"message":"Authorization Error","errors":[{"resource":"Athlete","field":"access_token","code":"invalid"}]})
        );
        assert_eq!(
            StravaError::MissingScope("activity:write").body()["errors"][0],
            json!({"resource":"AccessToken","field":"activity:write_permission","code":"missing"})
        );
        assert_eq!(
            StravaError::RateLimited.body(),
            json!({"message":"Rate Limit Exceeded","errors":[{"resource":"Application","field":"rate limit","code":"exceeded"}]})
        );
        assert_eq!(
            StravaError::BadRefreshToken.status(),
            StatusCode::BAD_REQUEST
        );
        assert_eq!(
            StravaError::NotFound("Activity").body(),
            json!({"message":"Resource Not Found","errors":[{"resource":"Activity","field":"","code":"not found"}]})
        );
    }
}
