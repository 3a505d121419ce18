//! Reads only the `sequence` object of `<dir>.json`, stopping as soon as it has it; `photo` is never built.

use std::fmt;
use std::io::BufReader;
use std::path::Path;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::files::{open_regular, ReadRefusal, JSON_LIMIT};

/// The fields of `sequence` the library shows. Unknown keys (and all of `destination` but
/// `mtp` and `strava`, which may hold user tokens) are skipped without being kept.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct SequenceObject {
    pub uploader_sequence_name: Option<String>,
    pub uploader_sequence_description: Option<String>,
    pub uploader_transport_type: Option<String>,
    pub uploader_transport_method: Option<String>,
    pub uploader_tags: Option<Tags>,
    pub created: Option<String>,
    pub earliest_time: Option<String>,
    pub durationsec: Option<Number>,
    pub distance_km: Option<Number>,
    pub destination: Option<Destination>,
}

/// `destination`, reduced to the two keys the library may look at.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct Destination {
    pub mtp: Option<Flexible>,
    pub strava: Option<Flexible>,
}

/// A value written by an integration: a flag, an id number, or a string.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Flexible {
    Flag(bool),
    Id(u64),
    Text(String),
    Other(IgnoredAny),
}

/// `uploader_tags`: normally an array, sometimes a comma-separated string in hand-made files.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Tags {
    List(Vec<String>),
    Text(String),
}

impl Tags {
    pub fn into_vec(self) -> Vec<String> {
        let tags = match self {
            Tags::List(list) => list,
            Tags::Text(text) => text.split(',').map(str::to_owned).collect(),
        };
        tags.into_iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .collect()
    }
}

/// A number that old files sometimes store as a string.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Number {
    Value(f64),
    Text(String),
}

impl Number {
    pub fn value(&self) -> Option<f64> {
        match self {
            Number::Value(v) => Some(*v),
            Number::Text(t) => t.trim().parse().ok(),
        }
        .filter(|v: &f64| v.is_finite())
    }
}

/// Why `<dir>.json` gave no `sequence`; each message names the file.
#[derive(Debug, thiserror::Error)]
pub enum SequenceJsonError {
    #[error(transparent)]
    File(ReadRefusal),
    #[error("{file} is not valid JSON: {detail}")]
    Invalid { file: String, detail: String },
    #[error("{file} has no `sequence` object")]
    NoSequence { file: String },
    #[error("{file}: the `sequence` object cannot be read: {detail}")]
    BadSequence { file: String, detail: String },
}

impl SequenceJsonError {
    /// True when the file could not be read at all (worth trying again on the next scan).
    pub fn is_io(&self) -> bool {
        matches!(self, SequenceJsonError::File(refusal) if refusal.is_io())
    }
}

/// The message the visitor aborts with once it holds `sequence`: nothing after it is read.
const STOP: &str = "mtp-engine: sequence read, stop here";

/// Reads `sequence` from the file at `path`; `file` names it in messages.
pub fn read_sequence_object(path: &Path, file: &str) -> Result<SequenceObject, SequenceJsonError> {
    let handle = open_regular(path, file, JSON_LIMIT).map_err(SequenceJsonError::File)?;
    read_from(BufReader::with_capacity(16 * 1024, handle), file)
}

/// Reads `sequence` from any reader (the file, or bytes in tests).
pub fn read_from<R: std::io::Read>(
    reader: R,
    file: &str,
) -> Result<SequenceObject, SequenceJsonError> {
    let mut found = Found::default();
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let outcome = TopLevel { found: &mut found }.deserialize(&mut deserializer);
    match (found.record, outcome) {
        (Some(record), _) => Ok(record),
        (None, Ok(())) => Err(SequenceJsonError::NoSequence { file: file.into() }),
        (None, Err(err)) if err.is_io() => Err(SequenceJsonError::File(ReadRefusal::Unreadable {
            file: file.into(),
            source: err.into(),
        })),
        (None, Err(err)) if found.inside_sequence && err.is_data() => {
            Err(SequenceJsonError::BadSequence {
                file: file.into(),
                detail: err.to_string(),
            })
        }
        (None, Err(err)) => Err(SequenceJsonError::Invalid {
            file: file.into(),
            detail: err.to_string(),
        }),
    }
}

#[derive(Default)]
struct Found {
    record: Option<SequenceObject>,
    inside_sequence: bool,
}

/// Visits the top-level object: builds `sequence`, skips anything else, stops after `sequence`.
struct TopLevel<'a> {
    found: &'a mut Found,
}

impl<'de> DeserializeSeed<'de> for TopLevel<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopLevel<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with a `sequence` object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "sequence" {
                self.found.inside_sequence = true;
                let record = map.next_value::<SequenceObject>()?;
                self.found.inside_sequence = false;
                self.found.record = Some(record);
                return Err(de::Error::custom(STOP));
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
}

/// How many photos the `photo` map of the JSON at `path` lists (the whole file is streamed,
/// no entry is kept); None when the file or its `photo` map cannot be read.
pub fn count_photos(path: &Path) -> Option<u32> {
    let handle = open_regular(path, "", JSON_LIMIT).ok()?;
    count_photos_in(BufReader::with_capacity(64 * 1024, handle))
}

/// [`count_photos`] over any reader.
pub fn count_photos_in<R: std::io::Read>(reader: R) -> Option<u32> {
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    PhotoCount.deserialize(&mut deserializer).ok().flatten()
}

/// Visits the top-level object and counts the keys of `photo`; every value is skipped.
struct PhotoCount;

impl<'de> DeserializeSeed<'de> for PhotoCount {
    type Value = Option<u32>;
    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Option<u32>, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for PhotoCount {
    type Value = Option<u32>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an object with a `photo` object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<u32>, A::Error> {
        let mut count = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "photo" {
                count = Some(map.next_value::<Keys>()?.0);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(count)
    }
}

/// The number of keys of an object, values skipped.
struct Keys(u32);

impl<'de> Deserialize<'de> for Keys {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Keys, D::Error> {
        struct Counter;
        impl<'de> Visitor<'de> for Counter {
            type Value = Keys;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of photos")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Keys, A::Error> {
                let mut count = 0u32;
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
                    count = count.saturating_add(1);
                }
                Ok(Keys(count))
            }
        }
        deserializer.deserialize_map(Counter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<SequenceObject, SequenceJsonError> {
        read_from(text.as_bytes(), "walk.json")
    }

    #[test]
    fn sequence_first_stops_before_a_broken_photo_map() {
        let record =
            read(r#"{"sequence": {"uploader_sequence_name": "Walk"}, "photo": {"x": [[[ nonsense"#)
                .unwrap();
        assert_eq!(record.uploader_sequence_name.as_deref(), Some("Walk"));
    }

    #[test]
    fn sequence_last_is_found_after_skipping_photo() {
        let record = read(
            r#"{"photo": {"a": {"b": [1, 2, {"c": null}]}}, "sequence": {"durationsec": "15"}}"#,
        )
        .unwrap();
        assert_eq!(record.durationsec.and_then(|n| n.value()), Some(15.0));
    }

    #[test]
    fn destination_keeps_only_mtp_and_strava() {
        let record = read(r#"{"sequence": {"destination": {"mapillary": "secret-token", "mtp": "6a6a0c88-b114-44a3-845e-816d64093ca2", "strava": 1234}}}"#).unwrap();
        let destination = record.destination.unwrap();
        assert!(matches!(destination.mtp, Some(Flexible::Text(_))));
        assert!(matches!(destination.strava, Some(Flexible::Id(1234))));
        assert!(!format!("{destination:?}").contains("secret-token"));
    }

    #[test]
    fn each_failure_has_its_own_message() {
        assert_eq!(
            read("{}").unwrap_err().to_string(),
            "walk.json has no `sequence` object"
        );
        let not_json = read("this is not json").unwrap_err().to_string();
        assert!(
            not_json.starts_with("walk.json is not valid JSON: expected")
                && not_json.contains("line 1"),
            "{not_json}"
        );
        assert!(read("[1]")
            .unwrap_err()
            .to_string()
            .contains("is not valid JSON: invalid type: sequence"));
        let bad = read(r#"{"sequence": {"uploader_tags": 5}}"#)
            .unwrap_err()
            .to_string();
        assert!(
            bad.starts_with("walk.json: the `sequence` object cannot be read"),
            "{bad}"
        );
    }

    #[test]
    fn tags_may_be_a_comma_separated_string() {
        let record = read(r#"{"sequence": {"uploader_tags": "coast, dawn,,"}}"#).unwrap();
        assert_eq!(record.uploader_tags.unwrap().into_vec(), ["coast", "dawn"]);
    }

    #[test]
    fn photos_are_counted_from_the_photo_map_wherever_it_is() {
        let count = |text: &str| count_photos_in(text.as_bytes());
        assert_eq!(
            count(r#"{"sequence": {}, "photo": {"a": {"x": [1]}, "b": {}}}"#),
            Some(2)
        );
        assert_eq!(count(r#"{"photo": {}, "sequence": {}}"#), Some(0));
        assert_eq!(count(r#"{"sequence": {}}"#), None);
        assert_eq!(
            count(r#"{"sequence": {}, "photo": {"a": [[[ nonsense"#),
            None
        );
    }
}
