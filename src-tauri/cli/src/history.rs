//! `history`: past uploads, newest first.

use std::process::ExitCode;

use mtp_engine::pipeline::HistoryQuery;
use mtp_engine::{Engine, EngineError};

pub fn run(
    engine: &Engine,
    as_json: bool,
    search: Option<String>,
    limit: u32,
) -> Result<ExitCode, EngineError> {
    let page = engine.upload_history(&HistoryQuery {
        text: search,
        limit,
        ..HistoryQuery::default()
    })?;
    if as_json {
        let mut records = Vec::new();
        for record in &page.records {
            records.push(engine.upload_record(record.id)?.unwrap_or(record.clone()));
        }
        let out = serde_json::json!({"total": page.total, "records": records});
        println!("{out}");
        return Ok(ExitCode::SUCCESS);
    }
    for record in &page.records {
        let link = record.activity_url.as_deref().unwrap_or("-");
        println!(
            "{}  {:<40} {:<36} {link}",
            record.updated_at,
            record.sequence_name,
            record.state.label()
        );
        if let Some(detail) = &record.detail {
            println!("    {detail}");
        }
    }
    println!("{} of {} uploads", page.records.len(), page.total);
    Ok(ExitCode::SUCCESS)
}
