//! The engine's door to the accounts.

use crate::accounts::Accounts;
use crate::engine::Engine;

impl Engine {
    /// Sign-in, accounts status, settings and the token source.
    pub fn accounts(&self) -> &Accounts {
        &self.accounts
    }
}
