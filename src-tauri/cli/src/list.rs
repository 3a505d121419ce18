//! `list`: the library with each sequence's status and latest upload state.

use std::process::ExitCode;
use std::sync::Arc;

use mtp_engine::uploads::Uploads;
use mtp_engine::{Engine, EngineError};
use serde_json::json;

use crate::history::with_links;

pub async fn run(engine: Engine, as_json: bool) -> Result<ExitCode, EngineError> {
    let engine = Arc::new(engine);
    let mtpw_base = engine.accounts().mtpw_base()?;
    let scan = engine.scan_and_check()?;
    let uploads = Uploads::open(engine).await?;
    let mut rows = Vec::new();
    for sequence in &scan.sequences {
        let upload = uploads.latest_of(&sequence.id)?;
        rows.push((sequence, upload));
    }
    if as_json {
        let items: Vec<_> = rows
            .iter()
            .map(|(s, u)| {
                let upload = u.as_ref().map(|u| with_links(u, &mtpw_base));
                json!({"sequence": s, "upload": upload})
            })
            .collect();
        println!("{}", serde_json::Value::Array(items));
        return Ok(ExitCode::SUCCESS);
    }
    for (sequence, upload) in &rows {
        let status = serde_json::to_value(sequence.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let upload = upload
            .as_ref()
            .map(|u| u.state.label().to_string())
            .unwrap_or_else(|| "not uploaded".into());
        println!(
            "{:<40} {:<18} {upload}  {}",
            sequence.name, status, sequence.path
        );
    }
    println!("{} sequences", rows.len());
    Ok(ExitCode::SUCCESS)
}
