//! GPX tracks: read with the `gpx` crate, validate, summarise, and simplify for the preview.

mod read;
pub mod simplify;
mod summary;
mod track;
mod validate;

pub use read::{parse_track, read_track};
pub use simplify::simplify;
pub use summary::{haversine_m, summarise};
pub use track::{TrackError, TrackPoint, PREVIEW_POINTS};
pub use validate::validate;
