//! JSON text that is all ASCII: every other character escaped (`\u2019`).
//!
//! WebKit keeps a text of ASCII or Latin-1 characters, and the strings parsed from it, at one
//! byte a character; a single other character anywhere makes it two bytes a character for the
//! whole text and every string read from it. One curly quote in a Strava eligibility reason did
//! that to all 10,000 rows of a library: about 20 MB more in the web process at a start. The
//! escaped text parses to the very same value.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::{Formatter, Serializer};

/// `value` as compact JSON text with every non-ASCII character written as a `\u` escape
/// (surrogate pairs beyond the Basic Multilingual Plane).
pub fn ascii_json<T: Serialize + ?Sized>(value: &T) -> serde_json::Result<String> {
    let mut text = Vec::new();
    value.serialize(&mut Serializer::with_formatter(&mut text, AsciiFormatter))?;
    // Every byte written is ASCII: the escapes are, and so is what `write_string_fragment` lets through.
    String::from_utf8(text).map_err(|_| serde::ser::Error::custom("non-ASCII JSON text"))
}

/// serde_json's compact output (the trait's defaults), except that strings escape non-ASCII.
struct AsciiFormatter;

impl Formatter for AsciiFormatter {
    fn write_string_fragment<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut plain = 0;
        for (at, character) in fragment.char_indices() {
            if character.is_ascii() {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[plain..at])?;
            let mut units = [0; 2];
            for unit in character.encode_utf16(&mut units) {
                write!(writer, "\\u{unit:04x}")?;
            }
            plain = at + character.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[plain..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_character_beyond_ascii_is_escaped_and_reads_back_the_same() {
        let value = json!({
            "reason": "MTP does not send ‘Car’ sequences to Strava",
            "name": "Córdoba → Łódź 🚲",
            "quote\"and\\": ["\n\t", 1.5, null, true],
        });
        let text = ascii_json(&value).unwrap();
        assert!(text.is_ascii(), "{text}");
        assert!(text.contains(r"\u2018Car\u2019"), "{text}");
        assert!(
            text.contains(r"C\u00f3rdoba \u2192 \u0141\u00f3d\u017a \ud83d\udeb2"),
            "{text}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        assert_eq!(
            ascii_json(&json!(["plain", 2])).unwrap(),
            serde_json::to_string(&json!(["plain", 2])).unwrap()
        );
    }
}
