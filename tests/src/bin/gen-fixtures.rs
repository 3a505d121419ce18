//! Writes generated sequence folders: `gen-fixtures --out DIR [--count N] [--photos M] [--seed S] [--demo]`,
//! or a long upload history into an app data folder: `gen-fixtures --history N --data-dir DIR`.

use std::path::PathBuf;
use std::process::ExitCode;

use mtp_testkit::fixtures;

const USAGE: &str = "usage: gen-fixtures --out DIR [--count N] [--photos M] [--seed S] [--demo]\n       gen-fixtures --history N --data-dir DIR";

struct Options {
    out: PathBuf,
    count: usize,
    photos: usize,
    seed: u64,
    demo: bool,
    /// Past uploads to write into `data_dir` (the app's `MTP_DATA_DIR`).
    history: Option<usize>,
    data_dir: PathBuf,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        out: PathBuf::new(),
        count: 10,
        photos: 100,
        seed: 1,
        demo: false,
        history: None,
        data_dir: PathBuf::new(),
    };
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        match flag.as_str() {
            "--out" => options.out = PathBuf::from(value()?),
            "--count" => options.count = value()?.parse().map_err(|e| format!("--count: {e}"))?,
            "--photos" => {
                options.photos = value()?.parse().map_err(|e| format!("--photos: {e}"))?
            }
            "--seed" => options.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--demo" => options.demo = true,
            "--history" => {
                options.history = Some(value()?.parse().map_err(|e| format!("--history: {e}"))?)
            }
            "--data-dir" => options.data_dir = PathBuf::from(value()?),
            other => return Err(format!("unknown argument ‘{other}’")),
        }
    }
    if options.history.is_some() {
        if options.data_dir.as_os_str().is_empty() {
            return Err("--history needs --data-dir".into());
        }
    } else if options.out.as_os_str().is_empty() {
        return Err("--out is required".into());
    }
    Ok(options)
}

fn main() -> ExitCode {
    let options = match parse(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => {
            eprintln!("{message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if let Some(count) = options.history {
        return match mtp_testkit::history::write_history(&options.data_dir, count) {
            Ok(written) => {
                println!(
                    "wrote {written} past uploads into {}",
                    options.data_dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(err) => {
                eprintln!(
                    "cannot write the history into {}: {err}",
                    options.data_dir.display()
                );
                ExitCode::FAILURE
            }
        };
    }
    let written = if options.demo {
        fixtures::write_demo_library(&options.out)
    } else {
        fixtures::write_library(&options.out, options.count, options.photos, options.seed)
    };
    match written {
        Ok(paths) => {
            println!(
                "wrote {} entries under {}",
                paths.len(),
                options.out.display()
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!(
                "cannot write fixtures under {}: {err}",
                options.out.display()
            );
            ExitCode::FAILURE
        }
    }
}
