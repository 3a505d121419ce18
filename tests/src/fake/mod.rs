//! Fake Strava and fake MTPW (owned by the fake-services work).
