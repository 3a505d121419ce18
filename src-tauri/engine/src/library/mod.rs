//! The sequence library: roots, the sequence folders under them, what each one holds, and drops.

mod candidates;
mod check;
mod desktop_uploader;
mod drop;
mod naming;
mod paths;
mod read;
mod roots;
mod scan;
pub mod sequence_json;
mod stamp;
pub mod transport;

pub use candidates::{is_sequence_folder, list_candidates, Candidates};
pub use check::{check_folder, check_folders};
pub use desktop_uploader::STATUS_FILE;
pub use drop::classify_dropped;
pub use naming::display_sequence_name;
pub use paths::{display_name, folder_of_id, own_file, path_bytes, path_from_bytes, sequence_id};
pub use read::{list_sequence, read_sequence, Listing, SequenceRead};
pub use roots::{describe_root, Root};
pub use scan::{scan_library, sort_newest_first, ScanOutcome};
pub use stamp::{FileStamp, FolderStamp};
