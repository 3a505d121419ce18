//! The hold: when Strava refuses the API application itself (inactive, athlete cap), the whole
//! queue stops where it stands, without retries, saying why, until the photographer resumes it.

use super::queue::Uploads;
use crate::error::UserError;

impl Uploads {
    /// Holds the queue: each job stops at its next step; `why` is what the Uploads screen and
    /// the CLI say.
    pub(super) fn hold(&self, why: UserError) {
        log::warn!("the upload queue holds: {}", why.message);
        self.control.hold();
        let mut state = self.lock();
        if state.held.is_none() {
            state.held = Some(why);
        }
    }

    /// Ends the hold (a new run tries again); true when there was one.
    pub(super) fn release_hold(&self) -> bool {
        let had = self.control.release();
        had | self.lock().held.take().is_some()
    }

    /// Why the queue holds, if it does.
    pub fn held(&self) -> Option<UserError> {
        self.lock().held.clone()
    }
}
