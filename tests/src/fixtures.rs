//! Writes realistic MTP sequence folders, good and broken, for tests, the demo and benchmarks.
//!
//! A sequence folder is `<dir>/<dir>.json` (`sequence` + a `photo` map shaped like MTP
//! Desktop Uploader's) and `<dir>/<dir>.gpx` (GPX 1.1, one track point per photo, 1 s apart).
//! Everything is deterministic from the spec (and its seed).

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use time::macros::{datetime, format_description};
use time::{Duration, OffsetDateTime};

/// What one generated sequence looks like.
#[derive(Debug, Clone)]
pub struct SequenceSpec {
    /// The folder name; the JSON and GPX are named after it.
    pub dir_name: String,
    /// `uploader_sequence_name`; `None` leaves the key out.
    pub name: Option<String>,
    pub description: Option<String>,
    pub transport_type: Option<String>,
    pub transport_method: Option<String>,
    pub tags: Vec<String>,
    pub camera: String,
    pub photo_count: usize,
    /// Time of the first photo (UTC); photos are 1 s apart.
    pub start: OffsetDateTime,
    pub start_lat: f64,
    pub start_lon: f64,
    /// `destination.mtp` (e.g. a UUID string or `true`).
    pub destination_mtp: Option<serde_json::Value>,
    /// `destination.strava` (an upload id number or `true`).
    pub destination_strava: Option<serde_json::Value>,
    /// Adds user-token keys to `destination`, as real files have (the engine must never expose them).
    pub destination_secrets: bool,
    /// Writes `upload_strava.json` with this status and upload id.
    pub upload_strava: Option<(String, u64)>,
    /// Writes `photo` before `sequence` (the reader must still find it).
    pub sequence_last: bool,
    /// Leaves out the `<time>` of this track point (0-based): the GPX is then invalid.
    pub gpx_time_missing_at: Option<usize>,
    pub seed: u64,
}

/// The transport methods samples cycle through: (parent, method); some are not eligible for Strava.
pub const SAMPLE_TRANSPORTS: &[(&str, &str)] = &[
    ("Earth", "Bicycle"),
    ("Earth", "Walk"),
    ("Water", "Paddleboard"),
    ("Snow", "Ski"),
    ("Earth", "Car"),
    ("Water", "Kayak"),
    ("Air", "Paraglide"),
    ("Earth", "Electric Bicycle"),
];

const PLACES: &[(&str, f64, f64)] = &[
    ("Farnham Heath", 51.2484762, -0.7824453),
    ("Lake Bled", 46.3625, 14.0936),
    ("Brecon Beacons", 51.8833, -3.4360),
    ("Chamonix", 45.9237, 6.8694),
    ("Cape Point", -34.3568, 18.4970),
    ("Blue Ridge", 35.5951, -82.5515),
];

impl SequenceSpec {
    /// A varied, valid sequence number `i` with `photo_count` photos.
    pub fn sample(i: usize, photo_count: usize) -> Self {
        let (parent, method) = SAMPLE_TRANSPORTS[i % SAMPLE_TRANSPORTS.len()];
        let (place, lat, lon) = PLACES[i % PLACES.len()];
        let mut name = format!("{place} {method} {i:04}");
        if i % 7 == 3 {
            name.push_str("_part_2");
        }
        Self {
            dir_name: dir_name_for(&name),
            name: Some(name),
            description: Some(format!("{method} around {place}, sequence {i}")),
            transport_type: Some(parent.into()),
            transport_method: Some(method.into()),
            tags: vec![
                place.to_lowercase().replace(' ', "-"),
                method.to_lowercase(),
            ],
            camera: if i.is_multiple_of(2) {
                "GoPro MAX"
            } else {
                "Insta360 One X2"
            }
            .into(),
            photo_count,
            start: datetime!(2020-04-13 07:00:00 UTC) + Duration::hours(i as i64 * 5),
            start_lat: lat,
            start_lon: lon,
            destination_mtp: None,
            destination_strava: None,
            destination_secrets: false,
            upload_strava: None,
            sequence_last: false,
            gpx_time_missing_at: None,
            seed: 0x5EED_0000 + i as u64,
        }
    }

    /// A valid sequence a test knows by name: `photo_count` photos from `start` (UTC) on,
    /// starting at `place` (lat, lon), with the transport `(parent, method)`. Its track and
    /// ids follow from the name, so the same name writes the same sequence.
    pub fn named(
        name: &str,
        transport: (&str, &str),
        start: OffsetDateTime,
        place: (f64, f64),
        photo_count: usize,
    ) -> Self {
        let (parent, method) = transport;
        Self {
            dir_name: dir_name_for(name),
            name: Some(name.into()),
            description: Some(format!("{name} (test fixture)")),
            transport_type: Some(parent.into()),
            transport_method: Some(method.into()),
            tags: vec!["test-fixture".into()],
            camera: "GoPro MAX".into(),
            start,
            start_lat: place.0,
            start_lon: place.1,
            seed: seed_of(name),
            // The rest as a sample has it: no destination, no upload file, a valid track.
            ..Self::sample(0, photo_count)
        }
    }
}

/// A sequence tests know by name, at a fixed time and place, written as a constant (the GUI
/// suite's library); [`KnownSequence::spec`] gives what [`write_sequence`] writes.
#[derive(Debug, Clone, Copy)]
pub struct KnownSequence {
    pub name: &'static str,
    /// `(parent, method)`, e.g. `("Earth", "Bicycle")`.
    pub transport: (&'static str, &'static str),
    /// Time of the first photo (UTC).
    pub start: OffsetDateTime,
    /// Where the first photo was taken: (lat, lon).
    pub place: (f64, f64),
    pub photos: usize,
    /// Leaves out the time of the middle track point: the GPX is then invalid.
    pub drop_a_time: bool,
}

impl KnownSequence {
    /// The folder name, by MTP's rule ([`dir_name_for`]).
    pub fn dir_name(&self) -> String {
        dir_name_for(self.name)
    }

    /// The spec of this sequence: [`SequenceSpec::named`], less the middle time if asked.
    pub fn spec(&self) -> SequenceSpec {
        let mut spec = SequenceSpec::named(
            self.name,
            self.transport,
            self.start,
            self.place,
            self.photos,
        );
        if self.drop_a_time {
            spec.gpx_time_missing_at = Some(self.photos / 2);
        }
        spec
    }
}

/// FNV-1a of the name: a seed that stays the same from run to run.
fn seed_of(name: &str) -> u64 {
    name.bytes().fold(0xCBF2_9CE4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01B3)
    })
}

/// MTP's rule: the name lower-cased with whitespace replaced by `_`.
pub fn dir_name_for(name: &str) -> String {
    name.to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
}

/// One photo position along the generated path.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PhotoPoint {
    pub lat: f64,
    pub lon: f64,
    pub altitude: f64,
    pub heading: f64,
    pub time: OffsetDateTime,
}

/// A plausible walk: ~1.7 m per photo, heading drifting a few degrees, altitude wandering.
pub fn photo_points(spec: &SequenceSpec) -> Vec<PhotoPoint> {
    let mut rng = Rng::new(spec.seed);
    let mut heading: f64 = rng.unit() * 360.0 - 180.0;
    let (mut lat, mut lon, mut altitude) =
        (spec.start_lat, spec.start_lon, 120.0 + rng.unit() * 80.0);
    (0..spec.photo_count)
        .map(|i| {
            let point = PhotoPoint {
                lat,
                lon,
                altitude: (altitude * 10.0).round() / 10.0,
                heading,
                time: spec.start + Duration::seconds(i as i64),
            };
            heading = wrap_degrees(heading + rng.unit() * 12.0 - 6.0);
            let step_m = 1.2 + rng.unit();
            lat += step_m * heading.to_radians().cos() / 111_195.0;
            lon += step_m * heading.to_radians().sin() / (111_195.0 * lat.to_radians().cos());
            altitude += rng.unit() - 0.5;
            point
        })
        .collect()
}

fn wrap_degrees(d: f64) -> f64 {
    (d + 180.0).rem_euclid(360.0) - 180.0
}

/// Writes `<root>/<dir>/` with its JSON, GPX and optional `upload_strava.json`; returns the folder.
pub fn write_sequence(root: &Path, spec: &SequenceSpec) -> io::Result<PathBuf> {
    let dir = root.join(&spec.dir_name);
    fs::create_dir_all(&dir)?;
    let points = photo_points(spec);
    fs::write(
        dir.join(format!("{}.json", spec.dir_name)),
        sequence_json(spec, &points),
    )?;
    let has_time = |i: usize| spec.gpx_time_missing_at != Some(i);
    fs::write(
        dir.join(format!("{}.gpx", spec.dir_name)),
        gpx_with_times(&points, has_time),
    )?;
    if let Some((status, upload_id)) = &spec.upload_strava {
        let file = serde_json::json!({"sequence": spec.name, "status": status, "data": upload_id});
        fs::write(dir.join("upload_strava.json"), file.to_string())?;
    }
    Ok(dir)
}

/// The `<dir>.json` text: `sequence` (first unless `sequence_last`) and `photo`, keys in MTP's order.
pub fn sequence_json(spec: &SequenceSpec, points: &[PhotoPoint]) -> String {
    let sequence = sequence_object(spec, points);
    let photos = photo_map(spec, points);
    if spec.sequence_last {
        format!("{{\n  \"photo\": {photos},\n  \"sequence\": {sequence}\n}}\n")
    } else {
        format!("{{\n  \"sequence\": {sequence},\n  \"photo\": {photos}\n}}\n")
    }
}

fn sequence_object(spec: &SequenceSpec, points: &[PhotoPoint]) -> String {
    let mut rng = Rng::new(spec.seed ^ 0xA11CE);
    let distance_km: f64 = points
        .windows(2)
        .map(|w| distance_m(&w[0], &w[1]))
        .sum::<f64>()
        / 1000.0;
    let duration = points.len().saturating_sub(1) as f64;
    let mut fields: Vec<(&str, String)> = vec![("id", json(&uuid(&mut rng)))];
    fields.push(("distance_km", json(&distance_km)));
    if let (Some(first), Some(last)) = (points.first(), points.last()) {
        fields.push(("earliest_time", json(&local_time(first.time))));
        fields.push(("latest_time", json(&local_time(last.time))));
    }
    fields.push(("durationsec", json(&duration)));
    let speed = if duration > 0.0 {
        distance_km / (duration / 3600.0)
    } else {
        0.0
    };
    fields.push(("average_speed_kmh", json(&speed)));
    let optional = [
        ("uploader_sequence_name", &spec.name),
        ("uploader_sequence_description", &spec.description),
        ("uploader_transport_type", &spec.transport_type),
        ("uploader_transport_method", &spec.transport_method),
    ];
    for (key, value) in optional {
        if let Some(value) = value {
            fields.push((key, json(value)));
        }
    }
    fields.push(("uploader_tags", json(&spec.tags)));
    fields.push(("created", json(&spec.start.date().to_string())));
    fields.push(("uploader_camera", json(&spec.camera)));
    if let Some(destination) = destination(spec) {
        fields.push(("destination", destination.to_string()));
    }
    let body: Vec<String> = fields
        .iter()
        .map(|(k, v)| format!("    \"{k}\": {v}"))
        .collect();
    format!("{{\n{}\n  }}", body.join(",\n"))
}

fn destination(spec: &SequenceSpec) -> Option<serde_json::Value> {
    let mut map = serde_json::Map::new();
    if spec.destination_secrets {
        map.insert(
            "mapillary".into(),
            "mly-user-token-SECRET-do-not-show".into(),
        );
        map.insert(
            "google".into(),
            "ya29.google-token-SECRET-do-not-show".into(),
        );
    }
    if let Some(mtp) = &spec.destination_mtp {
        map.insert("mtp".into(), mtp.clone());
    }
    if let Some(strava) = &spec.destination_strava {
        map.insert("strava".into(), strava.clone());
    }
    (!map.is_empty()).then_some(serde_json::Value::Object(map))
}

/// The `photo` map: one entry per photo, keyed by a UUID, with `original`, `modified` and `connections`.
fn photo_map(spec: &SequenceSpec, points: &[PhotoPoint]) -> String {
    let mut rng = Rng::new(spec.seed ^ 0xF070);
    let ids: Vec<String> = points.iter().map(|_| uuid(&mut rng)).collect();
    let mut out = String::with_capacity(points.len() * 1400 + 8);
    out.push('{');
    for (i, point) in points.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let filename = format!("_{}.jpg", i + 1);
        let time = local_time(point.time);
        let pitch = ((rng.unit() - 0.5) * 2.0 * 100.0).round() / 100.0;
        let _ = write!(
            out,
            "\n    \"{id}\": {{\n      \"original\": {{\"filename\": \"{filename}\", \"gps_direction_ref\": \"\", \"roll\": \"\", \"projection\": \"equirectangular\"}},\n      \"modified\": {{\"filename\": \"{filename}\", \"GPSDateTime\": \"{time}\", \"originalDateTime\": \"{time}\", \"altitude\": {alt}, \"latitude\": {lat}, \"longitude\": {lon}, \"gps_direction_ref\": \"\", \"heading\": {heading}, \"pitch\": {pitch}, \"roll\": \"\", \"projection\": \"equirectangular\"}},\n      \"connections\": {{{connections}}}\n    }}",
            id = ids[i],
            alt = point.altitude,
            lat = point.lat,
            lon = point.lon,
            heading = point.heading,
            connections = connections(points, &ids, i),
        );
    }
    out.push_str("\n  }");
    out
}

/// Links to the previous and next photo, as MTP Desktop Uploader writes them.
fn connections(points: &[PhotoPoint], ids: &[String], i: usize) -> String {
    let neighbours = [i.checked_sub(1), Some(i + 1).filter(|n| *n < points.len())];
    let links: Vec<String> = neighbours
        .into_iter()
        .flatten()
        .map(|n| {
            let d = distance_m(&points[i], &points[n]);
            let seconds = n as i64 - i as i64;
            let speed = d / 1000.0 * 3600.0 * seconds as f64;
            format!(
                "\"{}\": {{\"distance_mtrs\": {d}, \"heading_deg\": {}, \"pitch_deg\": 0, \"time_sec\": {seconds}, \"speed_kmh\": {speed}}}",
                ids[n], points[n].heading
            )
        })
        .collect();
    links.join(", ")
}

/// GPX 1.1 with one `<trkpt>` per point; `with_times: false` leaves out every `<time>`.
pub fn gpx_document(points: &[PhotoPoint], with_times: bool) -> String {
    gpx_with_times(points, |_| with_times)
}

/// GPX 1.1 with one `<trkpt>` per point, with a `<time>` where `has_time(index)` says so.
fn gpx_with_times(points: &[PhotoPoint], has_time: impl Fn(usize) -> bool) -> String {
    let mut out = String::with_capacity(points.len() * 110 + 400);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<gpx version=\"1.1\" creator=\"MTP Desktop Uploader\" xmlns=\"http://www.topografix.com/GPX/1/1\">\n  <trk>\n    <name>sequence</name>\n    <trkseg>\n");
    for (i, point) in points.iter().enumerate() {
        let _ = write!(
            out,
            "      <trkpt lat=\"{}\" lon=\"{}\"><ele>{}</ele>",
            point.lat, point.lon, point.altitude
        );
        if has_time(i) {
            let _ = write!(out, "<time>{}</time>", utc_time(point.time));
        }
        out.push_str("</trkpt>\n");
    }
    out.push_str("    </trkseg>\n  </trk>\n</gpx>\n");
    out
}

/// The broken cases the library must report, each with its own reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// A folder with a GPX but no `<dir>.json`.
    MissingJson,
    /// `<dir>.json` is not JSON.
    InvalidJson,
    /// `<dir>.json` is JSON without a `sequence` object.
    JsonWithoutSequence,
    /// `<dir>.json` is a folder: reading it fails with an I/O error, even for root.
    JsonIsAFolder,
    /// `<dir>.json` with mode 000 (only unreadable when permissions are enforced: not for root).
    UnreadableJson,
    /// A valid `sequence` followed by a syntactically broken `photo` map (a reader that stops early lists it fine).
    BrokenPhotoMap,
    MissingGpx,
    /// `<dir>.gpx` is not XML.
    InvalidGpx,
    /// A GPX whose points have no `<time>`.
    GpxWithoutTimes,
    /// A GPX with a track and an empty segment.
    EmptyTrack,
    /// The fourth point's time is before the third's.
    DecreasingTimes,
    /// A point with latitude 95.
    OutOfRangeCoordinates,
    /// Two symlinks pointing at each other.
    SymlinkLoop,
    /// A symlink to a folder that does not exist.
    DanglingSymlink,
    /// A valid sequence whose folder name is not UTF-8 (Unix only).
    NonUtf8Name,
    /// A plain file where a sequence folder is expected.
    StrayFile,
}

impl Broken {
    pub const ALL: &'static [Broken] = &[
        Broken::MissingJson,
        Broken::InvalidJson,
        Broken::JsonWithoutSequence,
        Broken::JsonIsAFolder,
        Broken::UnreadableJson,
        Broken::BrokenPhotoMap,
        Broken::MissingGpx,
        Broken::InvalidGpx,
        Broken::GpxWithoutTimes,
        Broken::EmptyTrack,
        Broken::DecreasingTimes,
        Broken::OutOfRangeCoordinates,
        Broken::SymlinkLoop,
        Broken::DanglingSymlink,
        Broken::NonUtf8Name,
        Broken::StrayFile,
    ];

    /// The folder (or file/link) name this case is written under.
    pub fn dir_name(self) -> &'static str {
        match self {
            Broken::MissingJson => "broken_missing_json",
            Broken::InvalidJson => "broken_invalid_json",
            Broken::JsonWithoutSequence => "broken_json_without_sequence",
            Broken::JsonIsAFolder => "broken_json_is_a_folder",
            Broken::UnreadableJson => "broken_unreadable_json",
            Broken::BrokenPhotoMap => "odd_broken_photo_map",
            Broken::MissingGpx => "broken_missing_gpx",
            Broken::InvalidGpx => "broken_invalid_gpx",
            Broken::GpxWithoutTimes => "broken_gpx_without_times",
            Broken::EmptyTrack => "broken_empty_track",
            Broken::DecreasingTimes => "broken_decreasing_times",
            Broken::OutOfRangeCoordinates => "broken_out_of_range",
            Broken::SymlinkLoop => "broken_symlink_loop",
            Broken::DanglingSymlink => "broken_dangling_symlink",
            Broken::NonUtf8Name => "caf\u{fffd}_non_utf8",
            Broken::StrayFile => "stray_notes.txt",
        }
    }
}

/// Writes one broken case under `root`; returns the path of the folder (or file/link) it made.
pub fn write_broken(root: &Path, kind: Broken) -> io::Result<PathBuf> {
    let name = kind.dir_name();
    let mut spec = SequenceSpec::sample(1, 12);
    spec.dir_name = name.into();
    spec.name = Some(name.replace('_', " "));
    let dir = root.join(name);
    let json_path = dir.join(format!("{name}.json"));
    let gpx_path = dir.join(format!("{name}.gpx"));
    match kind {
        Broken::MissingJson => {
            write_sequence(root, &spec)?;
            fs::remove_file(json_path)?;
        }
        Broken::InvalidJson => {
            write_sequence(root, &spec)?;
            fs::write(
                json_path,
                "{\"sequence\": {\"uploader_sequence_name\": \"oops\",,}",
            )?;
        }
        Broken::JsonWithoutSequence => {
            write_sequence(root, &spec)?;
            fs::write(json_path, "{\"photo\": {}}")?;
        }
        Broken::JsonIsAFolder => {
            write_sequence(root, &spec)?;
            fs::remove_file(&json_path)?;
            fs::create_dir(json_path)?;
        }
        Broken::UnreadableJson => {
            write_sequence(root, &spec)?;
            set_mode(&json_path, 0o000)?;
        }
        Broken::BrokenPhotoMap => {
            write_sequence(root, &spec)?;
            let text = fs::read_to_string(&json_path)?;
            let cut = text.find("\"photo\"").unwrap_or(text.len());
            fs::write(
                json_path,
                format!("{}\"photo\": {{\"a\": [[[ this is not json", &text[..cut]),
            )?;
        }
        Broken::MissingGpx => {
            write_sequence(root, &spec)?;
            fs::remove_file(gpx_path)?;
        }
        Broken::InvalidGpx => {
            write_sequence(root, &spec)?;
            fs::write(gpx_path, "this is not XML at all")?;
        }
        Broken::GpxWithoutTimes => {
            write_sequence(root, &spec)?;
            fs::write(gpx_path, gpx_document(&photo_points(&spec), false))?;
        }
        Broken::EmptyTrack => {
            spec.photo_count = 0;
            write_sequence(root, &spec)?;
        }
        Broken::DecreasingTimes => {
            write_sequence(root, &spec)?;
            let mut points = photo_points(&spec);
            points[3].time = points[2].time - Duration::seconds(5);
            fs::write(gpx_path, gpx_document(&points, true))?;
        }
        Broken::OutOfRangeCoordinates => {
            write_sequence(root, &spec)?;
            let mut points = photo_points(&spec);
            points[5].lat = 95.0;
            fs::write(gpx_path, gpx_document(&points, true))?;
        }
        Broken::SymlinkLoop => {
            let other = root.join(format!("{name}_other"));
            symlink(&other, &dir)?;
            symlink(&dir, &other)?;
        }
        Broken::DanglingSymlink => symlink(&root.join("no_such_sequence_folder"), &dir)?,
        Broken::NonUtf8Name => return write_non_utf8(root, spec),
        Broken::StrayFile => fs::write(&dir, "a note left next to the sequences\n")?,
    }
    Ok(dir)
}

#[cfg(unix)]
fn write_non_utf8(root: &Path, spec: SequenceSpec) -> io::Result<PathBuf> {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let raw: &[u8] = b"caf\xe9_non_utf8";
    let dir = root.join(OsStr::from_bytes(raw));
    fs::create_dir_all(&dir)?;
    let points = photo_points(&spec);
    let mut json = raw.to_vec();
    json.extend_from_slice(b".json");
    let mut gpx = raw.to_vec();
    gpx.extend_from_slice(b".gpx");
    fs::write(
        dir.join(OsStr::from_bytes(&json)),
        sequence_json(&spec, &points),
    )?;
    fs::write(
        dir.join(OsStr::from_bytes(&gpx)),
        gpx_document(&points, true),
    )?;
    Ok(dir)
}

#[cfg(not(unix))]
fn write_non_utf8(_root: &Path, _spec: SequenceSpec) -> io::Result<PathBuf> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "non-UTF-8 names need Unix",
    ))
}

#[cfg(unix)]
fn symlink(target: &Path, link: &Path) -> io::Result<()> {
    std::os::unix::fs::symlink(target, link)
}

#[cfg(not(unix))]
fn symlink(_target: &Path, _link: &Path) -> io::Result<()> {
    Err(io::Error::new(
        io::ErrorKind::Unsupported,
        "symlinks need Unix",
    ))
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

#[cfg(not(unix))]
fn set_mode(_path: &Path, _mode: u32) -> io::Result<()> {
    Ok(())
}

/// True when a mode-000 file really cannot be read here (false for root, who reads anything).
pub fn permissions_enforced(scratch: &Path) -> bool {
    let probe = scratch.join(".permission-probe");
    let enforced = fs::write(&probe, "x").is_ok()
        && set_mode(&probe, 0o000).is_ok()
        && fs::read(&probe).is_err();
    let _ = set_mode(&probe, 0o600);
    let _ = fs::remove_file(&probe);
    enforced
}

/// How many sequences the library lists for a root: every visible sub-folder that holds its
/// `<dir>.json` (a folder without it is not a sequence: the library lists it as skipped).
pub fn sequence_folder_count(root: &Path) -> io::Result<usize> {
    let mut count = 0;
    for entry in fs::read_dir(root)? {
        let entry = entry?;
        let name = entry.file_name();
        let visible = !name.to_string_lossy().starts_with('.');
        let mut json = name.clone();
        json.push(".json");
        if visible && entry.path().is_dir() && fs::symlink_metadata(entry.path().join(json)).is_ok()
        {
            count += 1;
        }
    }
    Ok(count)
}

/// `count` valid sequences of `photos` photos each (samples 0..count, varied by `seed`).
pub fn write_library(
    root: &Path,
    count: usize,
    photos: usize,
    seed: u64,
) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(root)?;
    (0..count)
        .map(|i| {
            let mut spec = SequenceSpec::sample(i, photos);
            spec.seed ^= seed.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            write_sequence(root, &spec)
        })
        .collect()
}

/// A handful of varied good sequences and a few broken ones, for `make demo` and the GUI tests.
pub fn write_demo_library(root: &Path) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(root)?;
    let mut written = Vec::new();
    for i in 0..8 {
        let mut spec = SequenceSpec::sample(i, 60 + i * 40);
        match i {
            1 => spec.destination_mtp = Some("3f1c9a52-8d4e-4b6f-9a27-5c0e1d2b7f48".into()),
            2 => spec.upload_strava = Some(("TRUE".into(), 4_815_162_342)),
            5 => {
                spec.destination_strava = Some(true.into());
                spec.destination_secrets = true;
            }
            _ => {}
        }
        written.push(write_sequence(root, &spec)?);
    }
    for kind in [
        Broken::MissingGpx,
        Broken::GpxWithoutTimes,
        Broken::InvalidJson,
        Broken::StrayFile,
    ] {
        written.push(write_broken(root, kind)?);
    }
    Ok(written)
}

fn local_time(t: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    t.format(&format).unwrap_or_default()
}

fn utc_time(t: OffsetDateTime) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.format(&format).unwrap_or_default()
}

fn distance_m(a: &PhotoPoint, b: &PhotoPoint) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2)
        + lat1.cos() * lat2.cos() * ((b.lon - a.lon).to_radians() / 2.0).sin().powi(2);
    2.0 * 6_371_008.8 * h.sqrt().min(1.0).asin()
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "null".into())
}

/// A random-looking version 4 UUID from the generator.
fn uuid(rng: &mut Rng) -> String {
    let (a, b) = (rng.next(), rng.next());
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0xfff,
        8 + (b >> 62),
        (b >> 48) & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

/// SplitMix64: tiny, deterministic, good enough for fixtures.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_json_has_the_reference_shape_and_sequence_first() {
        let spec = SequenceSpec::sample(0, 3);
        let text = sequence_json(&spec, &photo_points(&spec));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(text.trim_start().starts_with("{\n  \"sequence\""));
        assert_eq!(value["photo"].as_object().unwrap().len(), 3);
        let photos = value["photo"].as_object().unwrap();
        let links: Vec<usize> = photos
            .values()
            .map(|p| p["connections"].as_object().unwrap().len())
            .collect();
        assert_eq!(links.iter().filter(|n| **n == 2).count(), 1, "{links:?}");
        assert!(photos.values().all(|p| p["modified"]["latitude"].is_f64()));
        assert_eq!(value["sequence"]["uploader_transport_method"], "Bicycle");
    }

    #[test]
    fn a_named_sequence_starts_at_its_time_and_can_miss_one_track_time() {
        let known = KnownSequence {
            name: "Morning Ride Lisbon",
            transport: ("Earth", "Bicycle"),
            start: datetime!(2024-06-02 07:12:00 UTC),
            place: (38.7223, -9.1393),
            photos: 4,
            drop_a_time: true,
        };
        let root = tempfile::tempdir().unwrap();
        let dir = write_sequence(root.path(), &known.spec()).unwrap();
        assert_eq!(dir, root.path().join("morning_ride_lisbon"));
        let json = fs::read_to_string(dir.join("morning_ride_lisbon.json")).unwrap();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(value["sequence"]["earliest_time"], "2024-06-02T07:12:00");
        assert_eq!(value["sequence"]["latest_time"], "2024-06-02T07:12:03");
        assert_eq!(value["sequence"]["uploader_transport_method"], "Bicycle");
        let gpx = fs::read_to_string(dir.join("morning_ride_lisbon.gpx")).unwrap();
        let times: Vec<&str> = gpx
            .lines()
            .filter(|l| l.contains("<trkpt"))
            .map(|l| l.split("<time>").nth(1).unwrap_or("none"))
            .collect();
        assert_eq!(
            times,
            [
                "2024-06-02T07:12:00Z</time></trkpt>",
                "2024-06-02T07:12:01Z</time></trkpt>",
                "none",
                "2024-06-02T07:12:03Z</time></trkpt>",
            ]
        );
        assert_eq!(sequence_folder_count(root.path()).unwrap(), 1);
    }

    #[test]
    fn the_same_spec_writes_the_same_bytes() {
        let spec = SequenceSpec::sample(4, 20);
        let a = sequence_json(&spec, &photo_points(&spec));
        let b = sequence_json(&spec, &photo_points(&spec));
        assert_eq!(a, b);
    }
}
