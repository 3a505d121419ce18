//! Writes generated sequence folders: `gen-fixtures --out DIR [--count N] [--photos M] [--seed S] [--demo]`.

use std::path::PathBuf;
use std::process::ExitCode;

use mtp_testkit::fixtures;

const USAGE: &str = "usage: gen-fixtures --out DIR [--count N] [--photos M] [--seed S] [--demo]";

struct Options {
    out: PathBuf,
    count: usize,
    photos: usize,
    seed: u64,
    demo: bool,
}

fn parse(mut args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        out: PathBuf::new(),
        count: 10,
        photos: 100,
        seed: 1,
        demo: false,
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
            other => return Err(format!("unknown argument ‘{other}’")),
        }
    }
    if options.out.as_os_str().is_empty() {
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
