//! Checks of an uploaded file: gzip encoding vs data_type, GPX well-formedness, trackpoint times, fingerprint.

use std::io::Read;

use flate2::read::GzDecoder;
use xml::reader::{EventReader, XmlEvent};

use crate::fake::http::sha256_hex;

/// The `data_type` values Strava accepts (swagger enum).
pub const DATA_TYPES: &[&str] = &["fit", "fit.gz", "tcx", "tcx.gz", "gpx", "gpx.gz"];

/// Why an uploaded file cannot become an activity.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FileProblem {
    #[error("empty file")]
    Empty,
    #[error("invalid encoding")]
    InvalidEncoding,
    #[error("Improperly formatted data: {0}")]
    Malformed(String),
    #[error("Time information is missing from file.")]
    MissingTime,
    #[error("Improperly formatted data: no trackpoints")]
    NoPoints,
}

/// One GPX trackpoint.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackPoint {
    pub lat: f64,
    pub lon: f64,
    pub time: String,
}

/// What processing learns from a valid file.
#[derive(Debug, Clone, PartialEq)]
pub struct TrackSummary {
    pub fingerprint: String,
    pub points: Vec<TrackPoint>,
}

const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// Decodes the file as its `data_type` says, then checks and fingerprints it.
pub fn inspect_file(data_type: &str, bytes: &[u8]) -> Result<TrackSummary, FileProblem> {
    if bytes.is_empty() {
        return Err(FileProblem::Empty);
    }
    let gzipped = bytes.starts_with(&GZIP_MAGIC);
    if gzipped != data_type.ends_with(".gz") {
        return Err(FileProblem::InvalidEncoding);
    }
    let plain = if gzipped {
        gunzip(bytes)?
    } else {
        bytes.to_vec()
    };
    if plain.is_empty() {
        return Err(FileProblem::Empty);
    }
    match data_type.trim_end_matches(".gz") {
        "gpx" => {
            let points = gpx_points(&plain)?;
            Ok(TrackSummary {
                fingerprint: fingerprint(&points),
                points,
            })
        }
        // FIT and TCX are accepted as opaque data, identified by their decoded bytes.
        _ => Ok(TrackSummary {
            fingerprint: sha256_hex(&plain),
            points: Vec::new(),
        }),
    }
}

fn gunzip(bytes: &[u8]) -> Result<Vec<u8>, FileProblem> {
    let mut plain = Vec::new();
    GzDecoder::new(bytes)
        .read_to_end(&mut plain)
        .map_err(|_| FileProblem::InvalidEncoding)?;
    Ok(plain)
}

/// Parses GPX: well-formed XML, every `<trkpt>` with lat, lon and a non-empty `<time>`.
pub fn gpx_points(xml_bytes: &[u8]) -> Result<Vec<TrackPoint>, FileProblem> {
    let mut points = Vec::new();
    let mut current: Option<(f64, f64, Option<String>)> = None;
    let mut in_time = false;
    let mut saw_gpx = false;
    for event in EventReader::new(xml_bytes) {
        match event.map_err(|e| FileProblem::Malformed(e.msg().to_string()))? {
            XmlEvent::StartElement {
                name, attributes, ..
            } => match name.local_name.as_str() {
                "gpx" => saw_gpx = true,
                "trkpt" => {
                    let attr = |key: &str| {
                        attributes
                            .iter()
                            .find(|a| a.name.local_name == key)
                            .and_then(|a| a.value.trim().parse::<f64>().ok())
                    };
                    let (Some(lat), Some(lon)) = (attr("lat"), attr("lon")) else {
                        return Err(FileProblem::Malformed("trkpt without lat/lon".into()));
                    };
                    current = Some((lat, lon, None));
                }
                "time" => in_time = current.is_some(),
                _ => {}
            },
            XmlEvent::Characters(text) if in_time => {
                if let Some(point) = current.as_mut() {
                    point.2 = Some(text.trim().to_string());
                }
            }
            XmlEvent::EndElement { name } => match name.local_name.as_str() {
                "time" => in_time = false,
                "trkpt" => {
                    let Some((lat, lon, Some(time))) = current
                        .take()
                        .filter(|p| p.2.as_deref().is_some_and(|t| !t.is_empty()))
                    else {
                        return Err(FileProblem::MissingTime);
                    };
                    points.push(TrackPoint { lat, lon, time });
                }
                _ => {}
            },
            _ => {}
        }
    }
    if !saw_gpx {
        return Err(FileProblem::Malformed("not a GPX document".into()));
    }
    if points.is_empty() {
        return Err(FileProblem::NoPoints);
    }
    Ok(points)
}

/// Identifies a track by its points and times (independent of formatting, name or compression).
pub fn fingerprint(points: &[TrackPoint]) -> String {
    let canonical: String = points
        .iter()
        .map(|p| {
            let time = time::OffsetDateTime::parse(
                &p.time,
                &time::format_description::well_known::Rfc3339,
            )
            .map(|t| t.unix_timestamp().to_string())
            .unwrap_or_else(|_| p.time.clone());
            format!("{:.6},{:.6},{};", p.lat, p.lon, time)
        })
        .collect();
    sha256_hex(canonical.as_bytes())
}

/// Great-circle length of the track in metres.
pub fn distance_m(points: &[TrackPoint]) -> f64 {
    points
        .windows(2)
        .map(|pair| haversine(&pair[0], &pair[1]))
        .sum()
}

fn haversine(a: &TrackPoint, b: &TrackPoint) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * h.sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::write::GzEncoder;
    use std::io::Write;

    const GPX: &str = r#"<?xml version="1.0"?><gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="51.5" lon="-0.1"><ele>3</ele><time>2021-06-01T10:00:00Z</time></trkpt>
<trkpt lat="51.501" lon="-0.1"><time>2021-06-01T10:00:05Z</time></trkpt></trkseg></trk></gpx>"#;

    fn gz(bytes: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).expect("write");
        encoder.finish().expect("finish")
    }

    #[test]
    fn same_track_same_fingerprint_whatever_the_compression() {
        let plain = inspect_file("gpx", GPX.as_bytes()).expect("plain");
        let zipped = inspect_file("gpx.gz", &gz(GPX.as_bytes())).expect("gz");
        assert_eq!(plain.fingerprint, zipped.fingerprint);
        assert_eq!(plain.points.len(), 2);
        let moved = GPX.replace("51.501", "51.502");
        assert_ne!(
            inspect_file("gpx", moved.as_bytes())
                .expect("moved")
                .fingerprint,
            plain.fingerprint
        );
    }

    #[test]
    fn encoding_must_match_data_type() {
        assert_eq!(
            inspect_file("gpx.gz", GPX.as_bytes()),
            Err(FileProblem::InvalidEncoding)
        );
        assert_eq!(
            inspect_file("gpx", &gz(GPX.as_bytes())),
            Err(FileProblem::InvalidEncoding)
        );
    }

    #[test]
    fn every_trackpoint_needs_a_time() {
        let no_time = GPX.replace("<time>2021-06-01T10:00:05Z</time>", "");
        assert_eq!(
            inspect_file("gpx", no_time.as_bytes()),
            Err(FileProblem::MissingTime)
        );
        assert!(matches!(
            inspect_file("gpx", b"<gpx><trk>"),
            Err(FileProblem::Malformed(_))
        ));
        assert_eq!(inspect_file("gpx", b""), Err(FileProblem::Empty));
        let distance = distance_m(&inspect_file("gpx", GPX.as_bytes()).expect("ok").points);
        assert!((100.0..120.0).contains(&distance), "{distance}");
    }
}
