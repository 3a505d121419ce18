//! Reads the one Tauri config at the repository root and declares the app's own commands, so
//! the capabilities file can allow exactly those. The command names are read from their one
//! declaration, the `commands!` block of the engine's `src/ipc/mod.rs`.

use std::path::Path;

const IPC_SOURCE: &str = "../engine/src/ipc/mod.rs";

fn main() {
    println!("cargo:rerun-if-changed={IPC_SOURCE}");
    let source = std::fs::read_to_string(Path::new(IPC_SOURCE))
        .unwrap_or_else(|err| panic!("cannot read {IPC_SOURCE}: {err}"));
    let names = command_names(&source);
    assert!(!names.is_empty(), "no commands found in {IPC_SOURCE}");
    // tauri-build wants `'static` names: this process ends right after, so leaking is free.
    let names: Vec<&'static str> = names
        .into_iter()
        .map(|name| &*Box::leak(name.into_boxed_str()))
        .collect();
    let commands = tauri_build::AppManifest::new().commands(Vec::leak(names));
    let attributes = tauri_build::Attributes::new()
        .config_path("../../tauri.conf.json")
        .app_manifest(commands);
    tauri_build::try_build(attributes).expect("tauri-build failed");
}

/// The quoted names of the `NAME = "name": Args => Result;` lines of the `commands! { ... }` block.
fn command_names(source: &str) -> Vec<String> {
    let Some(start) = source.find("\ncommands! {") else {
        return Vec::new();
    };
    let block = &source[start..];
    let block = &block[..block.find("\n}").unwrap_or(block.len())];
    block
        .lines()
        .map(str::trim)
        .filter(|line| !line.starts_with("//"))
        .filter_map(|line| {
            let (_, rest) = line.split_once("= \"")?;
            let (name, _) = rest.split_once('"')?;
            Some(name.to_string())
        })
        .collect()
}
