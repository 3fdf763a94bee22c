//! Strings from HiBob (category names, content types) are escaped before they reach a
//! terminal, so control characters and ANSI escapes cannot act.

/// Escapes control characters and bidirectional overrides as `\u{..}`.
pub fn terminal(text: &str) -> String {
    if !text.chars().any(needs_escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

/// Like [`terminal`], but keeps newlines: for multi-line text of our own.
pub fn terminal_text(text: &str) -> String {
    text.split('\n')
        .map(terminal)
        .collect::<Vec<_>>()
        .join("\n")
}

fn needs_escape(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_ansi_and_controls() {
        assert_eq!(terminal("Basic info"), "Basic info");
        assert_eq!(terminal("a\u{1b}[31mb"), "a\\u{1b}[31mb");
        assert_eq!(terminal("x\ny\u{9b}"), "x\\u{a}y\\u{9b}");
        assert_eq!(terminal("\u{202e}abc"), "\\u{202e}abc");
    }
}
