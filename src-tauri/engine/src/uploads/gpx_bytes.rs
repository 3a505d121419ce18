//! The bytes that get uploaded: read once from the folder, hashed, and validated as they are.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::files::{display_name, own_file, read_regular, GPX_LIMIT};
use crate::gpx::{parse_track, validate};

/// A GPX read from a sequence folder, with its content hash.
#[derive(Debug, Clone)]
pub struct GpxBytes {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
}

/// Reads `<dir>/<dir>.gpx`; the error names the file.
pub fn read_gpx(folder: &Path) -> Result<GpxBytes, String> {
    let path = own_file(folder, ".gpx").ok_or_else(|| "the folder has no name".to_string())?;
    let file_name = display_name(&path);
    // Regular files only, up to the stated size: a FIFO or /dev/zero never blocks an upload.
    let bytes = read_regular(&path, &file_name, GPX_LIMIT).map_err(|e| e.to_string())?;
    let sha256 = sha256_hex(&bytes);
    Ok(GpxBytes {
        file_name,
        bytes,
        sha256,
    })
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Parses and validates exactly these bytes (the ones that will be sent); the track's start
/// (its first point's time, epoch seconds), which Strava gives the activity as `start_date`.
pub fn validate_bytes(gpx: &GpxBytes) -> Result<i64, String> {
    // The scan's own parsing, which refuses what the gpx crate would panic on.
    let points = parse_track(&gpx.bytes, &gpx.file_name).map_err(|e| e.to_string())?;
    validate(&points, &gpx.file_name).map_err(|e| {
        let text = e.to_string();
        if text.contains(&gpx.file_name) {
            text
        } else {
            format!("{}: {text}", gpx.file_name)
        }
    })?;
    // Valid: every point has a time and they never go back, so the first is the start.
    points
        .first()
        .and_then(|p| p.time)
        .map(|t| t.unix_timestamp())
        .ok_or_else(|| format!("{} has no times", gpx.file_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_hex_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn valid_bytes_give_the_first_points_time() {
        let gpx = GpxBytes {
            file_name: "x.gpx".into(),
            bytes: br#"<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg><trkpt lat="1" lon="1"><time>2021-06-01T10:00:00Z</time></trkpt><trkpt lat="1.1" lon="1"><time>2021-06-01T10:00:10Z</time></trkpt></trkseg></trk></gpx>"#.to_vec(),
            sha256: String::new(),
        };
        assert_eq!(validate_bytes(&gpx), Ok(1_622_541_600));
    }

    #[test]
    fn bytes_without_times_are_refused() {
        let gpx = GpxBytes {
            file_name: "x.gpx".into(),
            bytes: br#"<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg><trkpt lat="1" lon="1"></trkpt><trkpt lat="1.1" lon="1"></trkpt></trkseg></trk></gpx>"#.to_vec(),
            sha256: String::new(),
        };
        let err = validate_bytes(&gpx).unwrap_err();
        assert!(err.starts_with("x.gpx"), "{err}");
    }

    /// Found by the `gpx` fuzz target: the gpx crate panicked on this time (the year 10000 in
    /// UTC), which would have ended the upload run instead of refusing one file.
    #[test]
    fn a_time_past_the_year_9999_is_refused_before_upload() {
        let gpx = GpxBytes {
            file_name: "x.gpx".into(),
            bytes: br#"<gpx version="1.1"><trk><trkseg><trkpt lat="1" lon="1"><time>2020-01-01T00:00:00Z</time></trkpt><trkpt lat="1" lon="1"><time>9999-12-31T23:30-01:00</time></trkpt></trkseg></trk></gpx>"#.to_vec(),
            sha256: String::new(),
        };
        assert_eq!(
            validate_bytes(&gpx).unwrap_err(),
            "x.gpx is not a valid GPX file: a time is outside the years -9999 to 9999"
        );
    }
}
