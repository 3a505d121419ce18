//! Decides what a dropped (or chosen) path is: a sequence folder, a folder of sequences, or neither.

use std::io::ErrorKind;
use std::path::Path;

use super::candidates::list_candidates;
use crate::files::display_name;

/// How many sequences a dropped folder brings (exactly what the library will list under it),
/// or a sentence naming it and saying why it was refused.
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
    std::fs::read_dir(path).map_err(|err| format!("‘{name}’ cannot be read: {err}"))?;
    match list_candidates(path).folders.len() {
        0 => Err(format!(
            "‘{name}’ is not a sequence folder and contains no sequence folders"
        )),
        n => Ok(u32::try_from(n).unwrap_or(u32::MAX)),
    }
}
