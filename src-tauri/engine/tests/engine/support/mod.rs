//! What the tests share: an engine over temporary folders, the sign-in world, the upload harness.

pub mod library;
pub mod pipeline;
pub mod sign_in;
