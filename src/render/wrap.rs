//! Word wrapping for the human formats: lines fit the width, continuation lines hang under the
//! first line's text, and a word longer than a line (a URL) stays whole on a line of its own.

use unicode_width::UnicodeWidthStr;

/// The columns `text` takes on a terminal, ANSI colour sequences not counted.
pub(crate) fn width(text: &str) -> usize {
    let mut visible = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            // CSI: parameters up to a final byte in @..~.
            chars.next();
            for c in chars.by_ref() {
                if ('@'..='~').contains(&c) {
                    break;
                }
            }
            continue;
        }
        visible.push(c);
    }
    UnicodeWidthStr::width(visible.as_str())
}

/// `first` then `text`, wrapped to `max` columns; every line after the first starts with
/// `indent`. Explicit line breaks in `text` are kept. Returns the lines without a final newline.
pub(crate) fn hanging(first: &str, indent: &str, text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut line = first.to_string();
    let mut line_width = width(first);
    let start_width = line_width;
    let indent_width = width(indent);
    for (n, paragraph) in text.split('\n').enumerate() {
        if n > 0 {
            out.push_str(line.trim_end());
            out.push('\n');
            line = indent.to_string();
            line_width = indent_width;
        }
        let mut empty = true;
        for word in words(paragraph) {
            let word = word.as_str();
            let w = width(word);
            let on_first = n == 0 && line_width == start_width;
            let at_start = empty && (on_first || line_width == indent_width);
            if at_start && on_first && start_width > indent_width && start_width + w > max {
                // A wide first part (a level and a code): the text starts on the next line.
                out.push_str(line.trim_end());
                out.push('\n');
                line = indent.to_string();
                line_width = indent_width;
            } else if !at_start && line_width + 1 + w > max {
                out.push_str(line.trim_end());
                out.push('\n');
                line = indent.to_string();
                line_width = indent_width;
            } else if !at_start {
                line.push(' ');
                line_width += 1;
            }
            line.push_str(word);
            line_width += w;
            empty = false;
        }
    }
    out.push_str(line.trim_end());
    out
}

/// The words of a paragraph; an HTTP method stays with the path after it (`GET /x`).
fn words(paragraph: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in paragraph.split(' ').filter(|w| !w.is_empty()) {
        match out.last_mut() {
            Some(last) if (last == "GET" || last == "POST") && w.starts_with('/') => {
                last.push(' ');
                last.push_str(w);
            }
            _ => out.push(w.to_string()),
        }
    }
    out
}

/// Wraps a Markdown document to `max` columns: paragraphs and list items (continuation lines
/// under the item's text), never headings or fenced code.
pub(crate) fn markdown(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut fenced = false;
    let mut shell = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            shell = fenced && line.trim_start().trim_start_matches('`').trim() == "sh";
        } else if shell && width(line) > max && !line.trim_start().starts_with('#') {
            out.push_str(&shell_lines(line, max));
            out.push('\n');
            continue;
        }
        if fenced
            || line.starts_with('#')
            || line.trim_start().starts_with("```")
            || width(line) <= max
        {
            out.push_str(line);
            out.push('\n');
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        let rest = &line[lead..];
        let marker = list_marker(rest);
        let (first, body) = line.split_at(lead + marker);
        let indent = " ".repeat(width(first));
        out.push_str(&hanging(first, &indent, body, max));
        out.push('\n');
    }
    out
}

/// A long shell command as lines joined by ` \\`, continuation lines indented.
fn shell_lines(line: &str, max: usize) -> String {
    let lead = line.len() - line.trim_start().len();
    command(&line[..lead], &line[lead..], max)
}

/// A shell command after `indent`, as lines of at most `max` columns joined by ` \\`, each
/// continuation indented four more: it still runs when pasted.
pub(crate) fn command(indent: &str, cmd: &str, max: usize) -> String {
    let wrapped = hanging(indent, &format!("{indent}    "), cmd, max.saturating_sub(2));
    let lines: Vec<&str> = wrapped.lines().collect();
    lines.join(" \\\n")
}

/// The length of a list marker at the start of `text` (`- [ ] `, `- `, `12. `), or 0.
fn list_marker(text: &str) -> usize {
    for m in ["- [ ] ", "- [x] ", "- ", "* "] {
        if text.starts_with(m) {
            return m.len();
        }
    }
    let digits = text.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && text[digits..].starts_with(". ") {
        return digits + 2;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_fit_and_hang_under_the_text() {
        let text = "The permission group cannot read the Work category: Job title is absent for all 12 employees.";
        let out = hanging("error   category-not-readable  ", "        ", text, 60);
        for line in out.lines() {
            assert!(width(line) <= 60, "{line:?}");
        }
        assert!(
            out.lines().skip(1).all(|l| l.starts_with("        ")),
            "{out}"
        );
        assert_eq!(
            out.split_whitespace().collect::<Vec<_>>().join(" "),
            format!("error category-not-readable {text}")
        );
    }

    #[test]
    fn a_wide_first_part_puts_the_text_under_it() {
        let out = hanging(
            "error   timeoff-permission-missing  ",
            "        ",
            "HiBob refused the balance.",
            40,
        );
        assert_eq!(
            out,
            "error   timeoff-permission-missing\n        HiBob refused the balance."
        );
    }

    #[test]
    fn a_long_word_stays_whole_and_breaks_are_kept() {
        let url =
            "https://support.activtrak.com/hc/en-us/articles/44459677641755-Setup-Guide-HiBob";
        let out = hanging("see: ", "  ", &format!("{url} then\nnext"), 30);
        assert!(out.lines().any(|l| l.contains(url)), "{out}");
        assert!(out.ends_with("\n  next"), "{out}");
    }

    #[test]
    fn markdown_items_wrap_under_their_text_and_code_stays() {
        let md = "# A heading that is rather long and must stay on its one line whatever\n\n1. Open the thing and then do a great many other things that take words.\n   - [ ] **Work** > \"View selected employees' Work sections\" (for Job title)\n\n```sh\nhibob-audit check --profile activtrak --base-url https://api.sandbox.hibob.com/v1\n```\n";
        let out = markdown(md, 40);
        assert!(out.starts_with(
            "# A heading that is rather long and must stay on its one line whatever\n"
        ));
        assert!(
            out.contains("\n   things that take words.\n") || out.contains("\n   "),
            "{out}"
        );
        assert!(
            out.contains("hibob-audit check --profile activtrak \\\n    --base-url \\\n"),
            "a shell command wraps with backslashes: {out}"
        );
        for line in out
            .lines()
            .filter(|l| !l.starts_with('#') && !l.contains("https://"))
        {
            assert!(width(line) <= 40, "{line:?}");
        }
        assert!(
            out.contains("\n         "),
            "the nested item's continuation hangs: {out}"
        );
    }

    #[test]
    fn colour_does_not_count() {
        assert_eq!(width("\u{1b}[31merror\u{1b}[0m"), 5);
    }
}
