//! The sequence-JSON reader (`mtp_engine::library::sequence_json`) over arbitrary bytes.
//!
//! Properties: it never panics and every failure is a `SequenceJsonError`; what it reads
//! agrees with a full parse of the same bytes when they are valid JSON; numbers it hands out
//! are finite, tags trimmed and non-empty; a read that fails part-way (an I/O error) is either
//! the same answer (it had read all it needed) or an I/O refusal, never "not valid JSON"; the
//! photo counter never panics either.
#![no_main]

use std::fmt;
use std::io::{self, Read};

use libfuzzer_sys::fuzz_target;
use mtp_engine::library::sequence_json::{
    count_photos_in, read_from, SequenceJsonError, SequenceObject,
};
use serde::de::{Deserializer as _, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

const FILE: &str = "walk.json";

fuzz_target!(|data: &[u8]| {
    let whole = read_from(data, FILE);
    check_outcome(&whole);
    agrees_with_a_full_parse(data, &whole);

    // The same bytes through a reader that fails with an I/O error half-way.
    let cut = data.len() / 2;
    let failing = read_from(FailsAt { data, at: cut }, FILE);
    check_outcome(&failing);
    if !same(&whole, &failing) {
        assert!(
            matches!(&failing, Err(err) if err.is_io()),
            "a read cut at byte {cut} gave {failing:?}, the whole read {whole:?}"
        );
    }

    // One byte per read (a slow pipe or network file system) changes nothing.
    let trickled = read_from(Trickle(data), FILE);
    assert!(
        same(&whole, &trickled),
        "{whole:?} read whole, {trickled:?} a byte at a time"
    );

    let _ = count_photos_in(data);
});

fn check_outcome(outcome: &Result<SequenceObject, SequenceJsonError>) {
    match outcome {
        Ok(object) => {
            let _ = format!("{object:?}");
            for number in [&object.durationsec, &object.distance_km]
                .into_iter()
                .flatten()
            {
                if let Some(value) = number.value() {
                    assert!(value.is_finite(), "{value}");
                }
            }
            if let Some(tags) = object.uploader_tags.clone() {
                for tag in tags.into_vec() {
                    assert!(!tag.is_empty() && tag.trim() == tag, "tag {tag:?}");
                }
            }
        }
        Err(err) => {
            let message = err.to_string();
            // Every message names the file, even an I/O refusal.
            assert!(message.contains(FILE), "{message}");
        }
    }
}

/// Valid JSON: no `sequence` key means "no sequence"; a `sequence` key means the object was
/// read or found unreadable, never "not valid JSON".
fn agrees_with_a_full_parse(data: &[u8], outcome: &Result<SequenceObject, SequenceJsonError>) {
    let Ok(Value::Object(top)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    match top.get("sequence") {
        None => assert!(
            matches!(outcome, Err(SequenceJsonError::NoSequence { .. })),
            "valid JSON without `sequence`: {outcome:?}"
        ),
        Some(_) => assert!(
            matches!(outcome, Ok(_) | Err(SequenceJsonError::BadSequence { .. })),
            "valid JSON with `sequence`: {outcome:?}"
        ),
    }
    if let (Ok(object), Some(Value::Object(sequence))) = (outcome, top.get("sequence")) {
        // Only when the file has one `sequence` key (the reader takes the first, a full
        // parse the last): then both see the same name.
        if top_level_keys_named(data, "sequence") == Some(1) {
            let name = sequence
                .get("uploader_sequence_name")
                .and_then(Value::as_str);
            if name.is_some() {
                assert_eq!(object.uploader_sequence_name.as_deref(), name);
            }
        }
    }
}

/// How many keys of the top-level object are `name` (a full parse keeps only the last).
fn top_level_keys_named(data: &[u8], name: &str) -> Option<usize> {
    struct Count<'a>(&'a str);
    impl<'de> Visitor<'de> for Count<'_> {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
            let mut count = 0;
            while let Some((key, IgnoredAny)) = map.next_entry::<String, IgnoredAny>()? {
                count += usize::from(key == self.0);
            }
            Ok(count)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_slice(data);
    deserializer.deserialize_map(Count(name)).ok()
}

/// The same answer: both read with the same fields, or both refused for the same reason.
/// serde_json ends a message with where it stopped ("at line 1 column 200"), which depends on
/// whether it could peek at the next byte: that part may differ.
fn same(
    a: &Result<SequenceObject, SequenceJsonError>,
    b: &Result<SequenceObject, SequenceJsonError>,
) -> bool {
    match (a, b) {
        (Ok(a), Ok(b)) => format!("{a:?}") == format!("{b:?}"),
        (Err(a), Err(b)) => {
            std::mem::discriminant(a) == std::mem::discriminant(b)
                && without_position(&a.to_string()) == without_position(&b.to_string())
        }
        _ => false,
    }
}

fn without_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at) if message[at..].contains(" column ") => &message[..at],
        _ => message,
    }
}

/// Hands out `data` up to `at`, then fails as a disk or network error would.
struct FailsAt<'a> {
    data: &'a [u8],
    at: usize,
}

impl Read for FailsAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at == 0 {
            return Err(io::Error::other("the disk went away"));
        }
        let n = buf.len().min(self.at).min(self.data.len());
        if n == 0 {
            return Ok(0);
        }
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        self.at -= n;
        Ok(n)
    }
}

/// One byte per `read`.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match (self.0.split_first(), buf.first_mut()) {
            (Some((&byte, rest)), Some(slot)) => {
                *slot = byte;
                self.0 = rest;
                Ok(1)
            }
            _ => Ok(0),
        }
    }
}
