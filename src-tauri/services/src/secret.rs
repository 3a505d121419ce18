//! A secret value that cannot reach logs, error text or IPC by accident, and is wiped from
//! memory when dropped.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

/// A secret value. Its `Debug` is redacted and it has no `Display` and no `Serialize`, so it
/// cannot end up in logs, error text or IPC by accident. Dropping it overwrites its bytes with
/// zeros ([`zeroize`]); copies made from [`Secret::expose`] (a header, a form body, the keyring
/// call) are not this type's and are not wiped.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The value itself, for the one place that sends it (a header, a form field, the keyring).
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl Zeroize for Secret {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.zeroize();
    }
}

/// Promised by the `Drop` above.
impl ZeroizeOnDrop for Secret {}

#[cfg(test)]
mod tests {
    use super::*;

    fn wiped_on_drop<T: ZeroizeOnDrop>() {}

    #[test]
    fn a_secret_is_wiped_on_drop_and_its_clones_are_their_own() {
        wiped_on_drop::<Secret>();
        let original = Secret::new("refresh-token-abc");
        let mut copy = original.clone();
        // What Drop runs: the bytes are overwritten and the value is gone.
        copy.zeroize();
        assert!(copy.is_empty());
        assert_eq!(copy.expose(), "");
        assert_eq!(original.expose(), "refresh-token-abc");
        assert_eq!(format!("{original:?}"), "Secret(<redacted>)");
    }
}
