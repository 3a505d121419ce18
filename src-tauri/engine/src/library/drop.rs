//! Decides what a dropped (or chosen) path is: a sequence folder, a folder of sequences, or neither.

use std::io::ErrorKind;
use std::path::Path;

use super::{display_name, is_sequence_folder};

/// How many sequences a dropped folder brings, or a sentence naming it and saying why it was refused.
pub fn classify_dropped(path: &Path) -> Result<u32, String> {
    let name = display_name(path);
    let meta = std::fs::metadata(path).map_err(|err| match err.kind() {
        ErrorKind::NotFound => format!("‘{name}’ does not exist"),
        _ => format!("‘{name}’ cannot be read: {err}"),
    })?;
    if !meta.is_dir() {
        return Err(format!(
            "‘{name}’ is a file, not a folder: drop a sequence folder or a folder of sequence folders"
        ));
    }
    if is_sequence_folder(path) {
        return Ok(1);
    }
    let entries =
        std::fs::read_dir(path).map_err(|err| format!("‘{name}’ cannot be read: {err}"))?;
    let count = entries
        .flatten()
        .filter(|entry| entry.file_name().as_encoded_bytes().first() != Some(&b'.'))
        .filter(|entry| std::fs::metadata(entry.path()).is_ok_and(|m| m.is_dir()))
        .filter(|entry| is_sequence_folder(&entry.path()))
        .count();
    match count {
        0 => Err(format!(
            "‘{name}’ is not a sequence folder and contains no sequence folders"
        )),
        n => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
    }
}
