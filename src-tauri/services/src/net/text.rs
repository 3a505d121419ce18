//! Text that came from a server, cut before the app stores or shows it.

/// At most this many characters of a server's text are kept.
pub const MAX_SERVER_TEXT: usize = 300;

/// `text` trimmed and cut to `max_chars` characters, with "…" where it was cut.
pub fn cut(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max_chars) {
        None => text.to_string(),
        Some((end, _)) => format!("{}…", text[..end].trim_end()),
    }
}

/// A server's text as the app keeps it: trimmed, control characters made spaces, at most
/// [`MAX_SERVER_TEXT`] characters.
pub fn server_text(text: &str) -> String {
    let plain: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    cut(&plain, MAX_SERVER_TEXT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_on_a_character() {
        assert_eq!(cut(" short ", 10), "short");
        assert_eq!(cut("abcdef", 3), "abc…");
        assert_eq!(cut("ééééé", 2), "éé…");
        let long = "x".repeat(10_000);
        assert_eq!(server_text(&long).chars().count(), MAX_SERVER_TEXT + 1);
        assert_eq!(server_text("a\nb\u{7}c"), "a b c");
    }
}
