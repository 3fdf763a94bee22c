//! Reading the raw TOML of a rules file: typed access to values that keeps their spans, and
//! the list of problems found, each at its line and column.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::Problem;
use crate::report::Level;

pub(super) type Value<'i> = Spanned<DeValue<'i>>;

/// Turns a byte offset into a 1-based line and column (in characters).
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// Where each line of a text starts, built once per file, so that every problem's line and
/// column is found by a binary search (rescanning the file per problem made 100,000 problems
/// quadratic).
#[derive(Debug, Clone, Default)]
pub struct LineIndex {
    /// Byte offset of the first character of each line; `starts[0]` is 0.
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// The same answer as [`line_col`] for the text the index was built from.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(text.len());
        if !text.is_char_boundary(offset) {
            // As `line_col` does with an offset inside a character: the end of the text.
            offset = text.len();
        }
        // The number of line starts at or before `offset` is the line number.
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts.get(line - 1).copied().unwrap_or(0);
        let column = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }
}

/// The problems found so far, with the byte offset each was found at (for sorting).
pub(super) struct Problems<'a> {
    pub text: &'a str,
    /// The lines of `text`.
    pub lines: LineIndex,
    pub list: Vec<(usize, Problem)>,
}

impl Problems<'_> {
    pub fn add(&mut self, span: Range<usize>, message: impl Into<String>) {
        let (line, column) = self.lines.line_col(self.text, span.start);
        self.list.push((
            span.start,
            Problem {
                line,
                column,
                message: message.into(),
            },
        ));
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> usize {
        self.lines.line_col(self.text, offset).0
    }
}

/// A table's entries by key, after reporting keys that are not in `known`.
pub(super) fn entries<'a, 'i>(
    table: &'a DeTable<'i>,
    known: &[&str],
    what: &str,
    p: &mut Problems,
) -> Vec<(&'a str, &'a Value<'i>)> {
    let mut out = Vec::new();
    for (k, v) in table.iter() {
        let key: &str = k.get_ref();
        if known.contains(&key) {
            out.push((key, v));
        } else {
            p.add(
                k.span(),
                format!(
                    "unknown key `{key}` in {what}, expected one of: {}",
                    known.join(", ")
                ),
            );
        }
    }
    out
}

/// Whether a table has a key.
pub(super) fn has(table: &DeTable, key: &str) -> bool {
    table.iter().any(|(k, _)| {
        let k: &str = k.get_ref();
        k == key
    })
}

fn kind(v: &DeValue) -> &'static str {
    match v {
        DeValue::String(_) => "a string",
        DeValue::Integer(_) => "an integer",
        DeValue::Float(_) => "a float",
        DeValue::Boolean(_) => "a boolean",
        DeValue::Datetime(_) => "a date-time",
        DeValue::Array(_) => "an array",
        DeValue::Table(_) => "a table",
    }
}

/// A string value, trimmed.
pub(super) fn string(v: &Value, key: &str, p: &mut Problems) -> Option<String> {
    match v.get_ref() {
        DeValue::String(s) => Some(s.trim().to_string()),
        other => {
            p.add(
                v.span(),
                format!("`{key}` must be a string, not {}", kind(other)),
            );
            None
        }
    }
}

/// A string that must not be empty.
pub(super) fn text(v: &Value, key: &str, what: &str, p: &mut Problems) -> Option<String> {
    let s = string(v, key, p)?;
    if s.is_empty() {
        p.add(v.span(), format!("`{key}` must not be empty: {what}"));
        return None;
    }
    Some(s)
}

pub(super) fn array<'a, 'i>(v: &'a Value<'i>, key: &str, p: &mut Problems) -> &'a [Value<'i>] {
    match v.get_ref() {
        DeValue::Array(a) => a,
        other => {
            p.add(
                v.span(),
                format!("`{key}` must be an array, not {}", kind(other)),
            );
            &[]
        }
    }
}

pub(super) fn table<'a, 'i>(
    v: &'a Value<'i>,
    key: &str,
    p: &mut Problems,
) -> Option<&'a DeTable<'i>> {
    match v.get_ref() {
        DeValue::Table(t) => Some(t),
        other => {
            p.add(
                v.span(),
                format!("`{key}` must be a table, not {}", kind(other)),
            );
            None
        }
    }
}

pub(super) fn level(v: &Value, p: &mut Problems) -> Option<Level> {
    let text = string(v, "level", p)?;
    match Level::parse(&text) {
        Some(l) => Some(l),
        None => {
            p.add(
                v.span(),
                format!("unknown level `{text}`, expected one of: error, warning, info"),
            );
            None
        }
    }
}

/// A non-empty string, or an array of them: each with its span.
pub(super) fn one_or_more(v: &Value, key: &str, p: &mut Problems) -> Vec<(String, Range<usize>)> {
    if let DeValue::String(_) = v.get_ref() {
        return text(v, key, "say it in the guide's words", p)
            .map(|s| vec![(s, v.span())])
            .unwrap_or_default();
    }
    strings(v, key, p)
}

pub(super) fn strings(v: &Value, key: &str, p: &mut Problems) -> Vec<(String, Range<usize>)> {
    array(v, key, p)
        .iter()
        .filter_map(|item| {
            let s = string(item, key, p)?;
            if s.is_empty() {
                p.add(
                    item.span(),
                    format!("an entry of `{key}` must not be empty"),
                );
                return None;
            }
            Some((s, item.span()))
        })
        .collect()
}

/// A date as `YYYY-MM-DD`, written as a TOML date or a string.
pub(super) fn date(v: &Value, key: &str, p: &mut Problems) -> Option<String> {
    let text = match v.get_ref() {
        DeValue::Datetime(d) => d.to_string(),
        DeValue::String(s) => s.trim().to_string(),
        other => {
            p.add(
                v.span(),
                format!("`{key}` must be a date (YYYY-MM-DD), not {}", kind(other)),
            );
            return None;
        }
    };
    if crate::date::Date::parse(&text).is_none() {
        p.add(
            v.span(),
            format!("`{key}` must be a date as YYYY-MM-DD, not `{text}`"),
        );
        return None;
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_line_index_agrees_with_line_col() {
        let text = "a = 1\nbé = \"ü\"\n\n[x]\r\nk = 2";
        let index = LineIndex::new(text);
        for offset in 0..text.len() + 3 {
            assert_eq!(
                index.line_col(text, offset),
                line_col(text, offset),
                "{offset}"
            );
        }
        assert_eq!(LineIndex::new("").line_col("", 5), (1, 1));
    }

    #[test]
    fn line_col_counts_from_one() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 9), (2, 4));
        assert_eq!(line_col(text, 999), (3, 1));
    }
}
