//! `rules diff A B`: where two rules files (vendor guides) disagree.

use std::fmt::Write as _;

use super::{FieldRule, Rules};

fn names<T: Clone + PartialEq>(a: &[T], b: &[T]) -> (Vec<T>, Vec<T>) {
    let only_a = a.iter().filter(|x| !b.contains(x)).cloned().collect();
    let only_b = b.iter().filter(|x| !a.contains(x)).cloned().collect();
    (only_a, only_b)
}

fn field(f: &FieldRule) -> String {
    format!("{} ({})", f.id, f.purpose)
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        "(none)".into()
    } else {
        items.join(", ")
    }
}

const NOT_CHECKED: &str = "(not checked)";

/// One section of names and a level: what only one side has. True when both agree.
fn section(
    out: &mut String,
    title: &str,
    (an, (a, level_a)): (&str, (Vec<String>, &str)),
    (bn, (b, level_b)): (&str, (Vec<String>, &str)),
) -> bool {
    let (only_a, only_b) = names(&a, &b);
    let _ = writeln!(out, "\n{title}:");
    let _ = writeln!(out, "  only in {an}: {}", list(&only_a));
    let _ = writeln!(out, "  only in {bn}: {}", list(&only_b));
    if level_a != level_b {
        let _ = writeln!(out, "  level: {level_a} vs {level_b}");
    }
    only_a.is_empty() && only_b.is_empty() && level_a == level_b
}

/// A readable comparison. Empty sections say "(none)"; identical rules say so.
pub fn render(a: &Rules, b: &Rules) -> String {
    let mut out = String::new();
    let (an, bn) = (&a.name, &b.name);
    let _ = writeln!(out, "Rules `{an}` (A) against `{bn}` (B)\n");
    let mut same = true;

    let ids = |r: &Rules| r.fields.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
    let (only_a, only_b) = names(&ids(a), &ids(b));
    let pick = |r: &Rules, ids: &[String]| -> Vec<String> {
        r.fields
            .iter()
            .filter(|f| ids.contains(&f.id))
            .map(field)
            .collect()
    };
    let mut changed = Vec::new();
    for fa in &a.fields {
        if let Some(fb) = b.fields.iter().find(|f| f.id == fa.id) {
            let mut d = Vec::new();
            if fa.purpose != fb.purpose {
                d.push(format!("purpose \"{}\" vs \"{}\"", fa.purpose, fb.purpose));
            }
            if fa.guide_categories != fb.guide_categories {
                let g = |f: &FieldRule| {
                    if f.guide_categories.is_empty() {
                        "(none)".to_string()
                    } else {
                        f.guide_categories.join(" / ")
                    }
                };
                d.push(format!("guide category {} vs {}", g(fa), g(fb)));
            }
            let origin = |f: &FieldRule| {
                if f.source.inferred.is_some() {
                    "inferred"
                } else if f.source.guide_text.is_empty() {
                    "unsourced"
                } else {
                    "from the guide"
                }
            };
            if origin(fa) != origin(fb) {
                d.push(format!("{} vs {}", origin(fa), origin(fb)));
            }
            if fa.level != fb.level {
                d.push(format!(
                    "level {} vs {}",
                    fa.level.as_str(),
                    fb.level.as_str()
                ));
            }
            if !d.is_empty() {
                changed.push(format!("{}: {}", fa.id, d.join("; ")));
            }
        }
    }
    same &= only_a.is_empty() && only_b.is_empty() && changed.is_empty();
    let _ = writeln!(out, "Fields:");
    let _ = writeln!(out, "  only in {an}: {}", list(&pick(a, &only_a)));
    let _ = writeln!(out, "  only in {bn}: {}", list(&pick(b, &only_b)));
    let _ = writeln!(
        out,
        "  in both, different:{}",
        if changed.is_empty() { " (none)" } else { "" }
    );
    for c in &changed {
        let _ = writeln!(out, "    {c}");
    }

    let statuses = |r: &Rules| -> (Vec<String>, &'static str) {
        r.lifecycle.as_ref().map_or((Vec::new(), NOT_CHECKED), |l| {
            (
                l.statuses.iter().map(|s| s.label().to_string()).collect(),
                l.level.as_str(),
            )
        })
    };
    same &= section(
        &mut out,
        "Lifecycle statuses",
        (an, statuses(a)),
        (bn, statuses(b)),
    );
    let caps = |r: &Rules| -> (Vec<String>, &'static str) {
        r.timeoff.as_ref().map_or((Vec::new(), NOT_CHECKED), |t| {
            (
                t.capabilities().map(|c| c.as_str().to_string()).collect(),
                t.level.as_str(),
            )
        })
    };
    same &= section(&mut out, "Time off", (an, caps(a)), (bn, caps(b)));
    let categories = |r: &Rules| -> (Vec<String>, &'static str) {
        (r.categories.iter().map(|c| c.name.clone()).collect(), "")
    };
    same &= section(
        &mut out,
        "Whole categories",
        (an, categories(a)),
        (bn, categories(b)),
    );
    let histories = |r: &Rules| -> (Vec<String>, &'static str) {
        (
            r.histories
                .iter()
                .map(|h| h.table.category().to_string())
                .collect(),
            "",
        )
    };
    same &= section(
        &mut out,
        "Section histories",
        (an, histories(a)),
        (bn, histories(b)),
    );
    let docs = |r: &Rules| -> (Vec<String>, &'static str) {
        r.docs.as_ref().map_or((Vec::new(), NOT_CHECKED), |d| {
            (
                d.folders.iter().map(|f| f.folder.clone()).collect(),
                d.level.as_str(),
            )
        })
    };
    same &= section(&mut out, "Docs folders", (an, docs(a)), (bn, docs(b)));
    let manual = |r: &Rules| -> (Vec<String>, &'static str) {
        (
            r.manual.iter().map(|m| m.permission.clone()).collect(),
            "manual",
        )
    };
    same &= section(
        &mut out,
        "To confirm by hand",
        (an, manual(a)),
        (bn, manual(b)),
    );
    let extra = |r: &Rules| -> (Vec<String>, &'static str) {
        (r.allow_extra.iter().map(|a| a.describe()).collect(), "")
    };
    same &= section(
        &mut out,
        "Granted on purpose ([[allow_extra]])",
        (an, extra(a)),
        (bn, extra(b)),
    );
    if same {
        out.push_str("\nThe two rules require the same.\n");
    }
    out
}
