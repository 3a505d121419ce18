//! `history`: past uploads, newest first.

use std::process::ExitCode;
use std::sync::Arc;

use mtp_engine::uploads::links::{activity_url, mtpw_sequence_url};
use mtp_engine::uploads::{HistoryQuery, UploadRecord, Uploads};
use mtp_engine::{Engine, EngineError};

pub async fn run(
    engine: Engine,
    as_json: bool,
    search: Option<String>,
    limit: u32,
) -> Result<ExitCode, EngineError> {
    let engine = Arc::new(engine);
    let mtpw_base = engine.accounts().mtpw_base()?;
    let uploads = Uploads::open(engine).await?;
    let page = uploads.history(&HistoryQuery {
        text: search,
        limit,
        ..HistoryQuery::default()
    })?;
    if as_json {
        let mut records = Vec::new();
        for record in &page.records {
            let record = uploads.record(record.id)?.unwrap_or(record.clone());
            records.push(with_links(&record, &mtpw_base));
        }
        let out = serde_json::json!({"total": page.total, "records": records});
        println!("{out}");
        return Ok(ExitCode::SUCCESS);
    }
    for record in &page.records {
        let link = record.activity_id.map(activity_url);
        println!(
            "{}  {:<40} {:<36} {}",
            record.updated_at,
            record.sequence_name,
            record.state.label(),
            link.as_deref().unwrap_or("-")
        );
        if let Some(detail) = &record.detail {
            println!("    {detail}");
        }
    }
    println!("{} of {} uploads", page.records.len(), page.total);
    Ok(ExitCode::SUCCESS)
}

/// The record as JSON with its two web links, as a script reading `history --json` expects.
pub fn with_links(record: &UploadRecord, mtpw_base: &str) -> serde_json::Value {
    let mut json = serde_json::to_value(record).unwrap_or_default();
    if let Some(fields) = json.as_object_mut() {
        let mtpw_url = record
            .mtpw_uuid
            .as_deref()
            .filter(|uuid| !uuid.trim().is_empty())
            .and_then(|uuid| mtpw_sequence_url(mtpw_base, uuid));
        fields.insert(
            "activityUrl".into(),
            record.activity_id.map(activity_url).into(),
        );
        fields.insert("mtpwUrl".into(), mtpw_url.into());
    }
    json
}
