//! `check --plan`: the calls the audit would make, made by no one.

use std::fmt::Write as _;

use serde::Serialize;

use super::{TOOL, VERSION};
use crate::probes::PlannedCall;

#[derive(Serialize)]
struct Call<'a> {
    method: &'static str,
    path: &'a str,
    query: Vec<(&'a str, &'a str)>,
    body: Option<&'a serde_json::Value>,
    purpose: &'a str,
}

#[derive(Serialize)]
struct Document<'a> {
    format_version: &'static str,
    tool: serde_json::Value,
    profile: &'a str,
    target: serde_json::Value,
    calls: Vec<Call<'a>>,
}

fn calls(plan: &[PlannedCall]) -> Vec<Call<'_>> {
    plan.iter()
        .map(|c| Call {
            method: c.request.method.as_str(),
            path: c.request.route.as_deref().unwrap_or(&c.request.path),
            query: c
                .request
                .query
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect(),
            body: c.request.body.as_ref(),
            purpose: &c.purpose,
        })
        .collect()
}

pub fn json(
    plan: &[PlannedCall],
    profile: &str,
    target: &str,
) -> Result<String, super::RenderError> {
    let doc = Document {
        format_version: super::json::FORMAT_VERSION,
        tool: serde_json::json!({ "name": TOOL, "version": VERSION }),
        profile,
        target: serde_json::json!({ "base_url": target }),
        calls: calls(plan),
    };
    super::pretty_json("plan", &doc)
}

pub fn text(plan: &[PlannedCall], profile: &str, target: &str) -> String {
    let mut out = format!(
        "{TOOL} {VERSION}: probe plan for rules `{}` against {} ({} calls, read-only; nothing was sent)\n\n",
        crate::sanitize::terminal(profile),
        crate::sanitize::terminal(target),
        plan.len()
    );
    for (i, c) in calls(plan).iter().enumerate() {
        let query: Vec<String> = c.query.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let q = if query.is_empty() {
            String::new()
        } else {
            format!("?{}", query.join("&"))
        };
        let _ = writeln!(out, "{:>2}. {} {}{q}", i + 1, c.method, c.path);
        if let Some(body) = c.body {
            let _ = writeln!(out, "    body: {body}");
        }
        let _ = writeln!(out, "    for: {}", c.purpose);
    }
    out
}
