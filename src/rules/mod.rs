//! Rules: what an integration needs from HiBob, read from TOML and validated in two stages.
//!
//! Stage one deserializes the raw file (`deny_unknown_fields`, spans kept); stage two,
//! [`validate`], checks meaning and reports every problem with its line and column at once.

pub mod diff;
pub mod profiles;

/// The commented template that `rules init` writes.
pub const TEMPLATE: &str = include_str!("template.toml");

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;

use serde::Serialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::policy::{Severity, Suppression};
use crate::report::{Code, Level};

/// At most this many fields in one people search (HiBob's limit is 400; the audit adds a few).
pub const MAX_FIELDS: usize = 390;

/// A lifecycle status that the permission group's people condition must include.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum LifecycleStatus {
    Hired,
    Employed,
    Terminated,
    /// HiBob's plain "Leave" status.
    Leave,
    GardenLeave,
    ParentalLeave,
    /// Every leave type: leave, garden leave, parental leave and custom leave types.
    LeaveAllTypes,
}

impl LifecycleStatus {
    pub const ALL: [LifecycleStatus; 7] = [
        LifecycleStatus::Hired,
        LifecycleStatus::Employed,
        LifecycleStatus::Terminated,
        LifecycleStatus::Leave,
        LifecycleStatus::GardenLeave,
        LifecycleStatus::ParentalLeave,
        LifecycleStatus::LeaveAllTypes,
    ];

    /// HiBob's UI label.
    pub fn label(self) -> &'static str {
        match self {
            LifecycleStatus::Hired => "Hired",
            LifecycleStatus::Employed => "Employed",
            LifecycleStatus::Terminated => "Terminated",
            LifecycleStatus::Leave => "Leave",
            LifecycleStatus::GardenLeave => "Garden leave",
            LifecycleStatus::ParentalLeave => "Parental leave",
            LifecycleStatus::LeaveAllTypes => "Leave (all types)",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        Self::ALL.into_iter().find(|s| {
            s.label().eq_ignore_ascii_case(t) || s.label().replace(' ', "-").eq_ignore_ascii_case(t)
        })
    }
}

/// A time-off capability an integration reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeoffCapability {
    /// `GET /timeoff/whosout`: "See who's out".
    WhosOut,
    /// `GET /timeoff/outtoday`: "See who's out".
    OutToday,
    /// `GET /timeoff/requests/changes`: "See who's out".
    Requests,
    /// `includePending=true`: Requests > "Create, edit and cancel people's requests that haven't been approved yet".
    PendingRequests,
    /// `includePrivate=true`: "See who's out because of private policy".
    PrivateRequests,
    /// `GET /timeoff/employees/{id}/balance`: "See selected people's time off and sick leave balances".
    Balance,
    /// `GET /timeoff/policy-types`: Features > Time off > Settings > "Manage company's time off settings".
    PolicyTypes,
}

impl TimeoffCapability {
    pub const ALL: [TimeoffCapability; 7] = [
        TimeoffCapability::WhosOut,
        TimeoffCapability::OutToday,
        TimeoffCapability::Requests,
        TimeoffCapability::PendingRequests,
        TimeoffCapability::PrivateRequests,
        TimeoffCapability::Balance,
        TimeoffCapability::PolicyTypes,
    ];

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text.trim())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            TimeoffCapability::WhosOut => "whos-out",
            TimeoffCapability::OutToday => "out-today",
            TimeoffCapability::Requests => "requests",
            TimeoffCapability::PendingRequests => "pending-requests",
            TimeoffCapability::PrivateRequests => "private-requests",
            TimeoffCapability::Balance => "balance",
            TimeoffCapability::PolicyTypes => "policy-types",
        }
    }
}

/// A field the integration reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldRule {
    /// HiBob field ID, e.g. `work.employeeIdInCompany`.
    pub id: String,
    /// What the vendor calls it, e.g. "Employee Number".
    pub purpose: String,
    /// The category (or categories) the vendor's guide names for it; empty when the guide names none.
    pub guide_categories: Vec<String>,
    pub level: Level,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LifecycleRule {
    pub statuses: Vec<LifecycleStatus>,
    pub level: Level,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeoffRule {
    pub require: Vec<TimeoffCapability>,
    /// Policy type names to probe balances with when the policy types cannot be read.
    pub policy_types: Vec<String>,
    pub level: Level,
}

/// A validated rules file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rules {
    pub name: String,
    pub title: String,
    pub guide: Option<String>,
    pub fields: Vec<FieldRule>,
    pub lifecycle: Option<LifecycleRule>,
    pub timeoff: Option<TimeoffRule>,
    /// `[levels]`: finding code to severity.
    pub levels: BTreeMap<Code, Severity>,
    /// `[[suppress]]`: accepted gaps, each with a reason.
    pub suppressions: Vec<Suppression>,
}

/// One problem in a rules file, at a line and column (both 1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Why a rules file cannot be used: every problem found, in file order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RulesError {
    /// The file's path, or `profile NAME`.
    pub origin: String,
    pub problems: Vec<Problem>,
}

impl fmt::Display for RulesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len();
        write!(
            f,
            "the rules in {} are invalid ({n} problem{}):",
            self.origin,
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.problems {
            write!(
                f,
                "\n  {}:{}:{}: {}",
                self.origin, p.line, p.column, p.message
            )?;
        }
        Ok(())
    }
}

impl std::error::Error for RulesError {}

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

struct Problems<'a> {
    text: &'a str,
    /// The lines of `text`.
    lines: LineIndex,
    list: Vec<(usize, Problem)>,
}

impl Problems<'_> {
    fn add(&mut self, span: Range<usize>, message: impl Into<String>) {
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
}

type Value<'i> = Spanned<DeValue<'i>>;

/// Parses and validates a rules file. `origin` names it in messages. A TOML syntax error
/// stops at the first; a file that parses gets every problem at once, each with its line and
/// column: unknown keys, values of the wrong type or out of range, and meaning.
pub fn parse(text: &str, origin: &str) -> Result<Rules, RulesError> {
    let doc = DeTable::parse(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| line_col(text, s.start));
        RulesError {
            origin: origin.to_string(),
            problems: vec![Problem {
                line,
                column,
                message: e.message().trim().to_string(),
            }],
        }
    })?;
    let mut p = Problems {
        text,
        lines: LineIndex::new(text),
        list: Vec::new(),
    };
    let rules = validate(doc.get_ref(), &mut p);
    if !p.list.is_empty() {
        p.list.sort_by_key(|(offset, _)| *offset);
        return Err(RulesError {
            origin: origin.to_string(),
            problems: p.list.into_iter().map(|(_, p)| p).collect(),
        });
    }
    Ok(rules)
}

/// A table's entries by key, after reporting keys that are not in `known`.
fn entries<'a, 'i>(
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

fn string(v: &Value, key: &str, p: &mut Problems) -> Option<String> {
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

fn array<'a, 'i>(v: &'a Value<'i>, key: &str, p: &mut Problems) -> &'a [Value<'i>] {
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

fn table<'a, 'i>(v: &'a Value<'i>, key: &str, p: &mut Problems) -> Option<&'a DeTable<'i>> {
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

fn level(v: &Value, p: &mut Problems) -> Option<Level> {
    let text = string(v, "level", p)?;
    match text.as_str() {
        "error" => Some(Level::Error),
        "warning" => Some(Level::Warning),
        "info" => Some(Level::Info),
        _ => {
            p.add(
                v.span(),
                format!("unknown level `{text}`, expected one of: error, warning, info"),
            );
            None
        }
    }
}

fn strings(v: &Value, key: &str, p: &mut Problems) -> Vec<(String, Range<usize>)> {
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

fn validate(doc: &DeTable, p: &mut Problems) -> Rules {
    let mut integration = None;
    let mut fields = Vec::new();
    let mut lifecycle = None;
    let mut timeoff = None;
    let mut field_tables: Vec<Range<usize>> = Vec::new();
    let mut levels = BTreeMap::new();
    let mut suppressions = Vec::new();
    for (key, v) in entries(
        doc,
        &[
            "integration",
            "fields",
            "lifecycle",
            "timeoff",
            "levels",
            "suppress",
        ],
        "the rules file",
        p,
    ) {
        match key {
            "integration" => {
                integration = table(v, key, p).map(|t| validate_integration(t, v.span(), p))
            }
            "fields" => {
                for item in array(v, key, p) {
                    if let Some((f, id_span)) =
                        table(item, "fields", p).and_then(|t| validate_field(t, item.span(), p))
                    {
                        field_tables.push(id_span);
                        fields.push(f);
                    }
                }
            }
            "lifecycle" => lifecycle = table(v, key, p).map(|t| validate_lifecycle(t, v.span(), p)),
            "levels" => {
                if let Some(t) = table(v, key, p) {
                    levels = validate_levels(t, p);
                }
            }
            "suppress" => {
                for item in array(v, key, p) {
                    if let Some(s) = table(item, "suppress", p)
                        .and_then(|t| validate_suppression(t, item.span(), p))
                    {
                        suppressions.push(s);
                    }
                }
            }
            _ => timeoff = table(v, key, p).map(|t| validate_timeoff(t, v.span(), p)),
        }
    }

    let mut seen = BTreeSet::new();
    for (f, span) in fields.iter().zip(&field_tables) {
        if !f.id.is_empty() && !seen.insert(f.id.clone()) {
            p.add(span.clone(), format!("field `{}` is listed twice", f.id));
        }
    }
    if fields.len() > MAX_FIELDS {
        p.add(
            field_tables[MAX_FIELDS].clone(),
            format!("at most {MAX_FIELDS} fields fit in one HiBob people search"),
        );
    }
    let (name, title, guide) = integration.unwrap_or_else(|| {
        p.add(
            0..0,
            "the rules file needs an [integration] table with a `name`",
        );
        (String::new(), None, None)
    });
    if fields.is_empty() && lifecycle.is_none() && timeoff.is_none() {
        p.add(
            0..0,
            "the rules require nothing: add [[fields]], [lifecycle] or [timeoff]",
        );
    }
    Rules {
        title: title
            .filter(|t: &String| !t.is_empty())
            .unwrap_or_else(|| name.clone()),
        name,
        guide,
        fields,
        lifecycle,
        timeoff,
        levels,
        suppressions,
    }
}

fn code(v: &Value, text: &str, p: &mut Problems) -> Option<Code> {
    let c = Code::parse(text);
    if c.is_none() {
        p.add(
            v.span(),
            format!(
                "unknown finding code `{text}`, expected one of: {}",
                Code::ALL.map(|c| c.as_str()).join(", ")
            ),
        );
    }
    c
}

/// `[levels]`: `code = "error" | "warning" | "info" | "allow"`.
fn validate_levels(t: &DeTable, p: &mut Problems) -> BTreeMap<Code, Severity> {
    let mut out = BTreeMap::new();
    for (k, v) in t.iter() {
        let key: &str = k.get_ref();
        let Some(c) = Code::parse(key) else {
            p.add(
                k.span(),
                format!(
                    "unknown finding code `{key}` in [levels], expected one of: {}",
                    Code::ALL.map(|c| c.as_str()).join(", ")
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
fn validate_suppression(t: &DeTable, span: Range<usize>, p: &mut Problems) -> Option<Suppression> {
    let mut s = Suppression {
        code: Code::CategoryNotReadable,
        category: None,
        field: None,
        lifecycle_status: None,
        endpoint: None,
        reason: String::new(),
        line: p.lines.line_col(p.text, span.start).0,
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
    if !t.iter().any(|(k, _)| {
        let key: &str = k.get_ref();
        key == "reason"
    }) {
        p.add(
            span,
            "[[suppress]] needs a `reason`: say why the gap is accepted",
        );
        ok = false;
    }
    ok.then_some(s)
}

fn validate_integration(
    t: &DeTable,
    span: Range<usize>,
    p: &mut Problems,
) -> (String, Option<String>, Option<String>) {
    let (mut name, mut title, mut guide) = (None, None, None);
    for (key, v) in entries(t, &["name", "title", "guide"], "[integration]", p) {
        let s = string(v, key, p);
        match key {
            "name" => {
                if s.as_deref() == Some("") {
                    p.add(v.span(), "integration.name must not be empty");
                }
                name = s;
            }
            "title" => title = s,
            _ => guide = s,
        }
    }
    if name.is_none() {
        p.add(span, "[integration] needs a `name`");
    }
    (name.unwrap_or_default(), title, guide)
}

/// A `[[fields]]` entry, with the span of its `id` value.
fn validate_field(
    t: &DeTable,
    span: Range<usize>,
    p: &mut Problems,
) -> Option<(FieldRule, Range<usize>)> {
    let (mut id, mut purpose, mut guide_categories, mut lvl) =
        (None, None, Vec::new(), Level::Error);
    let mut id_span = span.clone();
    let mut keys = BTreeSet::new();
    for (key, v) in entries(
        t,
        &["id", "purpose", "guide_categories", "level"],
        "[[fields]]",
        p,
    ) {
        keys.insert(key);
        match key {
            "id" => {
                let Some(text) = string(v, key, p) else {
                    continue;
                };
                if text.is_empty() {
                    p.add(v.span(), "field id must not be empty");
                } else if !is_field_id(&text) {
                    p.add(
                        v.span(),
                        format!("`{text}` is not a HiBob field ID: expected dotted IDs such as `root.email` or `work.employeeIdInCompany`"),
                    );
                } else if text == "root.id" {
                    p.add(v.span(), "`root.id` is always requested; do not list it");
                }
                id_span = v.span();
                id = Some(text);
            }
            "purpose" => {
                let text = string(v, key, p);
                if text.as_deref() == Some("") {
                    p.add(
                        v.span(),
                        "purpose must not be empty: say what the vendor calls the field",
                    );
                }
                purpose = text;
            }
            "guide_categories" => {
                guide_categories = strings(v, key, p).into_iter().map(|(s, _)| s).collect()
            }
            _ => lvl = level(v, p).unwrap_or(Level::Error),
        }
    }
    if !keys.contains("id") {
        p.add(span.clone(), "[[fields]] needs an `id`");
    }
    if !keys.contains("purpose") {
        p.add(
            span,
            "[[fields]] needs a `purpose`: what the vendor calls the field",
        );
    }
    Some((
        FieldRule {
            id: id?,
            purpose: purpose.unwrap_or_default(),
            guide_categories,
            level: lvl,
        },
        id_span,
    ))
}

/// A non-empty array of distinct names from a known set, e.g. lifecycle statuses.
fn choices<T: PartialEq>(
    v: &Value,
    key: &str,
    what: &str,
    parse: impl Fn(&str) -> Option<T>,
    known: &[&str],
    p: &mut Problems,
) -> Vec<T> {
    let mut out = Vec::new();
    if let DeValue::Array(a) = v.get_ref()
        && a.is_empty()
    {
        p.add(v.span(), format!("`{key}` must list at least one {what}"));
    }
    for (text, s) in strings(v, key, p) {
        match parse(&text) {
            Some(c) if out.contains(&c) => p.add(s, format!("{what} `{text}` is listed twice")),
            Some(c) => out.push(c),
            None => p.add(
                s,
                format!(
                    "unknown {what} `{text}`, expected one of: {}",
                    known.join(", ")
                ),
            ),
        }
    }
    out
}

fn validate_lifecycle(t: &DeTable, span: Range<usize>, p: &mut Problems) -> LifecycleRule {
    let mut statuses = Vec::new();
    let mut lvl = Level::Warning;
    let mut listed = false;
    for (key, v) in entries(t, &["statuses", "level"], "[lifecycle]", p) {
        if key == "level" {
            lvl = level(v, p).unwrap_or(Level::Warning);
            continue;
        }
        listed = true;
        statuses = choices(
            v,
            key,
            "lifecycle status",
            LifecycleStatus::parse,
            &LifecycleStatus::ALL.map(|s| s.label()),
            p,
        );
    }
    if !listed {
        p.add(span, "[lifecycle] needs `statuses`");
    }
    LifecycleRule {
        statuses,
        level: lvl,
    }
}

fn validate_timeoff(t: &DeTable, span: Range<usize>, p: &mut Problems) -> TimeoffRule {
    let mut require = Vec::new();
    let mut policy_types = Vec::new();
    let mut lvl = Level::Error;
    let mut listed = false;
    for (key, v) in entries(t, &["require", "policy_types", "level"], "[timeoff]", p) {
        match key {
            "require" => {
                listed = true;
                require = choices(
                    v,
                    key,
                    "time-off capability",
                    TimeoffCapability::parse,
                    &TimeoffCapability::ALL.map(|c| c.as_str()),
                    p,
                );
            }
            "policy_types" => {
                policy_types = strings(v, key, p).into_iter().map(|(s, _)| s).collect()
            }
            _ => lvl = level(v, p).unwrap_or(Level::Error),
        }
    }
    if !listed {
        p.add(span, "[timeoff] needs `require`");
    }
    TimeoffRule {
        require,
        policy_types,
        level: lvl,
    }
}

/// A dotted HiBob field ID: segments of letters, digits and `_`, `-`, joined by dots.
fn is_field_id(id: &str) -> bool {
    id.contains('.')
        && id.split('.').all(|seg| {
            !seg.is_empty()
                && seg
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_valid_rules() {
        let rules = parse(TEMPLATE, "template").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(rules.name, "my-integration");
    }

    #[test]
    fn line_col_counts_from_one() {
        let text = "a = 1\nbb = 2\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        assert_eq!(line_col(text, 9), (2, 4));
        assert_eq!(line_col(text, 999), (3, 1));
    }

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

    /// 100,000 duplicate entries give 100,000 problems, each placed through the index: the
    /// file is scanned once for its lines, not once per problem (issue 13). The time it takes
    /// is measured by `cargo bench --bench rules`.
    #[test]
    fn a_hundred_thousand_problems_are_placed_by_one_index() {
        let mut text = String::from("[integration]\nname = \"x\"\n");
        for _ in 0..100_000 {
            text.push_str("[[fields]]\nid = \"work.title\"\npurpose = \"T\"\n");
        }
        let err = parse(&text, "big.toml").unwrap_err();
        // Every duplicate, and the one past the field limit.
        assert_eq!(err.problems.len(), 100_000);
        let last = err.problems.last().unwrap();
        assert_eq!((last.line, last.column), (3 + 99_999 * 3 + 1, 6));
    }

    #[test]
    fn unknown_key_gives_line_and_column() {
        let text = "[integration]\nname = \"x\"\n\n[[fields]]\nid = \"root.email\"\npurpose = \"Email\"\ncolour = \"red\"\n";
        let err = parse(text, "x.toml").unwrap_err();
        assert_eq!(err.problems.len(), 1);
        assert_eq!(err.problems[0].line, 7);
        assert!(err.problems[0].message.contains("colour"), "{err}");
    }

    #[test]
    fn bad_level_value_is_an_error() {
        let text = "[integration]\nname = \"x\"\n[[fields]]\nid = \"root.email\"\npurpose = \"E\"\nlevel = \"fatal\"\n";
        let err = parse(text, "x.toml").unwrap_err();
        assert_eq!(err.problems[0].line, 6);
    }

    #[test]
    fn semantic_problems_are_all_reported() {
        let text = r#"[integration]
name = "x"
[[fields]]
id = "root email"
purpose = ""
[[fields]]
id = "work.title"
purpose = "Title"
[[fields]]
id = "work.title"
purpose = "Title again"
[lifecycle]
statuses = ["Hired", "Retired"]
"#;
        let err = parse(text, "x.toml").unwrap_err();
        let lines: Vec<usize> = err.problems.iter().map(|p| p.line).collect();
        assert_eq!(lines, vec![4, 5, 10, 13], "{err}");
    }

    #[test]
    fn unknown_keys_bad_values_and_meaning_come_all_at_once() {
        let text = r#"[integration]
name = "x"
colour = "red"
[[fields]]
id = "root.email"
purpose = 3
level = "fatal"
[[fields]]
purpose = "No id"
[timeoff]
require = ["balance", "teleport"]
level = "warning"
extra = 1
"#;
        let err = parse(text, "x.toml").unwrap_err();
        let got: Vec<(usize, usize)> = err.problems.iter().map(|p| (p.line, p.column)).collect();
        assert_eq!(
            got,
            vec![(3, 1), (6, 11), (7, 9), (8, 1), (11, 23), (13, 1)],
            "{err}"
        );
    }

    #[test]
    fn lifecycle_statuses_match_labels_case_insensitively() {
        assert_eq!(
            LifecycleStatus::parse("garden LEAVE"),
            Some(LifecycleStatus::GardenLeave)
        );
        assert_eq!(
            LifecycleStatus::parse("leave (all types)"),
            Some(LifecycleStatus::LeaveAllTypes)
        );
        assert_eq!(
            LifecycleStatus::parse("parental-leave"),
            Some(LifecycleStatus::ParentalLeave)
        );
        assert_eq!(LifecycleStatus::parse("retired"), None);
    }
}
