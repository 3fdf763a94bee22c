//! `--format markdown`: a hand-off checklist for the HiBob admin, in the order of HiBob's UI:
//! Settings > Permission groups > the group > People's data / Features.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::Context;
use crate::report::{CheckStatus, Code, Finding, Report};

/// Escapes text for Markdown (and control characters, as for a terminal).
pub(crate) fn md(text: &str) -> String {
    let clean = crate::sanitize::terminal(text);
    let mut out = String::with_capacity(clean.len());
    for c in clean.chars() {
        if matches!(c, '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '|') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn of(report: &Report, code: Code) -> Vec<&Finding> {
    report.findings.iter().filter(|f| f.code == code).collect()
}

/// The vendor's words for a field ID, from its check.
fn purpose(report: &Report, field: &str) -> String {
    report
        .checks
        .iter()
        .find(|c| c.id == format!("field:{field}"))
        .map_or_else(|| format!("`{field}`"), |c| md(&c.what))
}

pub fn render(report: &Report, ctx: &Context) -> String {
    let mut out = String::new();
    let s = report.summary();
    let _ = writeln!(out, "# HiBob permission checklist: {}\n", md(&ctx.title));
    let _ = write!(
        out,
        "Audit of `{}` with rules `{}`: **{}**, {} error(s), {} warning(s)",
        md(&ctx.target),
        md(&ctx.profile),
        report.outcome().as_str().to_uppercase(),
        s.errors,
        s.warnings
    );
    if let Some(n) = s.employees_visible {
        let _ = write!(out, "; {n} employee(s) visible");
    }
    out.push_str(".\n\n");

    if let Some(h) = &report.headline {
        let _ = writeln!(
            out,
            "## The audit could not proceed\n\n{}\n\n**Fix:** {}\n",
            md(&h.cause),
            md(&h.fix)
        );
        if !ctx.verbose {
            rerun(ctx, &mut out);
            return super::wrap::markdown(&out, usize::from(ctx.width));
        }
    }

    if !report.complete {
        out.push_str("## The audit could not finish\n\n");
        for f in report.findings.iter().filter(|f| {
            matches!(
                f.code,
                Code::CredentialsRejected
                    | Code::RequestFailed
                    | Code::UnexpectedResponse
                    | Code::CallNotRecorded
            ) || (f.code == Code::EndpointForbidden
                && f.endpoint.as_deref() == Some("GET /company/people/fields"))
        }) {
            let _ = writeln!(out, "- {}", md(&f.message));
            if let Some(fix) = &f.fix {
                let _ = writeln!(out, "  Fix: {}", md(fix));
            }
        }
        out.push_str("\nThe steps below cover only what could be checked.\n\n");
    }

    steps(report, &mut out);
    granted_not_needed(report, &mut out);
    by_hand(report, &mut out);
    already_fine(report, &mut out);
    notes(report, &mut out);
    not_in_guide(report, &mut out);

    // What --excess finds and the rules accept is under "Granted but not needed".
    let suppressed = report.suppressed_gaps();
    if !suppressed.is_empty() {
        out.push_str("## Accepted gaps\n\nThe rules file accepts these on purpose; they do not fail the audit.\n\n");
        for sf in suppressed {
            let _ = writeln!(
                out,
                "- {} ({}). Reason: {}",
                md(&sf.finding.message),
                sf.finding.code,
                md(&sf.reason)
            );
        }
        out.push('\n');
    }

    let unknown = report.unknown_checks();
    if !unknown.is_empty() {
        out.push_str("## Could not be checked\n\n");
        for c in unknown {
            let _ = writeln!(out, "- {}: {}", md(&c.what), md(&c.reason));
        }
        out.push('\n');
    }

    rerun(ctx, &mut out);
    super::wrap::markdown(&out, usize::from(ctx.width))
}

/// How to run the audit again, the token never on the command line.
fn rerun(ctx: &Context, out: &mut String) {
    out.push_str("## Run the audit again\n\nAfter saving the permission group, run (the token in a file only you can read, never on the command line):\n\n```sh\n");
    out.push_str("export HIBOB_SERVICE_USER_ID=...   # the service user's ID\n");
    let _ = writeln!(out, "{} --token-file token.txt\n```", ctx.rerun);
}

fn steps(report: &Report, out: &mut String) {
    let mut list: Vec<String> = Vec::new();
    let mut first = "Open **Settings > Permission groups** and select the permission group that holds the service user.".to_string();
    let forbidden = of(report, Code::EndpointForbidden)
        .into_iter()
        .any(|f| f.endpoint.as_deref() == Some("POST /people/search"));
    if forbidden || !of(report, Code::NoEmployeesVisible).is_empty() {
        first.push_str(
            "\n   - [ ] Make sure the service user is one of the group's members: a new service user has no permissions until it is in a group.\n   - [ ] Make sure the group grants People's data: Access rights and at least the categories below.",
        );
    }
    list.push(first);

    let lifecycle = of(report, Code::LifecycleStatusNotVisible);
    if !lifecycle.is_empty() {
        let everyone = lifecycle.iter().any(|f| {
            f.fix
                .as_deref()
                .is_some_and(|x| x.contains("instead of \"Everyone\""))
        });
        let mut step = String::from(
            "**People's data** tab > **Access rights** (\"Whose data can members access?\"): ",
        );
        if everyone {
            step.push_str("instead of **Everyone** (active employees only), ");
        }
        step.push_str("choose **Select people by condition** > **Lifecycle status**, and add:");
        for f in &lifecycle {
            let status = f.lifecycle_status.as_deref().unwrap_or("?");
            let _ = write!(
                step,
                "\n   - [ ] **{}** (nobody with it is visible: the condition leaves it out, or there is nobody with it yet)",
                md(status)
            );
        }
        step.push_str("\n   Then click **Apply**.");
        list.push(step);
    }

    let mut categories: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in of(report, Code::CategoryNotReadable)
        .into_iter()
        .chain(of(report, Code::CategoryPartlyReadable))
    {
        let category = f.category.clone().unwrap_or_default();
        let entry = categories.entry(category).or_default();
        for field in &f.fields {
            entry.push(purpose(report, field));
        }
    }
    if !categories.is_empty() {
        let mut step = String::from("**People's data** tab > **People**: tick");
        for (category, fields) in &categories {
            let _ = write!(
                step,
                "\n   - [ ] **{c}** > \"View selected employees' {c} sections\" (for {})",
                fields.join(", "),
                c = md(category)
            );
        }
        list.push(step);
    }

    let mut timeoff: Vec<String> = Vec::new();
    for f in of(report, Code::TimeoffPermissionMissing) {
        if let Some(p) = &f.permission {
            let item = md(p.trim_start_matches("People's data > Time off > "));
            if !timeoff.contains(&item) {
                timeoff.push(item);
            }
        }
    }
    if !timeoff.is_empty() {
        let mut step = String::from("**People's data** tab > **Time off**: tick");
        for t in &timeoff {
            let _ = write!(step, "\n   - [ ] {t}");
        }
        list.push(step);
    }

    if !of(report, Code::FeaturePermissionMissing).is_empty() {
        list.push(
            "**Features** tab > **Time off** > **Settings**: tick\n   - [ ] \"Manage company's time off settings\"".into(),
        );
    }

    out.push_str("## Steps in HiBob\n\n");
    if list.len() == 1 {
        out.push_str("Nothing to change: every permission the rules need that could be checked is in place.\n\n");
        return;
    }
    list.push("Click **Save**, then run the audit again (below).".into());
    for (i, step) in list.iter().enumerate() {
        let _ = writeln!(out, "{}. {step}", i + 1);
    }
    out.push('\n');
}

fn already_fine(report: &Report, out: &mut String) {
    let mut people: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut lifecycle = Vec::new();
    let mut timeoff = Vec::new();
    for c in report
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Pass)
    {
        if c.id.starts_with("field:") {
            people
                .entry(c.category.clone().unwrap_or_default())
                .or_default()
                .push(md(&c.what));
        } else if c.id.starts_with("lifecycle:") {
            lifecycle.push(md(c
                .what
                .trim_start_matches("Lifecycle status ")
                .trim_end_matches(" in the people condition")));
        } else if c.id.starts_with("timeoff:") {
            timeoff.push(md(&c.what));
        }
    }
    if people.is_empty() && lifecycle.is_empty() && timeoff.is_empty() {
        return;
    }
    out.push_str("## Already fine\n\n");
    for (category, whats) in &people {
        let _ = writeln!(
            out,
            "- People's data > People > {}: {}",
            md(category),
            whats.join(", ")
        );
    }
    if !lifecycle.is_empty() {
        let _ = writeln!(
            out,
            "- Lifecycle statuses visible: {}",
            lifecycle.join(", ")
        );
    }
    if !timeoff.is_empty() {
        let _ = writeln!(out, "- Time off: {}", timeoff.join(", "));
    }
    out.push('\n');
}

fn notes(report: &Report, out: &mut String) {
    // What the guide leaves out is a note only where it costs something here: when the group
    // grants it anyway, there is nothing to do.
    let notes: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| {
            matches!(
                f.code,
                Code::FieldEmpty
                    | Code::FieldUnknown
                    | Code::FieldInOtherCategory
                    | Code::LifecycleUnverifiable
                    | Code::GuideWordingDiffers
            ) || (f.code == Code::GuideOmitsPermission && f.level != crate::report::Level::Info)
        })
        .collect();
    if notes.is_empty() {
        return;
    }
    out.push_str("## Notes\n\n");
    for f in notes {
        let _ = writeln!(
            out,
            "- {} ({}): {}",
            md(&f.message),
            f.code,
            md(f.fix.as_deref().unwrap_or(""))
        );
    }
    out.push('\n');
}

/// The guide's lines that only a person can confirm: unticked, with why.
fn by_hand(report: &Report, out: &mut String) {
    let manual = report.manual_checks();
    if manual.is_empty() {
        return;
    }
    out.push_str("## Confirm by hand\n\nA read-only audit cannot prove these lines of the guide; check each in HiBob.\n\n");
    for c in manual {
        let _ = write!(out, "- [ ] ");
        if let Some(category) = &c.category {
            let _ = write!(out, "**{}**: ", md(category));
        }
        let _ = writeln!(out, "{}", md(c.permission.as_deref().unwrap_or(&c.what)));
        for q in &c.guide_text {
            let _ = writeln!(out, "  - your guide: \"{}\"", md(q));
        }
        let _ = writeln!(out, "  - why by hand: {}", md(&c.reason));
    }
    out.push('\n');
}

/// Requirements the guide does not ask for, with why the rules have them.
fn not_in_guide(report: &Report, out: &mut String) {
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for c in &report.checks {
        let Some(why) = c.inferred.as_deref() else {
            continue;
        };
        match groups.iter_mut().find(|(w, _)| *w == why) {
            Some((_, whats)) => whats.push(md(&c.what)),
            None => groups.push((why, vec![md(&c.what)])),
        }
    }
    if groups.is_empty() {
        return;
    }
    out.push_str("## Not in the guide\n\nThe rules require these although the vendor's guide does not ask for them:\n\n");
    for (why, whats) in groups {
        let _ = writeln!(out, "- {}: {}", whats.join(", "), md(why));
    }
    out.push('\n');
}

/// `check --excess`: what to untick, sensitive first; what the rules accept on purpose; what is
/// not granted.
fn granted_not_needed(report: &Report, out: &mut String) {
    if !report.checks.iter().any(|c| c.is_excess()) {
        return;
    }
    out.push_str("## Granted but not needed\n\n");
    let granted = report.granted_not_needed();
    let (accepted, to_untick): (Vec<_>, Vec<_>) = granted
        .into_iter()
        .partition(|(_, reason)| reason.is_some());
    let unknown = report
        .checks
        .iter()
        .any(|c| c.is_excess() && c.status == CheckStatus::Unknown);
    if to_untick.is_empty() && unknown {
        out.push_str("Nothing granted beyond the rules was seen, but some of it could not be checked (below).\n\n");
    } else if to_untick.is_empty() {
        out.push_str(
            "The group grants nothing beyond what the rules need that the audit could see.\n\n",
        );
    } else {
        out.push_str("The group grants these although the rules do not need them. In the same permission group, untick each, then click **Save**. If the integration needs one after all, add it to the rules, or accept it with an `[[allow_extra]]` entry and the reason.\n\n");
    }
    let item = |f: &Finding, verb: &str| {
        let check = report.excess_check(f);
        let label = check.map_or_else(
            || md(f.category.as_deref().unwrap_or("")),
            |c| md(c.excess_label()),
        );
        format!(
            "**{label}**{}: {verb}{}; {}",
            if f.sensitive == Some(true) {
                " (sensitive)"
            } else {
                ""
            },
            md(f.permission.as_deref().unwrap_or("")),
            md(check.map_or("", |c| c.evidence.as_str()))
        )
    };
    for (f, _) in &to_untick {
        let _ = writeln!(out, "- [ ] {}", item(f, "untick "));
    }
    if !to_untick.is_empty() {
        out.push('\n');
    }
    if !accepted.is_empty() {
        out.push_str("Granted on purpose (the rules accept these):\n\n");
        for (f, reason) in &accepted {
            let _ = writeln!(
                out,
                "- {}. Reason: {}",
                item(f, ""),
                md(reason.unwrap_or(""))
            );
        }
        out.push('\n');
    }
    let not_granted: Vec<String> = report
        .not_granted()
        .iter()
        .map(|c| md(c.excess_label()))
        .collect();
    if !not_granted.is_empty() {
        let _ = writeln!(
            out,
            "Not granted, as least privilege wants: {}.\n",
            not_granted.join(", ")
        );
    }
}
