//! `fake-services`: runs the fake Strava and fake MTPW until killed, printing their endpoints as one JSON line.

use std::process::ExitCode;
use std::time::Duration;

use mtp_testkit::fake::faults::FaultScript;
use mtp_testkit::fake::{
    Approval, DuplicateText, ErrorBody, FakeServices, FaultKind, FaultRule, ProcessingDelay,
    RefreshRotation, ServicesConfig,
};

const USAGE: &str = "usage: fake-services [--strava-port P] [--mtpw-port Q] [--auto-approve] \
[--time-scale S] [--processing-delay-ms N] [--callback-domain D] [--seed N] \
[--duplicate-text html|plain] [--refresh-rotation rotate|keep] \
[--server-error-body html|plain|empty|json] \
[--mtpw-redirect-uri URI]... [--mtpw-allow-scheme SCHEME]... \
[--strava-refuse inactive-application|athlete-limit] [--strava-fault RULE_JSON]...";

/// Why the command line was refused.
#[derive(Debug, thiserror::Error)]
enum ArgError {
    #[error("{0} needs a value")]
    MissingValue(String),
    #[error("invalid value for {flag}: {value}")]
    BadValue { flag: String, value: String },
    #[error("unknown argument {0}")]
    Unknown(String),
}

/// What the command line asks for: the fakes' configuration and the Strava fault rules in
/// force from the start.
struct Setup {
    config: ServicesConfig,
    strava_faults: Vec<FaultRule>,
}

/// `--strava-refuse`: Strava refuses the API application on every request from the start, as
/// its current rules do: an inactive application (owner without a subscription) on every
/// call; the athlete cap when an athlete connects (the token exchange and refresh).
fn refusal_rules(kind: &str) -> Option<Vec<FaultRule>> {
    let always = |route: &str, kind: FaultKind| FaultRule::sometimes(route, kind, 1.0);
    match kind {
        "inactive-application" => Some(vec![always("* /**", FaultKind::InactiveApplication)]),
        "athlete-limit" => Some(vec![
            always("POST /oauth/token", FaultKind::AthleteLimit),
            always("POST /api/v3/oauth/token", FaultKind::AthleteLimit),
        ]),
        _ => None,
    }
}

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Setup, ArgError> {
    let mut config = ServicesConfig::default();
    let mut strava_faults = Vec::new();
    let mut args = args.into_iter();
    while let Some(flag) = args.next() {
        if flag == "--auto-approve" {
            config.strava.approval = Approval::auto();
            config.mtpw.auto_approve = true;
            continue;
        }
        let value = args
            .next()
            .ok_or_else(|| ArgError::MissingValue(flag.clone()))?;
        let bad = || ArgError::BadValue {
            flag: flag.clone(),
            value: value.clone(),
        };
        match flag.as_str() {
            "--strava-port" => config.strava_port = value.parse().map_err(|_| bad())?,
            "--mtpw-port" => config.mtpw_port = value.parse().map_err(|_| bad())?,
            "--time-scale" => {
                let scale: f64 = value.parse().map_err(|_| bad())?;
                if !(scale.is_finite() && scale > 0.0) {
                    return Err(bad());
                }
                config.strava.time_scale = scale;
            }
            "--processing-delay-ms" => {
                let ms: u64 = value.parse().map_err(|_| bad())?;
                config.strava.processing = ProcessingDelay::Fixed(Duration::from_millis(ms));
            }
            "--callback-domain" => config.strava.callback_domain = value,
            "--duplicate-text" => {
                config.strava.duplicate_text = match value.as_str() {
                    "html" => DuplicateText::Html,
                    "plain" => DuplicateText::Plain,
                    _ => return Err(bad()),
                }
            }
            "--refresh-rotation" => {
                config.strava.refresh_rotation = match value.as_str() {
                    "rotate" => RefreshRotation::Rotate,
                    "keep" => RefreshRotation::Keep,
                    _ => return Err(bad()),
                }
            }
            "--server-error-body" => {
                config.strava.server_error_body =
                    serde_json::from_value::<ErrorBody>(serde_json::Value::String(value.clone()))
                        .map_err(|_| bad())?
            }
            "--mtpw-redirect-uri" => {
                url::Url::parse(&value).map_err(|_| bad())?;
                config.mtpw.redirect_uris.push(value);
            }
            "--mtpw-allow-scheme" => {
                if value.is_empty() || value.contains([':', '/']) {
                    return Err(bad());
                }
                config.mtpw.allowed_schemes.push(value.to_ascii_lowercase());
            }
            "--strava-refuse" => strava_faults.extend(refusal_rules(&value).ok_or_else(bad)?),
            "--strava-fault" => {
                let json: serde_json::Value = serde_json::from_str(&value).map_err(|_| bad())?;
                let script = FaultScript::from_json(&json).map_err(|_| bad())?;
                strava_faults.extend(script.faults);
            }
            "--seed" => {
                let seed: u64 = value.parse().map_err(|_| bad())?;
                config.strava.seed = seed;
                config.mtpw.seed = seed;
            }
            _ => return Err(ArgError::Unknown(flag)),
        }
    }
    Ok(Setup {
        config,
        strava_faults,
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    let setup = match parse_args(std::env::args().skip(1)) {
        Ok(setup) => setup,
        Err(err) => {
            eprintln!("fake-services: {err}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let services = match FakeServices::start(setup.config).await {
        Ok(services) => services,
        Err(err) => {
            eprintln!("fake-services: cannot listen: {err}");
            return ExitCode::FAILURE;
        }
    };
    for rule in setup.strava_faults {
        services.strava.add_fault(rule);
    }
    println!("{}", services.endpoints_json());
    if let Err(err) = tokio::signal::ctrl_c().await {
        eprintln!("fake-services: {err}");
    }
    ExitCode::SUCCESS
}
