//! Strava's 2026 rules at sign-in: an inactive API application (its owner has no subscription)
//! and an application that admits no more athletes until Strava reviews it each get their own
//! error, code and sentence saying what the photographer can do.

use crate::support::sign_in::{assert_no_secret, follow, World};
use mtp_engine::accounts::AuthError;
use mtp_engine::settings::{Provider, RedirectMode};
use mtp_engine::ErrorCode;
use mtp_services::strava::api::AppRefusal;
use mtp_testkit::fake::{FaultKind, FaultRule};

async fn refused_sign_in(kind: FaultKind) -> (World, AuthError) {
    let world = World::start().await;
    world
        .strava
        .add_fault(FaultRule::sometimes("POST /oauth/token", kind, 1.0));
    let sign_in = world
        .accounts
        .start_sign_in(Provider::Strava, RedirectMode::DeepLink)
        .await
        .unwrap();
    let location = follow(&sign_in.authorize_url).await;
    world.accounts.handle_callback(&location).unwrap();
    let err = sign_in.wait().await.unwrap_err();
    (world, err)
}

#[tokio::test]
async fn an_inactive_application_says_to_subscribe_or_use_another_application() {
    let (world, err) = refused_sign_in(FaultKind::InactiveApplication).await;
    assert_eq!(err, AuthError::StravaAppRefused(AppRefusal::Inactive));
    assert_eq!(err.code(), "app_inactive");
    let user = err.to_user();
    assert_eq!(user.code, ErrorCode::StravaAppInactive);
    assert!(user.message.contains("inactive"), "{}", user.message);
    assert!(user.message.contains("subscri"), "{}", user.message);
    assert!(
        user.message.contains("your own API application"),
        "{}",
        user.message
    );
    assert_no_secret(&world, &user.message);
    assert!(!world.accounts.status().await.strava.connected);
}

#[tokio::test]
async fn the_athlete_cap_says_to_have_the_application_reviewed_or_use_another() {
    let (world, err) = refused_sign_in(FaultKind::AthleteLimit).await;
    assert_eq!(err, AuthError::StravaAppRefused(AppRefusal::AthleteLimit));
    let user = err.to_user();
    assert_eq!(user.code, ErrorCode::StravaAthleteLimit);
    assert!(
        user.message.contains("limit of connected athletes"),
        "{}",
        user.message
    );
    assert!(user.message.contains("review"), "{}", user.message);
    assert!(
        user.message.contains("your own API application"),
        "{}",
        user.message
    );
    assert_no_secret(&world, &user.message);
    assert!(!world.accounts.status().await.strava.connected);
}
