//! A fake HiBob on 127.0.0.1 that behaves as ../shared/hibob-api.md describes: Basic auth,
//! field metadata that needs no permission, a people search that silently leaves out
//! unreadable categories and unknown fields, "Everyone" meaning active employees only,
//! slash keys only for non-null values, and an HTML login page for unknown paths.
//! Every employee value is a sentinel string, so tests can prove none leaks.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde_json::{Map, Value, json};

use super::http::{Reply, Request, Server};

pub const SERVICE_USER_ID: &str = "SERVICE-USER-7f3a";
pub const TOKEN: &str = "TOKEN-SENTINEL-d41d8cd98f00b204";
/// Every employee value starts with this.
pub const SENTINEL: &str = "SENTINEL";
/// Employee IDs: numeric strings longer than 2^53, as HiBob's are.
pub const ID_PREFIX: &str = "91827364550918";

#[derive(Debug, Clone)]
pub struct FieldDef {
    pub id: String,
    pub category_id: String,
    pub category_name: String,
    pub json_path: String,
}

fn field(id: &str, category_id: &str, category_name: &str, json_path: &str) -> FieldDef {
    FieldDef {
        id: id.into(),
        category_id: category_id.into(),
        category_name: category_name.into(),
        json_path: json_path.into(),
    }
}

/// HiBob's out-of-the-box fields and categories (../shared/hibob-api.md).
pub fn default_fields() -> Vec<FieldDef> {
    let mut f = Vec::new();
    for (id, path) in [
        ("root.id", "id"),
        ("root.firstName", "firstName"),
        ("root.surname", "surname"),
        ("root.displayName", "displayName"),
        ("root.fullName", "fullName"),
        ("root.email", "email"),
    ] {
        f.push(field(id, "root", "Basic info", path));
    }
    for id in [
        "work.title",
        "work.department",
        "work.site",
        "work.startDate",
        "work.employeeIdInCompany",
        "work.reportsTo",
        "work.manager",
    ] {
        f.push(field(id, "work", "Work", id));
    }
    for id in [
        "work.workPhone",
        "work.workMobile",
        "personal.communication.slackUsername",
    ] {
        f.push(field(id, "workContact", "Work contact details", id));
    }
    for id in [
        "payroll.employment.contract",
        "payroll.employment.type",
        "payroll.employment.fte",
        "payroll.employment.weeklyHours",
    ] {
        f.push(field(id, "employment", "Employment", id));
    }
    for id in [
        "internal.lifecycleStatus",
        "internal.status",
        "internal.terminationDate",
        "employee.lastDayOfWork",
    ] {
        f.push(field(id, "lifecycle", "Lifecycle", id));
    }
    for id in ["about.about", "about.hobbies"] {
        f.push(field(id, "about", "About", id));
    }
    for id in ["home.privateEmail", "home.mobilePhone"] {
        f.push(field(id, "personalContact", "Personal contact details", id));
    }
    for id in ["personal.birthDate", "personal.nationality"] {
        f.push(field(id, "personal", "Personal", id));
    }
    f
}

#[derive(Debug, Clone)]
pub struct Employee {
    pub id: String,
    /// Machine value of internal.lifecycleStatus.
    pub lifecycle: String,
    pub active: bool,
    /// Values by field ID; a field not here is null.
    pub values: BTreeMap<String, Value>,
    /// Human-readable labels by field ID (`humanReadable`), when they differ from the value.
    pub labels: BTreeMap<String, String>,
}

/// Whose data the permission group selects.
#[derive(Debug, Clone)]
pub enum Audience {
    /// HiBob's "Everyone": active employees only.
    Everyone,
    /// Select people by condition on lifecycle status (machine values).
    Statuses(BTreeSet<String>),
}

impl Audience {
    /// A condition on these lifecycle statuses (machine values).
    pub fn statuses(list: &[&str]) -> Self {
        Audience::Statuses(list.iter().map(|s| s.to_string()).collect())
    }
}

/// How an endpoint answers instead of normally.
#[derive(Debug, Clone, PartialEq)]
pub enum Fault {
    None,
    Status(u16, &'static str),
    /// 429 with `Retry-After` and/or `X-RateLimit-Reset` (seconds from now).
    RateLimited {
        retry_after: Option<u64>,
        reset_in: Option<u64>,
    },
    Html,
    Truncated,
    /// Close the connection without answering.
    Reset,
    /// Answer normally, but only after this long.
    Slow(std::time::Duration),
    /// Send half of the normal answer, then stall this long.
    StallBody(std::time::Duration),
    /// A 200 JSON answer in gzip that starts with this text and inflates to this many MiB of
    /// blanks after it: about 1 KiB on the wire per MiB (a "gzip bomb").
    GzipBomb(&'static str, usize),
    /// A 200 chunked JSON answer that starts with this text and goes on with blanks for this
    /// many bytes (or until the client hangs up).
    Endless(&'static str, u64),
}

/// A fault on one path, for the first `times` calls (None: always).
#[derive(Debug, Clone)]
pub struct FaultPlan {
    pub path: String,
    pub fault: Fault,
    pub times: Option<usize>,
}

/// A time-off permission of the group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum TimeoffPerm {
    /// "See who's out": whosout, outtoday, requests/changes.
    WhosOut,
    /// "See who's out because of private policy": without it, private absences are left out silently.
    Private,
    /// "Create, edit and cancel people's requests that haven't been approved yet".
    Pending,
    /// "See selected people's time off and sick leave balances".
    Balance,
    /// Features > Time off > Settings > "Manage company's time off settings".
    Settings,
}

impl TimeoffPerm {
    pub const ALL: [TimeoffPerm; 5] = [
        TimeoffPerm::WhosOut,
        TimeoffPerm::Private,
        TimeoffPerm::Pending,
        TimeoffPerm::Balance,
        TimeoffPerm::Settings,
    ];
}

/// How a missing permission is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefusalStyle {
    /// 403 with an error body.
    Forbidden,
    /// 401 with `{"errorMessage": "No permissions ..."}`, as HiBob does on some endpoints.
    Unauthorized,
}

/// One absence in the who's-out window.
#[derive(Debug, Clone)]
pub struct Absence {
    pub employee: usize,
    pub policy: String,
    pub private: bool,
    pub pending: bool,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub fields: Vec<FieldDef>,
    pub employees: Vec<Employee>,
    /// Category IDs the group may view.
    pub readable: BTreeSet<String>,
    pub audience: Audience,
    /// Category ID -> employee indices for whom that category is hidden.
    pub hidden_for: BTreeMap<String, BTreeSet<usize>>,
    /// Field IDs hidden by field-level permissions (People's data > People's fields), although
    /// their category is readable: left out of the search answer like an unreadable category.
    pub hidden_fields: BTreeSet<String>,
    /// Answer the metadata as `{"fields": [...]}` instead of a bare array.
    pub metadata_as_object: bool,
    pub metadata_fault: Fault,
    pub search_fault: Fault,
    /// Faults by path (without `/v1`), counted per call.
    pub faults: Vec<FaultPlan>,
    pub timeoff: BTreeSet<TimeoffPerm>,
    pub refusal: RefusalStyle,
    pub absences: Vec<Absence>,
    pub policy_types: Vec<String>,
    /// Answer 200 with an empty body instead of refusing (a [guess] in hibob-api.md).
    pub empty_200_for_refusals: bool,
    /// With no readable category at all, the search answers "200 with no data"
    /// (hibob-api.md) as an empty body, instead of records that hold only `id`.
    pub no_data_when_nothing_readable: bool,
    /// Records without any ID ("do not assume any key is always there", hibob-api.md).
    pub omit_ids: bool,
    /// Category IDs whose "section histories" the group may view: their employee tables
    /// (`/people/{id}/work`, ...) answer every row; with only "sections" (the category in
    /// `readable`), the current row; with neither, 403.
    pub history: BTreeSet<String>,
    /// Field-level permissions withhold the history of these table columns
    /// (`restricted_columns.no_view_history_permission`, `X-Has-Restricted-Columns: true`).
    pub history_restricted: Vec<String>,
    /// Rows per employee table: one current, the rest past.
    pub table_rows: usize,
    /// Docs folders whose documents the group may view; none: the docs list answers 403.
    pub docs_viewable: BTreeSet<String>,
    /// Every employee's documents, by folder.
    pub docs: Vec<(String, usize)>,
    /// Each listed document names its folder (the stored reference shows no such key).
    pub docs_name_folder: bool,
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or_default()
}

pub fn all_categories(fields: &[FieldDef]) -> BTreeSet<String> {
    fields.iter().map(|f| f.category_id.clone()).collect()
}

/// A tenant of `n` employees with every field filled with sentinels, all categories readable,
/// and a condition on every lifecycle status.
pub fn granted(n: usize) -> Config {
    let fields = default_fields();
    let statuses = [
        "employed",
        "hired",
        "terminated",
        "leave",
        "parental leave",
        "garden leave",
    ];
    let employees = (0..n)
        .map(|i| {
            let lifecycle = statuses[i % statuses.len()].to_string();
            let active = !matches!(lifecycle.as_str(), "hired" | "terminated");
            let id = format!("{ID_PREFIX}{i:05}");
            let mut values = BTreeMap::new();
            for f in &fields {
                let v = match f.id.as_str() {
                    "root.id" => json!(id),
                    "internal.lifecycleStatus" => json!(lifecycle),
                    "internal.status" => json!(if active { "Active" } else { "Inactive" }),
                    _ => json!(format!("{SENTINEL}-{}-{i}", f.id)),
                };
                values.insert(f.id.clone(), v);
            }
            let labels = [(
                "internal.lifecycleStatus".to_string(),
                capitalize(&lifecycle),
            )]
            .into_iter()
            .collect();
            Employee {
                id,
                lifecycle,
                active,
                values,
                labels,
            }
        })
        .collect();
    Config {
        readable: all_categories(&fields),
        fields,
        employees,
        audience: Audience::Statuses(statuses.iter().map(|s| s.to_string()).collect()),
        hidden_for: BTreeMap::new(),
        hidden_fields: BTreeSet::new(),
        metadata_as_object: false,
        metadata_fault: Fault::None,
        search_fault: Fault::None,
        faults: Vec::new(),
        timeoff: TimeoffPerm::ALL.into_iter().collect(),
        refusal: RefusalStyle::Forbidden,
        absences: vec![
            Absence {
                employee: 0,
                policy: "Holiday".into(),
                private: false,
                pending: false,
            },
            Absence {
                employee: 3,
                policy: "Sick".into(),
                private: false,
                pending: false,
            },
            Absence {
                employee: 6 % n.max(1),
                policy: "Medical".into(),
                private: true,
                pending: false,
            },
            Absence {
                employee: 0,
                policy: "Holiday".into(),
                private: false,
                pending: true,
            },
        ],
        policy_types: vec!["Holiday".into(), "Sick".into(), "Medical".into()],
        empty_200_for_refusals: false,
        no_data_when_nothing_readable: false,
        omit_ids: false,
        history: ["work", "employment", "lifecycle", "payroll"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        history_restricted: Vec::new(),
        table_rows: 3,
        docs_viewable: ["Shared", "Confidential"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        docs: vec![("Shared".into(), 2), ("Confidential".into(), 1)],
        docs_name_folder: true,
    }
}

/// Categories beyond the out-of-the-box ones that vendor guides name, two fields each:
/// (category ID, display name, field IDs).
pub const MORE_CATEGORIES: &[(&str, &str, [&str; 2])] = &[
    ("address", "Address", ["address.city", "address.country"]),
    ("eeo", "EEO", ["eeo.ethnicity", "eeo.jobCategory"]),
    (
        "emergency",
        "Emergency",
        ["emergency.contactName", "emergency.phone"],
    ),
    ("home", "Home", ["home.gender", "home.maritalStatus"]),
    (
        "identification",
        "Identification",
        ["identification.ssn", "identification.passport"],
    ),
    (
        "jobsCatalog",
        "Jobs",
        ["employee.jobProfileId", "jobs.level"],
    ),
    (
        "payroll",
        "Payroll",
        ["payroll.salary.base", "payroll.salary.currency"],
    ),
    (
        "peopleAnalytics",
        "People analytics",
        [
            "peopleAnalytics.lowRiskCounter",
            "peopleAnalytics.atRiskCounter",
        ],
    ),
    (
        "training",
        "Training",
        ["training.course", "training.completed"],
    ),
    (
        "userData",
        "User data",
        ["userData.username", "userData.locale"],
    ),
    (
        "workEligibility",
        "Work eligibility",
        ["workEligibility.visa", "workEligibility.expiry"],
    ),
];

impl Config {
    /// The tenant has every category the vendor guides name, readable, filled with sentinels.
    pub fn with_all_categories(mut self) -> Self {
        for (category_id, name, ids) in MORE_CATEGORIES {
            for id in ids {
                self.fields.push(field(id, category_id, name, id));
                for (i, e) in self.employees.iter_mut().enumerate() {
                    e.values
                        .insert(id.to_string(), json!(format!("{SENTINEL}-{id}-{i}")));
                }
            }
            self.readable.insert(category_id.to_string());
        }
        self
    }

    pub fn without(mut self, category_id: &str) -> Self {
        self.readable.remove(category_id);
        self
    }

    /// Moves a field into another category (the admin's doing), keeping its ID and path.
    pub fn move_field(mut self, id: &str, category_id: &str, category_name: &str) -> Self {
        for f in &mut self.fields {
            if f.id == id {
                f.category_id = category_id.into();
                f.category_name = category_name.into();
            }
        }
        self
    }

    /// `fault` on `path` (e.g. `/people/search`) for the first `times` calls, or always.
    pub fn fault(mut self, path: &str, fault: Fault, times: Option<usize>) -> Self {
        self.faults.push(FaultPlan {
            path: path.into(),
            fault,
            times,
        });
        self
    }

    pub fn without_timeoff(mut self, perm: TimeoffPerm) -> Self {
        self.timeoff.remove(&perm);
        self
    }

    pub fn with_audience(mut self, audience: Audience) -> Self {
        self.audience = audience;
        self
    }

    pub fn empty_field(mut self, id: &str) -> Self {
        for e in &mut self.employees {
            e.values.insert(id.into(), Value::Null);
        }
        self
    }
}

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub body: Option<Value>,
    pub authorization: Option<String>,
    pub accept: Option<String>,
    pub content_type: Option<String>,
}

pub struct FakeHiBob {
    server: Server,
    seen: Arc<Mutex<Vec<Seen>>>,
    config: Arc<std::sync::RwLock<Config>>,
}

/// The fault to apply to this call of `path`, counting calls per path.
fn planned_fault(config: &Config, seen: &[Seen], path: &str) -> Fault {
    let calls_before = seen
        .iter()
        .filter(|s| s.path == format!("/v1{path}"))
        .count()
        .saturating_sub(1);
    config
        .faults
        .iter()
        .find(|f| f.path == path && f.times.is_none_or(|n| calls_before < n))
        .map_or(Fault::None, |f| f.fault.clone())
}

impl FakeHiBob {
    pub fn start(config: Config) -> Self {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let seen2 = seen.clone();
        let config = Arc::new(std::sync::RwLock::new(config));
        let shared = config.clone();
        let server = Server::start(Arc::new(move |req: &Request| {
            let config = shared.read().expect("config");
            let mut seen = seen2.lock().expect("lock");
            seen.push(Seen {
                method: req.method.clone(),
                path: req.path.clone(),
                query: req.query.clone(),
                body: serde_json::from_slice(&req.body).ok(),
                authorization: req.header("authorization").map(str::to_string),
                accept: req.header("accept").map(str::to_string),
                content_type: req.header("content-type").map(str::to_string),
            });
            let path = req
                .path
                .strip_prefix("/v1")
                .unwrap_or(&req.path)
                .to_string();
            let fault = planned_fault(&config, &seen, &path);
            drop(seen);
            fault_reply(&fault, || answer(&config, req))
        }));
        FakeHiBob {
            server,
            seen,
            config,
        }
    }

    /// Changes the tenant while it runs, as an admin ticking boxes in HiBob would.
    pub fn update(&self, change: impl FnOnce(&mut Config)) {
        change(&mut self.config.write().expect("config"));
    }

    /// The running tenant, to change from another thread.
    pub fn tenant(&self) -> Arc<std::sync::RwLock<Config>> {
        self.config.clone()
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}/v1", self.server.addr.port())
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

pub fn expected_authorization() -> String {
    let pair = format!("{SERVICE_USER_ID}:{TOKEN}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )
}

const LOGIN_PAGE: &str = "<!doctype html><html><head><title>Sign in | bob</title></head><body>SENTINEL login</body></html>";

fn fault_reply(fault: &Fault, normal: impl FnOnce() -> Reply) -> Reply {
    match fault {
        Fault::None => normal(),
        Fault::Status(status, body) => Reply::json(*status, body.as_bytes().to_vec()),
        Fault::RateLimited {
            retry_after,
            reset_in,
        } => {
            let mut headers = vec![("X-RateLimit-Limit".to_string(), "50".to_string())];
            if let Some(s) = retry_after {
                headers.push(("Retry-After".into(), s.to_string()));
            }
            if let Some(s) = reset_in {
                let now = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .expect("clock")
                    .as_secs();
                headers.push(("X-RateLimit-Reset".into(), (now + s).to_string()));
                headers.push(("X-RateLimit-Remaining".into(), "0".into()));
            }
            Reply::Full {
                status: 429,
                content_type: Some("application/json"),
                headers,
                body: br#"{"error":"Too many requests"}"#.to_vec(),
            }
        }
        Fault::Reset => Reply::Close,
        Fault::Slow(wait) => Reply::Delayed(*wait, Box::new(normal())),
        Fault::StallBody(wait) => Reply::Stalled(*wait, Box::new(normal())),
        Fault::GzipBomb(prefix, mib) => Reply::Full {
            status: 200,
            content_type: Some("application/json"),
            headers: vec![("Content-Encoding".into(), "gzip".into())],
            body: gzip_bomb(prefix, *mib),
        },
        Fault::Endless(prefix, total) => Reply::Endless {
            prefix: prefix.as_bytes().to_vec(),
            total: *total,
        },
        Fault::Html => Reply::Full {
            status: 200,
            content_type: Some("text/html; charset=utf-8"),
            headers: Vec::new(),
            body: LOGIN_PAGE.as_bytes().to_vec(),
        },
        Fault::Truncated => {
            let Reply::Full { body, .. } = normal() else {
                return Reply::empty(500);
            };
            let cut = &body[..body.len() / 2];
            Reply::json(200, cut.to_vec())
        }
    }
}

/// A gzip file of concatenated members (HTTP clients read them all as one answer): `prefix`,
/// then `mib` MiB of blanks. Each MiB costs about one KiB of gzip, compressed once.
pub fn gzip_bomb(prefix: &str, mib: usize) -> Vec<u8> {
    use std::io::Write as _;
    static MEMBER: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();
    let gzip = |data: &[u8]| {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).expect("gzip");
        e.finish().expect("gzip")
    };
    let member = MEMBER.get_or_init(|| gzip(&vec![b' '; 1 << 20]));
    let mut out = gzip(prefix.as_bytes());
    for _ in 0..mib {
        out.extend_from_slice(member);
    }
    out
}

fn answer(config: &Config, req: &Request) -> Reply {
    let Some(path) = req.path.strip_prefix("/v1") else {
        return fault_reply(&Fault::Html, || Reply::empty(200));
    };
    if req.header("authorization") != Some(expected_authorization().as_str()) {
        return Reply::empty(401);
    }
    match (req.method.as_str(), path) {
        ("GET", "/company/people/fields") => {
            fault_reply(&config.metadata_fault, || metadata(config))
        }
        ("POST", "/people/search") => fault_reply(&config.search_fault, || search(config, req)),
        ("GET", "/timeoff/policy-types") => guarded(config, TimeoffPerm::Settings, || {
            Reply::json(
                200,
                json!({ "policyTypes": config.policy_types }).to_string(),
            )
        }),
        ("GET", "/timeoff/whosout") => {
            guarded(config, TimeoffPerm::WhosOut, || whos_out(config, req, true))
        }
        ("GET", "/timeoff/outtoday") => guarded(config, TimeoffPerm::WhosOut, || {
            whos_out(config, req, false)
        }),
        ("GET", "/timeoff/requests/changes") => {
            guarded(config, TimeoffPerm::WhosOut, || changes(config, req))
        }
        ("GET", p) if p.starts_with("/timeoff/employees/") && p.ends_with("/balance") => {
            guarded(config, TimeoffPerm::Balance, || balance(config, req, p))
        }
        ("GET", p) if p.starts_with("/docs/people/") => docs(config, p),
        ("GET", p) if p.starts_with("/people/") && p.matches('/').count() == 3 => {
            table(config, req, p)
        }
        _ => fault_reply(&Fault::Html, || Reply::empty(200)),
    }
}

fn refuse(config: &Config) -> Reply {
    if config.empty_200_for_refusals {
        return Reply::json(200, Vec::new());
    }
    match config.refusal {
        RefusalStyle::Forbidden => Reply::json(403, r#"{"key":"forbidden","error":"Forbidden"}"#),
        RefusalStyle::Unauthorized => Reply::json(
            401,
            r#"{"errorMessage":"No permissions to access this resource"}"#,
        ),
    }
}

fn guarded(config: &Config, perm: TimeoffPerm, answer: impl FnOnce() -> Reply) -> Reply {
    if config.timeoff.contains(&perm) {
        answer()
    } else {
        refuse(config)
    }
}

fn query<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.query
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn is_date(s: &str) -> bool {
    s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-'
}

/// Who's out (with `from`/`to`) or out today. Only active employees the group can see;
/// private absences only with the permission and the flag; pending only with the flag.
fn whos_out(config: &Config, req: &Request, window: bool) -> Reply {
    if window && !(query(req, "from").is_some_and(is_date) && query(req, "to").is_some_and(is_date))
    {
        return Reply::json(400, r#"{"error":"from and to are required"}"#);
    }
    let include_private = query(req, "includePrivate") == Some("true");
    let include_pending = query(req, "includePending") == Some("true");
    if include_pending && !config.timeoff.contains(&TimeoffPerm::Pending) {
        return refuse(config);
    }
    let outs: Vec<Value> = config
        .absences
        .iter()
        .filter(|a| !a.private || (include_private && config.timeoff.contains(&TimeoffPerm::Private)))
        .filter(|a| !a.pending || include_pending)
        .filter_map(|a| {
            let e = config.employees.get(a.employee)?;
            if !e.active || !visible(config, e, true) {
                return None;
            }
            Some(json!({
                "employeeId": e.id, "employeeDisplayName": format!("{SENTINEL}-name-{}", a.employee),
                "policyTypeDisplayName": a.policy, "type": "days",
                "startDate": "2026-11-27", "startPortion": "all_day", "endDate": "2026-11-29",
                "endPortion": "all_day", "status": if a.pending { "pending" } else { "approved" },
                "visibility": if a.private { "private" } else { "public" }
            }))
        })
        .collect();
    Reply::json(200, json!({ "outs": outs }).to_string())
}

fn changes(config: &Config, req: &Request) -> Reply {
    if !query(req, "since").is_some_and(|s| s.len() >= 10 && is_date(&s[..10])) {
        return Reply::json(400, r#"{"error":"since is required"}"#);
    }
    let changes: Vec<Value> = config
        .absences
        .iter()
        .filter(|a| !a.private && !a.pending)
        .filter_map(|a| config.employees.get(a.employee))
        .map(|e| json!({ "changeType": "Created", "requestId": 77, "employeeId": e.id,
                          "employeeDisplayName": format!("{SENTINEL}-name"), "policyTypeDisplayName": "Holiday" }))
        .collect();
    Reply::json(200, json!({ "changes": changes }).to_string())
}

fn balance(config: &Config, req: &Request, path: &str) -> Reply {
    let id = path
        .trim_start_matches("/timeoff/employees/")
        .trim_end_matches("/balance");
    let (Some(policy), Some(date)) = (query(req, "policyType"), query(req, "date")) else {
        return Reply::json(400, r#"{"error":"policyType and date are required"}"#);
    };
    if !is_date(date) || !config.policy_types.iter().any(|p| p == policy) {
        return Reply::json(400, r#"{"error":"bad policy type"}"#);
    }
    let Some(e) = config.employees.iter().find(|e| e.id == id) else {
        return Reply::json(404, r#"{"error":"employee not found"}"#);
    };
    Reply::json(
        200,
        json!({ "employeeId": e.id, "policy": format!("{SENTINEL}-policy"), "totalBalanceAsOfDate": 12.5,
                "annualAllowance": 25, "totalTaken": 12.5 })
        .to_string(),
    )
}

/// An employee table: `GET /people/{id}/{table}` (work, employment, lifecycle, salaries). A GET
/// sent with a JSON content type gets HiBob's 400 HTML, as captures show.
fn table(config: &Config, req: &Request, path: &str) -> Reply {
    let mut parts = path.trim_start_matches("/people/").split('/');
    let (Some(id), Some(segment)) = (parts.next(), parts.next()) else {
        return fault_reply(&Fault::Html, || Reply::empty(200));
    };
    let category = match segment {
        "work" => "work",
        "employment" => "employment",
        "lifecycle" => "lifecycle",
        "salaries" => "payroll",
        _ => return fault_reply(&Fault::Html, || Reply::empty(200)),
    };
    if req.header("content-type").is_some() {
        return Reply::Full {
            status: 400,
            content_type: Some("text/html"),
            headers: Vec::new(),
            body: b"<html>Bad Request</html>".to_vec(),
        };
    }
    let Some(e) = config.employees.iter().find(|e| e.id == id) else {
        return Reply::json(404, r#"{"error":"employee not found"}"#);
    };
    if !visible(config, e, true) {
        return refuse(config);
    }
    let history = config.history.contains(category);
    if !history && !config.readable.contains(category) {
        return refuse(config);
    }
    let rows: Vec<Value> = (0..config.table_rows.max(1))
        .filter(|i| history || *i + 1 == config.table_rows.max(1))
        .map(|i| {
            json!({ "id": i, "isCurrent": i + 1 == config.table_rows.max(1),
                    "effectiveDate": "2024-01-01", "title": format!("{SENTINEL}-row-{i}") })
        })
        .collect();
    let mut body = json!({ "values": rows });
    let mut headers = Vec::new();
    if !config.history_restricted.is_empty() {
        body["restricted_columns"] = json!({
            "no_view_permission": [],
            "no_view_history_permission": config.history_restricted,
        });
        headers.push(("X-Has-Restricted-Columns".to_string(), "true".to_string()));
    }
    Reply::Full {
        status: 200,
        content_type: Some("application/json; charset=utf-8"),
        headers,
        body: body.to_string().into_bytes(),
    }
}

/// `GET /docs/people/{id}`: the documents of the folders the group may view; 403 when it may
/// view none.
fn docs(config: &Config, path: &str) -> Reply {
    let id = path.trim_start_matches("/docs/people/");
    let Some(e) = config.employees.iter().find(|e| e.id == id) else {
        return Reply::json(404, r#"{"error":"employee not found"}"#);
    };
    if config.docs_viewable.is_empty() || !visible(config, e, true) {
        return refuse(config);
    }
    let mut documents = Vec::new();
    for (folder, n) in config
        .docs
        .iter()
        .filter(|(f, _)| config.docs_viewable.contains(f))
    {
        for i in 0..*n {
            let mut d = json!({ "documentName": format!("{SENTINEL}-doc-{i}.pdf"),
                                "downloadLink": format!("https://files.example/{SENTINEL}/{i}") });
            if config.docs_name_folder {
                d["folder"] = json!(folder);
            }
            documents.push(d);
        }
    }
    Reply::json(200, json!({ "documents": documents }).to_string())
}

fn metadata(config: &Config) -> Reply {
    let list: Vec<Value> = config
        .fields
        .iter()
        .map(|f| {
            json!({
                "id": f.id, "category": f.category_id, "categoryId": f.category_id,
                "categoryDisplayName": f.category_name, "name": f.id, "description": null,
                "jsonPath": f.json_path, "type": "text", "typeData": {}, "historical": false
            })
        })
        .collect();
    let body = if config.metadata_as_object {
        json!({ "fields": list })
    } else {
        Value::Array(list)
    };
    Reply::json(200, body.to_string())
}

fn visible(config: &Config, e: &Employee, show_inactive: bool) -> bool {
    if !show_inactive && !e.active {
        return false;
    }
    match &config.audience {
        Audience::Everyone => e.active,
        Audience::Statuses(s) => s.contains(&e.lifecycle),
    }
}

fn insert_path(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.to_string(), value);
        }
        Some((head, rest)) => {
            let entry = map
                .entry(head.to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(inner) = entry {
                insert_path(inner, rest, value);
            }
        }
    }
}

fn search(config: &Config, req: &Request) -> Reply {
    let Ok(body) = serde_json::from_slice::<Value>(&req.body) else {
        return Reply::json(400, r#"{"error":"bad request"}"#);
    };
    if let Some(filters) = body.get("filters")
        && filters
            .as_array()
            .is_none_or(|a| a.is_empty() || a.len() > 1)
    {
        return Reply::json(400, r#"{"key":"filters","error":"invalid filters"}"#);
    }
    let fields: Vec<&str> = body
        .get("fields")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if fields.len() > 400 {
        return Reply::json(400, r#"{"error":"too many fields"}"#);
    }
    let show_inactive = body
        .get("showInactive")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let human = body.get("humanReadable").and_then(Value::as_str) == Some("APPEND");
    if config.no_data_when_nothing_readable && config.readable.is_empty() {
        return Reply::json(200, Vec::new());
    }
    let mut employees = Vec::new();
    for (i, e) in config.employees.iter().enumerate() {
        if !visible(config, e, show_inactive) {
            continue;
        }
        let mut record = Map::new();
        let mut readable_text = Map::new();
        if !config.omit_ids {
            record.insert("id".into(), json!(e.id));
        }
        for id in &fields {
            let Some(def) = config.fields.iter().find(|f| f.id == *id) else {
                continue;
            };
            if config.omit_ids && *id == "root.id" {
                continue;
            }
            if !config.readable.contains(&def.category_id)
                || config.hidden_fields.contains(*id)
                || config
                    .hidden_for
                    .get(&def.category_id)
                    .is_some_and(|h| h.contains(&i))
            {
                continue;
            }
            let value = e.values.get(*id).cloned().unwrap_or(Value::Null);
            if !value.is_null() {
                record.insert(
                    format!("/{}", id.replace('.', "/")),
                    json!({ "value": value }),
                );
                let label = e.labels.get(*id).map_or(value.clone(), |l| json!(l));
                insert_path(&mut readable_text, &def.json_path, label);
            }
            insert_path(&mut record, &def.json_path, value);
        }
        if human {
            record.insert("humanReadable".into(), Value::Object(readable_text));
        }
        employees.push(Value::Object(record));
    }
    Reply::json(200, json!({ "employees": employees }).to_string())
}
