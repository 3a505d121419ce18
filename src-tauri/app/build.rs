//! Reads the one Tauri config at the repository root and declares the app's own commands,
//! so the capabilities file can allow exactly those.

fn main() {
    let commands = tauri_build::AppManifest::new().commands(&[
        "library_roots",
        "scan_library",
        "add_paths",
        "remove_root",
        "sequence_detail",
    ]);
    let attributes = tauri_build::Attributes::new()
        .config_path("../../tauri.conf.json")
        .app_manifest(commands);
    tauri_build::try_build(attributes).expect("tauri-build failed");
}
