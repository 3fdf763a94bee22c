//! `hibob-audit explain TOPIC`, offline: a finding code, a field ID, or a symptom as users
//! describe it, answered with the likely cause and the checkbox.

use crate::permissions;
use crate::report::Code;
use crate::rules::profiles;

/// HiBob's out-of-the-box categories (../shared/hibob-api.md). Admins can move fields; the
/// tenant's own category is what `check` reads from the metadata.
pub const OUT_OF_THE_BOX: &[(&str, &str)] = &[
    ("root.id", "Basic info"),
    ("root.firstName", "Basic info"),
    ("root.surname", "Basic info"),
    ("root.displayName", "Basic info"),
    ("root.fullName", "Basic info"),
    ("root.email", "Basic info"),
    ("work.title", "Work"),
    ("work.department", "Work"),
    ("work.site", "Work"),
    ("work.startDate", "Work"),
    ("work.employeeIdInCompany", "Work"),
    ("work.reportsTo", "Work"),
    ("work.manager", "Work"),
    ("work.workPhone", "Work contact details"),
    ("work.workMobile", "Work contact details"),
    (
        "personal.communication.slackUsername",
        "Work contact details",
    ),
    ("payroll.employment.contract", "Employment"),
    ("payroll.employment.type", "Employment"),
    ("payroll.employment.fte", "Employment"),
    ("payroll.employment.weeklyHours", "Employment"),
    ("internal.lifecycleStatus", "Lifecycle"),
    ("internal.status", "Lifecycle"),
    ("internal.terminationDate", "Lifecycle"),
    ("employee.lastDayOfWork", "Lifecycle"),
    ("about.about", "About"),
    ("about.hobbies", "About"),
    ("home.privateEmail", "Personal contact details"),
    ("home.mobilePhone", "Personal contact details"),
    ("personal.birthDate", "Personal"),
    ("personal.nationality", "Personal"),
];

const FINDINGS_DOC: &str = include_str!("../docs/findings.md");

/// The section of docs/findings.md for a code.
fn finding_text(code: Code) -> String {
    let heading = format!("## `{code}`");
    let Some(start) = FINDINGS_DOC.find(&heading) else {
        return code.description().to_string();
    };
    let body = &FINDINGS_DOC[start + heading.len()..];
    let end = body.find("\n## ").unwrap_or(body.len());
    body[..end].trim().to_string()
}

/// Which shipped profiles read a field, and under what name.
fn profiles_needing(field: &str) -> Vec<String> {
    profiles::PROFILES
        .iter()
        .filter_map(|p| {
            let rules = profiles::load(p).ok()?;
            let rule = rules.fields.iter().find(|f| f.id == field)?;
            let guide = if rule.guide_categories.is_empty() {
                String::new()
            } else {
                format!("; the guide says {}", rule.guide_categories.join(" or "))
            };
            Some(format!("{} (\"{}\"{guide})", p.name, rule.purpose))
        })
        .collect()
}

fn field_text(field: &str) -> Option<String> {
    let category = OUT_OF_THE_BOX
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, c)| *c);
    let needed = profiles_needing(field);
    if category.is_none() && needed.is_empty() {
        return None;
    }
    let mut out = format!("{field}\n\n");
    match category {
        Some(c) => out.push_str(&format!(
            "Out of the box it is in the {c} category. To read it, the permission group needs:\n  {}\n",
            permissions::category_view(c)
        )),
        None => out.push_str("It is not an out-of-the-box field: its category is whatever the tenant's metadata says.\n"),
    }
    out.push_str(
        "Admins can move fields to other categories (custom ones too), and HiBob then leaves the field out \
         silently unless that category is granted. `hibob-audit check` reads the tenant's own category from \
         GET /company/people/fields and names the checkbox to tick.\n",
    );
    if !needed.is_empty() {
        out.push_str(&format!("\nNeeded by: {}.\n", needed.join(", ")));
    }
    Some(out)
}

/// Categories vendor guides name, beside the out-of-the-box ones.
pub const CATEGORIES: &[&str] = &[
    "Basic info",
    "Work",
    "Work contact details",
    "Employment",
    "Lifecycle",
    "About",
    "Personal",
    "Personal contact details",
    "Address",
    "EEO",
    "Emergency",
    "Home",
    "Identification",
    "Jobs",
    "Payroll",
    "People analytics",
    "Training",
    "User data",
    "Work eligibility",
];

/// Which shipped profiles need a category, and how: as a whole, its history, or fields the
/// guide puts there.
fn profiles_needing_category(category: &str) -> Vec<String> {
    profiles::PROFILES
        .iter()
        .filter_map(|p| {
            let rules = profiles::load(p).ok()?;
            let mut how = Vec::new();
            if rules
                .categories
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(category))
            {
                how.push("the whole category");
            }
            if rules
                .histories
                .iter()
                .any(|h| h.table.category().eq_ignore_ascii_case(category))
            {
                how.push("its section histories");
            }
            if rules.fields.iter().any(|f| {
                f.guide_categories
                    .iter()
                    .any(|g| g.eq_ignore_ascii_case(category))
            }) {
                how.push("fields its guide puts there");
            }
            (!how.is_empty()).then(|| format!("{} ({})", p.name, how.join(", ")))
        })
        .collect()
}

/// A People's-data category: its boxes, whether its history can be probed, who needs it.
fn category_text(topic: &str) -> Option<String> {
    let name = CATEGORIES
        .iter()
        .find(|c| c.eq_ignore_ascii_case(topic.trim()))?;
    let mut lines = vec![
        format!("The {name} category (People's data > People > {name})"),
        String::new(),
        format!("  {}", permissions::category_view(name)),
        format!("  {}", permissions::category_history(name)),
        format!("  Edit selected employees' {name} sections"),
        String::new(),
        format!(
            "`check` proves the View box by asking the people search for fields of {name} (named in the rules, or the first few of the category in the tenant's metadata): absent for everyone means not ticked."
        ),
        match crate::observations::EmployeeTable::parse(name) {
            Some(t) => format!(
                "Its history is probed with GET /people/{{id}}/{} for one visible employee: more than one row proves \"section histories\".",
                t.segment()
            ),
            None => "HiBob's API has no read endpoint for its section histories: rules list that box as [[manual]], to confirm by hand.".to_string(),
        },
        "Edit boxes cannot be proven read-only: they are [[manual]] too.".to_string(),
    ];
    lines.push(String::new());
    lines.push(match crate::sensitive::sensitive_category("", name) {
        Some(w) if w.authority == crate::sensitive::Authority::HiBob => format!(
            "Sensitive: HiBob's scope {} covers it. `check --excess` reports it as a warning when the group grants it and the rules do not need it.",
            crate::sensitive::HIBOB_SCOPE
        ),
        Some(w) => format!(
            "Sensitive (this tool's choice: \"{}\" data). `check --excess` reports it as a warning when the group grants it and the rules do not need it.",
            w.word
        ),
        None => "Not sensitive: `check --excess` reports it as an info when the group grants it and the rules do not need it.".to_string(),
    });
    let needed = profiles_needing_category(name);
    if !needed.is_empty() {
        lines.push(String::new());
        lines.push(format!("Needed by: {}.", needed.join(", ")));
    }
    Some(lines.join("\n") + "\n")
}

fn docs() -> String {
    format!(
        "Docs folders (Shared, Confidential, custom) each have their own boxes: \"{}\" and \"Upload selected employees' docs in the folder\".\n\
         `check` proves the View box with GET /docs/people/{{id}} for one visible employee: a refusal means no folder is viewable; a document that names its folder proves that folder; otherwise the check is unknown, with the reason. Upload is a write: confirm it by hand.\n",
        permissions::docs_view("{Folder}")
    )
}

fn histories() -> String {
    "\"View selected employees' X section histories\" shows every row of an effective-dated table; \"sections\" alone shows the current row. `check` probes Work, Employment, Lifecycle and Payroll with GET /people/{id}/work, /employment, /lifecycle and /salaries for one visible employee: more than one row proves the history, one row proves nothing (unknown), a refusal is section-history-missing. Address, Identification, Jobs, Personal and People analytics histories have no read endpoint: confirm them by hand.\n".to_string()
}

struct Symptom {
    /// Every group must have a word of the topic in it.
    words: &'static [&'static [&'static str]],
    answer: fn() -> String,
}

fn employee_number() -> String {
    format!(
        "The employee number is work.employeeIdInCompany. When it is empty in an integration:\n\
         1. Its category is not readable: out of the box it is Work, so tick {}. Guides also name Employment.\n\
         2. An admin moved it into another (often custom) category: HiBob then leaves it out unless that category \
         is ticked. `hibob-audit check` names the tenant's category (finding field-in-other-category).\n\
         3. It is readable but empty in HiBob (finding field-empty): fill it in, nothing to tick.\n\
         Run `hibob-audit check --profile NAME` to tell which.\n",
        permissions::category_view("Work")
    )
}

fn terminated() -> String {
    format!(
        "Terminated (and not-yet-started hired) employees are left out when the permission group's people \
         condition does not include them. HiBob's \"Everyone\" means active employees only.\n\
         Fix: {} > Select people by condition > Lifecycle status > add Terminated (integrators usually need \
         Hired, Employed, Terminated and Leave (all types)).\n\
         `hibob-audit check` reports lifecycle-status-not-visible for each missing status.\n",
        permissions::ACCESS_RIGHTS
    )
}

fn timeoff() -> String {
    let lines: Vec<String> = [
        (
            "who's out, out today, request changes",
            permissions::WHOS_OUT,
        ),
        ("private-policy absences", permissions::PRIVATE_POLICY),
        ("pending requests", permissions::PENDING_REQUESTS),
        ("balances", permissions::BALANCE),
        ("policy types", permissions::TIMEOFF_SETTINGS),
    ]
    .iter()
    .map(|(what, p)| format!("  {what}: {}", p.path()))
    .collect();
    format!(
        "No time off in an integration means a Time off permission is missing (HiBob answers 403), or the \
         people it concerns are outside the group's people condition. The permissions:\n{}\n\
         `hibob-audit check` probes each one the rules need (timeoff-permission-missing, feature-permission-missing).\n",
        lines.join("\n")
    )
}

fn missing_permission() -> String {
    format!(
        "Merge's \"Missing permission\" means HiBob refused a call or left data out for the service user. Usual causes:\n\
         - the service user is in no permission group (a new one has no permissions);\n\
         - a People's data category is not ticked: {};\n\
         - the people condition leaves people out: {};\n\
         - a Time off permission is missing.\n\
         Run `hibob-audit check --profile activtrak` (or your integration's rules) to see which, in HiBob's words.\n",
        permissions::category_view("{Category}"),
        permissions::ACCESS_RIGHTS
    )
}

fn work_email() -> String {
    format!(
        "The work email is root.email. Guides say \"Work contact details\", but out of the box it is in Basic info: \
         tick {}. If it is readable but empty, fill it in HiBob.\n",
        permissions::category_view("Basic info")
    )
}

fn least_privilege() -> String {
    format!(
        "`hibob-audit check --profile NAME --excess` also reports what the permission group grants beyond the integration's needs: every People's-data category the rules do not need that the group can read (one field of each is asked for; values are never kept), and the private-policy and pending-request Time off boxes where who's out is read anyway. Each is `category-not-needed`: a warning when the category is sensitive (HiBob's {} list: EEO, Financial, Bands, Payroll, UK tax, Equity, Identification, Analytics; and this tool's: Address, Home, Personal, Personal contact details, Compensation, salary, bank, medical, health), an info otherwise, with the box to untick. `--deny category-not-needed` fails a CI run on it; `[[allow_extra]]` in a rules file accepts a category on purpose, with a reason.\n",
        crate::sensitive::HIBOB_SCOPE
    )
}

const SYMPTOMS: &[Symptom] = &[
    Symptom {
        words: &[&[
            "least privilege",
            "too many permission",
            "more than needed",
            "over-grant",
            "overgrant",
            "excess",
            "not needed",
            "unneeded",
        ]],
        answer: least_privilege,
    },
    Symptom {
        words: &[&["history", "histories"]],
        answer: histories,
    },
    Symptom {
        words: &[&["docs", "document", "folder"]],
        answer: docs,
    },
    Symptom {
        words: &[&[
            "employee number",
            "employee id",
            "employeeidincompany",
            "employee no",
        ]],
        answer: employee_number,
    },
    Symptom {
        words: &[&["terminated", "former", "leaver", "inactive", "offboarded"]],
        answer: terminated,
    },
    Symptom {
        words: &[&[
            "missing permission",
            "missing permissions",
            "permission missing",
        ]],
        answer: missing_permission,
    },
    Symptom {
        words: &[&[
            "time off",
            "timeoff",
            "time-off",
            "leave",
            "balance",
            "who's out",
            "whos out",
            "absence",
            "pto",
        ]],
        answer: timeoff,
    },
    Symptom {
        words: &[&["email"]],
        answer: work_email,
    },
];

/// The answer for a topic, or None when it is not known.
pub fn explain(topic: &str) -> Option<String> {
    let t = topic.trim();
    let lower = t.to_lowercase();
    if let Some(code) = Code::all().find(|c| c.as_str() == lower) {
        return Some(format!("{code}\n\n{}\n", finding_text(code)));
    }
    if let Some(text) = field_text(t) {
        return Some(text);
    }
    if let Some(text) = category_text(t) {
        return Some(text);
    }
    SYMPTOMS
        .iter()
        .find(|s| {
            s.words
                .iter()
                .all(|group| group.iter().any(|w| lower.contains(w)))
        })
        .map(|s| (s.answer)())
}

/// What `explain` knows, by kind (`explain --list`).
pub fn topics() -> String {
    let mut out = String::from("Finding codes:\n");
    for c in Code::all() {
        out.push_str(&format!("  {c}\n"));
    }
    out.push_str("\nCategories:\n");
    for c in CATEGORIES {
        out.push_str(&format!("  {c}\n"));
    }
    out.push_str("\nField IDs:\n");
    for (f, c) in OUT_OF_THE_BOX {
        out.push_str(&format!("  {f} ({c})\n"));
    }
    out.push_str("\nSymptoms:\n");
    for s in [
        "employee number is empty",
        "terminated employees are missing",
        "no time off",
        "Missing permission (Merge)",
        "work email is empty",
        "section histories",
        "docs folders",
        "least privilege",
    ] {
        out.push_str(&format!("  {s}\n"));
    }
    out
}

/// The known topic closest to an unknown one, when one is close enough: a code, a field ID
/// (case-insensitively, `root.firstname` for `root.firstName`) or a category.
pub fn suggest(topic: &str) -> Option<String> {
    let t = topic.trim().to_lowercase();
    let candidates = Code::all()
        .map(|c| c.as_str().to_string())
        .chain(OUT_OF_THE_BOX.iter().map(|(f, _)| f.to_string()))
        .chain(CATEGORIES.iter().map(|c| c.to_string()));
    candidates
        .map(|c| (strsim::jaro_winkler(&t, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_its_documented_text() {
        for code in Code::all() {
            let text = explain(code.as_str()).unwrap();
            assert!(text.contains("Level:"), "{code}: {text}");
        }
    }

    #[test]
    fn fields_and_symptoms_are_answered() {
        let t = explain("work.employeeIdInCompany").unwrap();
        assert!(
            t.contains("Work category") && t.contains("activtrak") && t.contains("truto"),
            "{t}"
        );
        assert!(
            explain("employee number is empty")
                .unwrap()
                .contains("work.employeeIdInCompany")
        );
        assert!(
            explain("terminated employees are missing")
                .unwrap()
                .contains("Lifecycle status > add Terminated")
        );
        assert!(
            explain("no time off")
                .unwrap()
                .contains("See selected people's time off")
        );
        assert!(
            explain("Missing permission")
                .unwrap()
                .contains("permission group")
        );
        assert!(explain("frobnicate").is_none());
        assert_eq!(suggest("root.firstname").as_deref(), Some("root.firstName"));
        assert_eq!(
            suggest("category-not-redable").as_deref(),
            Some("category-not-readable")
        );
        assert_eq!(suggest("frobnicate"), None);
        let payroll = explain("payroll").unwrap();
        assert!(
            payroll.contains("View selected employees' Payroll section histories")
                && payroll.contains("GET /people/{id}/salaries")
                && payroll.contains("stackone"),
            "{payroll}"
        );
        assert!(
            explain("Identification")
                .unwrap()
                .contains("no read endpoint")
        );
        assert!(
            explain("docs folders")
                .unwrap()
                .contains("GET /docs/people/{id}")
        );
        assert!(explain("section histories").unwrap().contains("/salaries"));
    }
}
