//! Path helpers: the file names inside a sequence folder, display names, and path bytes for ids and the store.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The status file MTP Desktop Uploader writes next to the sequence after its own Strava upload.
pub const STATUS_FILE: &str = "upload_strava.json";

/// `<dir>/<dir><suffix>`, e.g. `<dir>/<dir>.json`; built from the raw name, so non-UTF-8 names work.
pub fn own_file(dir: &Path, suffix: &str) -> Option<PathBuf> {
    let mut name: OsString = dir.file_name()?.to_os_string();
    name.push(suffix);
    Some(dir.join(name))
}

/// The last component for display (lossy UTF-8), or the whole path when it has none.
pub fn display_name(path: &Path) -> String {
    match path.file_name() {
        Some(name) => name.to_string_lossy().into_owned(),
        None => path.to_string_lossy().into_owned(),
    }
}

/// The raw bytes of a path (exact on Unix; UTF-8 elsewhere).
pub fn path_bytes(path: &Path) -> Vec<u8> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        path.as_os_str().as_bytes().to_vec()
    }
    #[cfg(not(unix))]
    {
        path.to_string_lossy().into_owned().into_bytes()
    }
}

/// The inverse of [`path_bytes`].
pub fn path_from_bytes(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// A sequence id: the folder's path bytes in hex, so it maps back to the exact (even non-UTF-8) path.
pub fn sequence_id(dir: &Path) -> String {
    hex(&path_bytes(dir))
}

/// Lower-case hex of `bytes` (two digits each).
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut text = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        text.push(char::from(DIGITS[usize::from(byte >> 4)]));
        text.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    text
}

/// The folder a [`sequence_id`] stands for, or None if it is not one.
pub fn folder_of_id(id: &str) -> Option<PathBuf> {
    if id.is_empty() || !id.len().is_multiple_of(2) {
        return None;
    }
    let bytes = (0..id.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(id.get(i..i + 2)?, 16).ok())
        .collect::<Option<Vec<u8>>>()?;
    Some(path_from_bytes(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn ids_round_trip_non_utf8_paths() {
        let dir = path_from_bytes(b"/tmp/caf\xe9_ride");
        let id = sequence_id(&dir);
        assert_eq!(folder_of_id(&id), Some(dir.clone()));
        assert_eq!(display_name(&dir), "caf\u{fffd}_ride");
        let json = own_file(&dir, ".json").unwrap();
        assert_eq!(
            path_bytes(&json),
            b"/tmp/caf\xe9_ride/caf\xe9_ride.json".to_vec()
        );
    }

    #[test]
    fn hex_has_two_lower_case_digits_a_byte() {
        assert_eq!(hex(&[0x00, 0x0f, 0xa5, 0xff]), "000fa5ff");
        assert_eq!(hex(b""), "");
        assert_eq!(sequence_id(Path::new("/a")), "2f61");
    }

    #[test]
    fn bad_ids_are_refused() {
        assert_eq!(folder_of_id(""), None);
        assert_eq!(folder_of_id("abc"), None);
        assert_eq!(folder_of_id("zz"), None);
        assert_eq!(folder_of_id("é1"), None);
    }
}
