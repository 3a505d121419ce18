//! Facts about files on disk, below the library and the store: the layout of a sequence folder,
//! path bytes and ids, size+mtime stamps, and reading only regular files up to a size limit.

mod paths;
mod regular;
mod stamp;

pub use paths::{
    display_name, folder_of_id, hex, own_file, path_bytes, path_from_bytes, sequence_id,
    STATUS_FILE,
};
pub use regular::{
    format_size, open_regular, read_regular, ReadRefusal, GPX_LIMIT, JSON_LIMIT, STATUS_FILE_LIMIT,
};
pub use stamp::{FileStamp, FolderStamp, StatBase};
