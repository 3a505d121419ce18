//! Reads only regular files, up to a stated size: a FIFO, device or socket (also behind a link)
//! is refused at once instead of blocking a read forever, and an oversized file with its size.

use std::fs::{File, Metadata, OpenOptions};
use std::io::{ErrorKind, Read};
use std::path::Path;

/// The largest `<dir>.gpx` the app reads (one track point per photo is ~150 bytes).
pub const GPX_LIMIT: u64 = 64_000_000;
/// The largest `<dir>.json` the app reads (its `photo` map grows with the photo count).
pub const JSON_LIMIT: u64 = 64_000_000;
/// The largest `upload_strava.json` the app reads (it holds three short fields).
pub const STATUS_FILE_LIMIT: u64 = 1_000_000;

/// Why a file was not read; `file` is the name shown to the user.
#[derive(Debug, thiserror::Error)]
pub enum ReadRefusal {
    #[error("{file} is missing")]
    Missing { file: String },
    #[error("{file} is {kind}, not a regular file")]
    NotRegular { file: String, kind: &'static str },
    #[error("{file} is too large to read ({}; the limit is {})", format_size(*size), format_size(*limit))]
    TooLarge { file: String, size: u64, limit: u64 },
    #[error("cannot read {file}: {source}")]
    Unreadable {
        file: String,
        source: std::io::Error,
    },
}

impl ReadRefusal {
    /// True when the file could not be read at all (worth trying again on the next scan).
    pub fn is_io(&self) -> bool {
        matches!(self, ReadRefusal::Unreadable { .. })
    }

    fn io(file: &str, source: std::io::Error) -> Self {
        match source.kind() {
            ErrorKind::NotFound => ReadRefusal::Missing { file: file.into() },
            _ => ReadRefusal::Unreadable {
                file: file.into(),
                source,
            },
        }
    }
}

/// Opens `path` for reading when it is a regular file of at most `limit` bytes; the reader
/// stops at `limit` even if the file grows. `file` names it in messages.
pub fn open_regular(path: &Path, file: &str, limit: u64) -> Result<impl Read, ReadRefusal> {
    // Stat first (following links): opening a FIFO for reading would block until a writer comes.
    let before = std::fs::metadata(path).map_err(|e| ReadRefusal::io(file, e))?;
    check(&before, file, limit)?;
    let handle = open_non_blocking(path).map_err(|e| ReadRefusal::io(file, e))?;
    // Check the opened handle again: the path may have been swapped since the stat.
    let opened = handle.metadata().map_err(|e| ReadRefusal::io(file, e))?;
    check(&opened, file, limit)?;
    Ok(handle.take(limit))
}

/// The whole of a regular file of at most `limit` bytes.
pub fn read_regular(path: &Path, file: &str, limit: u64) -> Result<Vec<u8>, ReadRefusal> {
    let mut bytes = Vec::new();
    open_regular(path, file, limit)?
        .read_to_end(&mut bytes)
        .map_err(|e| ReadRefusal::io(file, e))?;
    Ok(bytes)
}

fn check(meta: &Metadata, file: &str, limit: u64) -> Result<(), ReadRefusal> {
    if !meta.is_file() {
        return Err(ReadRefusal::NotRegular {
            file: file.into(),
            kind: kind_of(meta),
        });
    }
    if meta.len() > limit {
        return Err(ReadRefusal::TooLarge {
            file: file.into(),
            size: meta.len(),
            limit,
        });
    }
    Ok(())
}

/// What a non-regular file is, for the user.
fn kind_of(meta: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = meta.file_type();
        if kind.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else {
        "a special file"
    }
}

/// Opens with `O_NONBLOCK` where it exists, so even a FIFO swapped in after the stat cannot
/// block the open; on a regular file the flag changes nothing.
fn open_non_blocking(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        #[cfg(any(target_os = "linux", target_os = "android"))]
        const O_NONBLOCK: i32 = 0o4000;
        #[cfg(not(any(target_os = "linux", target_os = "android")))]
        const O_NONBLOCK: i32 = 0x0004;
        options.custom_flags(O_NONBLOCK);
    }
    options.open(path)
}

/// "850 bytes", "12.4 MB" (decimal units, as file managers show them).
pub fn format_size(bytes: u64) -> String {
    const UNITS: [&str; 4] = ["kB", "MB", "GB", "TB"];
    if bytes < 1000 {
        return format!("{bytes} bytes");
    }
    let mut value = bytes as f64 / 1000.0;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    format!("{value:.1} {}", UNITS[unit])
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    fn mkfifo(path: &Path) {
        let status = std::process::Command::new("mkfifo")
            .arg(path)
            .status()
            .expect("mkfifo runs");
        assert!(status.success());
    }

    #[test]
    fn a_fifo_and_a_link_to_a_device_are_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("walk.gpx");
        mkfifo(&fifo);
        let err = read_regular(&fifo, "walk.gpx", GPX_LIMIT).unwrap_err();
        assert_eq!(
            err.to_string(),
            "walk.gpx is a named pipe (FIFO), not a regular file"
        );
        let link = dir.path().join("zero.gpx");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let err = read_regular(&link, "zero.gpx", GPX_LIMIT).unwrap_err();
        assert_eq!(err.to_string(), "zero.gpx is a device, not a regular file");
        assert!(!err.is_io());
        let socket = dir.path().join("sock.json");
        let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
        let err = read_regular(&socket, "sock.json", JSON_LIMIT).unwrap_err();
        assert_eq!(err.to_string(), "sock.json is a socket, not a regular file");
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.json");
        File::create(&big).unwrap().set_len(70_300_000).unwrap();
        let err = read_regular(&big, "big.json", JSON_LIMIT).unwrap_err();
        assert_eq!(
            err.to_string(),
            "big.json is too large to read (70.3 MB; the limit is 64.0 MB)"
        );
        std::fs::write(&big, b"{}").unwrap();
        assert_eq!(read_regular(&big, "big.json", JSON_LIMIT).unwrap(), b"{}");
    }

    #[test]
    fn missing_files_and_folders_have_their_own_reasons() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_regular(&dir.path().join("no.gpx"), "no.gpx", 10).unwrap_err();
        assert_eq!(err.to_string(), "no.gpx is missing");
        let err = read_regular(dir.path(), "x.json", 10).unwrap_err();
        assert_eq!(err.to_string(), "x.json is a folder, not a regular file");
    }

    #[test]
    fn sizes_read_like_a_file_manager() {
        assert_eq!(format_size(850), "850 bytes");
        assert_eq!(format_size(12_400_000), "12.4 MB");
        assert_eq!(format_size(2_000_000_000), "2.0 GB");
    }
}
