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

/// For serialized JSON: escapes what [`terminal`] would, as JSON `\uXXXX` escapes, so the
/// document still decodes to the same strings. serde_json escapes C0 controls inside strings
/// itself, so a raw newline, tab or carriage return can only be layout, and is kept.
pub fn json(text: &str) -> String {
    let escape = |c: char| needs_escape(c) && !matches!(c, '\n' | '\t' | '\r');
    if !text.chars().any(escape) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if escape(c) {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out
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

    #[test]
    fn json_escapes_decode_to_the_same_strings() {
        let value = serde_json::json!({ "a": "x\u{1b}[31m\u{9b}\u{7f}\u{202e}y\nz" });
        let text = serde_json::to_string_pretty(&value).expect("serializes");
        let safe = json(&text);
        assert!(
            !safe.chars().any(|c| needs_escape(c) && c != '\n'),
            "{safe}"
        );
        assert!(
            safe.contains("\\u009b") && safe.contains("\\u202e"),
            "{safe}"
        );
        let back: serde_json::Value = serde_json::from_str(&safe).expect("still JSON");
        assert_eq!(back, value);
    }
}
