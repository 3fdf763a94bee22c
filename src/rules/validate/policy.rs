//! `[levels]` and `[[suppress]]`: the rules file's part of the severity policy.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::DeTable;

use super::super::input::{Problems, Value, entries, has, string};
use crate::policy::{Severity, Suppression};
use crate::report::Code;

fn code(v: &Value, text: &str, p: &mut Problems) -> Option<Code> {
    let c = Code::parse(text);
    if c.is_none() {
        p.add(
            v.span(),
            format!(
                "unknown finding code `{text}`, expected one of: {}",
                Code::names().join(", ")
            ),
        );
    }
    c
}

/// `[levels]`: `code = "error" | "warning" | "info" | "allow"`.
pub(super) fn validate_levels(t: &DeTable, p: &mut Problems) -> BTreeMap<Code, Severity> {
    let mut out = BTreeMap::new();
    for (k, v) in t.iter() {
        let key: &str = k.get_ref();
        let Some(c) = Code::parse(key) else {
            p.add(
                k.span(),
                format!(
                    "unknown finding code `{key}` in [levels], expected one of: {}",
                    Code::names().join(", ")
                ),
            );
            continue;
        };
        let Some(text) = string(v, key, p) else {
            continue;
        };
        match Severity::parse(&text) {
            Some(s) => {
                out.insert(c, s);
            }
            None => p.add(
                v.span(),
                format!("unknown level `{text}` for `{key}`, expected one of: error, warning, info, allow"),
            ),
        }
    }
    out
}

/// `[[suppress]]`: a code, optional matchers, and a reason (required).
pub(super) fn validate_suppression(
    t: &DeTable,
    span: Range<usize>,
    p: &mut Problems,
) -> Option<Suppression> {
    let mut s = Suppression {
        code: Code::CategoryNotReadable,
        category: None,
        field: None,
        lifecycle_status: None,
        endpoint: None,
        reason: String::new(),
        line: p.line(span.start),
    };
    let (mut has_code, mut ok) = (false, true);
    for (key, v) in entries(
        t,
        &[
            "code",
            "category",
            "field",
            "lifecycle_status",
            "endpoint",
            "reason",
        ],
        "[[suppress]]",
        p,
    ) {
        let Some(text) = string(v, key, p) else {
            ok = false;
            continue;
        };
        match key {
            "code" => match code(v, &text, p) {
                Some(c) => {
                    s.code = c;
                    has_code = true;
                }
                None => ok = false,
            },
            "category" => s.category = Some(text),
            "field" => s.field = Some(text),
            "lifecycle_status" => s.lifecycle_status = Some(text),
            "endpoint" => s.endpoint = Some(text),
            _ => {
                if text.is_empty() {
                    p.add(v.span(), "a suppression's `reason` must not be empty");
                    ok = false;
                }
                s.reason = text;
            }
        }
    }
    if !has_code && ok {
        p.add(span.clone(), "[[suppress]] needs a `code`");
        ok = false;
    }
    if !has(t, "reason") {
        p.add(
            span,
            "[[suppress]] needs a `reason`: say why the gap is accepted",
        );
        ok = false;
    }
    ok.then_some(s)
}
