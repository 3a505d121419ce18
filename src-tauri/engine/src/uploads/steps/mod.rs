//! The job's steps, one file each, in the order a record goes through them.

pub mod lookup;
pub mod mtpw_mark;
pub mod poll;
pub mod prepare;
pub mod send;
pub mod sport_type;
