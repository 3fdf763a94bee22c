//! `[levels]` and `[[suppress]]`: the rules file's part of the severity policy.

use std::collections::BTreeMap;
use std::ops::Range;

use toml::de::DeTable;

use super::super::input::{Problems, Value, entries, has, string};
use super::super::{AllowExtra, ExtraTarget, TimeoffCapability};
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

/// `[[allow_extra]]`: a `category` or a `timeoff` box, and a reason (required).
pub(super) fn validate_allow_extra(
    t: &DeTable,
    span: Range<usize>,
    p: &mut Problems,
) -> Option<AllowExtra> {
    let (mut target, mut reason, mut ok) = (None, None, true);
    let mut both = false;
    for (key, v) in entries(t, &["category", "timeoff", "reason"], "[[allow_extra]]", p) {
        let Some(text) = string(v, key, p) else {
            ok = false;
            continue;
        };
        match key {
            "category" | "timeoff" if target.is_some() => {
                both = true;
                p.add(
                    v.span(),
                    "an [[allow_extra]] entry names one `category` or one `timeoff` box, not both: write two entries",
                );
            }
            "category" if text.is_empty() => {
                p.add(
                    v.span(),
                    "`category` must not be empty: the category's display name, e.g. \"Personal\"",
                );
                ok = false;
            }
            "category" => target = Some(ExtraTarget::Category(text)),
            "timeoff" => match TimeoffCapability::parse(&text) {
                Some(
                    cap @ (TimeoffCapability::PrivateRequests | TimeoffCapability::PendingRequests),
                ) => target = Some(ExtraTarget::Timeoff(cap)),
                _ => {
                    p.add(
                        v.span(),
                        format!(
                            "`{text}` is not a Time off box `check --excess` can see, expected one of: private-requests, pending-requests"
                        ),
                    );
                    ok = false;
                }
            },
            _ => {
                if text.is_empty() {
                    p.add(
                        v.span(),
                        "an [[allow_extra]] entry's `reason` must not be empty",
                    );
                    ok = false;
                }
                reason = Some(text);
            }
        }
    }
    if target.is_none() && ok && !both {
        p.add(
            span.clone(),
            "[[allow_extra]] needs a `category` (or a `timeoff` box): what is granted on purpose",
        );
        ok = false;
    }
    if !has(t, "reason") {
        p.add(
            span.clone(),
            "[[allow_extra]] needs a `reason`: say why the group grants it although the integration does not need it",
        );
        ok = false;
    }
    if !ok || both {
        return None;
    }
    Some(AllowExtra {
        target: target?,
        reason: reason?,
        line: p.line(span.start),
    })
}
