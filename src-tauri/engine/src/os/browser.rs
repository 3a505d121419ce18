//! Opening the authorize URL: the command in `$BROWSER` when set (split like a shell word list,
//! the URL as last argument), else the desktop's default browser; never on the calling thread.

use std::process::{Command, Stdio};

/// The browser could not be started. The message never contains the URL.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BrowserError {
    #[error("$BROWSER is set but has an unmatched quote")]
    BadBrowserVariable,
    #[error("cannot start the browser ‘{program}’: {reason}")]
    Spawn { program: String, reason: String },
    #[error("cannot open the default browser: {reason}")]
    Default { reason: String },
}

/// Opens `url` on a blocking thread; returns once the browser process has been started.
pub async fn open_in_browser(url: &str) -> Result<(), BrowserError> {
    let url = url.to_string();
    let browser = std::env::var("BROWSER")
        .ok()
        .filter(|b| !b.trim().is_empty());
    let opened = tokio::task::spawn_blocking(move || match browser {
        Some(command) => run_browser_command(&command, &url),
        None => open::that_detached(&url).map_err(|e| BrowserError::Default {
            reason: e.to_string(),
        }),
    })
    .await;
    opened.unwrap_or_else(|e| {
        Err(BrowserError::Default {
            reason: e.to_string(),
        })
    })
}

fn run_browser_command(command: &str, url: &str) -> Result<(), BrowserError> {
    let words = split_command_line(command).ok_or(BrowserError::BadBrowserVariable)?;
    let Some((program, args)) = words.split_first() else {
        return Err(BrowserError::BadBrowserVariable);
    };
    let mut child = Command::new(program)
        .args(args)
        .arg(url)
        .stdin(Stdio::null())
        .spawn()
        .map_err(|e| BrowserError::Spawn {
            program: program.clone(),
            reason: e.to_string(),
        })?;
    // Reap it whenever it ends, without waiting here.
    std::thread::spawn(move || {
        let _ = child.wait();
    });
    Ok(())
}

/// Splits a command line into words as a POSIX shell would for plain words, 'single' and
/// "double" quotes and backslash escapes (no variables, no globbing). `None` on an open quote.
pub fn split_command_line(line: &str) -> Option<Vec<String>> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '\'' => break,
                        c => word.push(c),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next()? {
                        '"' => break,
                        '\\' => match chars.next()? {
                            c @ ('"' | '\\' | '$' | '`') => word.push(c),
                            c => {
                                word.push('\\');
                                word.push(c);
                            }
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => {
                in_word = true;
                if let Some(c) = chars.next() {
                    word.push(c);
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Some(words)
}

#[cfg(test)]
mod tests {
    use super::split_command_line as split;

    #[test]
    fn splits_like_a_shell() {
        assert_eq!(split("firefox").unwrap(), vec!["firefox"]);
        assert_eq!(
            split("  /opt/my browser/run.sh  --new-tab ").unwrap(),
            vec!["/opt/my", "browser/run.sh", "--new-tab"]
        );
        assert_eq!(
            split(r#"'/opt/my browser/run.sh' "a \"b\"" c\ d"#).unwrap(),
            vec!["/opt/my browser/run.sh", "a \"b\"", "c d"]
        );
        assert_eq!(split("''").unwrap(), vec![""]);
        assert_eq!(split("'open"), None);
    }
}
