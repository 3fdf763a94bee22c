//! Observations built by hand: a small tenant of ten employees. A scenario starts from the
//! tenant as a group that grants everything would see it, and changes what it tests. The
//! people search's counts are kept only for the fields the rules make the audit ask for.

use std::collections::BTreeMap;

use hibob_audit::observations::{
    CallOutcome, CategoryMeta, DocsAnswer, EmployeeTable, Failure, FailureKind, FieldCatalog,
    FieldCounts, FieldMeta, LifecycleCount, Observations, Observed, PeopleCounts, ProbeRun,
    Refusal, SAMPLES_PER_CATEGORY, TableAnswer, TableObservation, TimeoffAnswer,
    TimeoffObservation, TimeoffProbe, field_ids,
};
use hibob_audit::rules::{Rules, TimeoffCapability};
use hibob_audit::sensitive::sensitive_field;

/// Employees the people search sees, unless a scenario says otherwise.
pub const EMPLOYEES: u64 = 10;

pub const METADATA: &str = "GET /company/people/fields";
pub const SEARCH: &str = "POST /people/search";
pub const DOCS: &str = "GET /docs/people/{id}";

/// A category of the tenant: ID, display name, and its fields (ID, name) in metadata order.
type Category = (
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
);

const CATEGORIES: &[Category] = &[
    (
        "root",
        "Basic info",
        &[
            ("root.firstName", "First name"),
            ("root.surname", "Last name"),
            ("root.displayName", "Display name"),
            ("root.email", "Email"),
        ],
    ),
    (
        "work",
        "Work",
        &[
            ("work.title", "Job title"),
            ("work.department", "Department"),
            ("work.startDate", "Start date"),
            ("work.reportsTo", "Reports to"),
            ("work.employeeIdInCompany", "Employee ID"),
        ],
    ),
    (
        "workContact",
        "Work contact details",
        &[
            ("work.workPhone", "Work phone"),
            ("work.workMobile", "Work mobile"),
        ],
    ),
    (
        "employment",
        "Employment",
        &[
            ("payroll.employment.type", "Employment type"),
            ("payroll.employment.contract", "Contract"),
        ],
    ),
    (
        "payroll",
        "Payroll",
        &[
            ("payroll.salary.base", "Base salary"),
            ("payroll.salary.payFrequency", "Pay frequency"),
            ("payroll.salary.currency", "Currency"),
            ("payroll.salary.bank", "Bank account"),
        ],
    ),
    (
        "lifecycle",
        "Lifecycle",
        &[
            (field_ids::LIFECYCLE, "Lifecycle status"),
            (field_ids::STATUS, "Status"),
            ("internal.terminationDate", "Termination date"),
        ],
    ),
    (
        "address",
        "Address",
        &[
            ("address.city", "City"),
            ("address.country", "Country"),
            ("address.postCode", "Post code"),
            ("address.line1", "Address line 1"),
        ],
    ),
];

/// Lifecycle statuses of the ten employees, as HiBob's machine values: one of each kind that
/// "Everyone" leaves out, and one on leave.
const LIFECYCLE: &[(&str, u64)] = &[
    ("employed", 7),
    ("hired", 1),
    ("leave", 1),
    ("terminated", 1),
];

fn meta(category_id: &str, category_name: &str, id: &str, name: &str) -> FieldMeta {
    FieldMeta {
        id: id.to_string(),
        name: Some(name.to_string()),
        category_id: category_id.to_string(),
        category_name: category_name.to_string(),
        json_path: id.strip_prefix("root.").unwrap_or(id).to_string(),
    }
}

/// The tenant's field metadata: every field by ID, every category with its first fields.
pub fn catalog() -> FieldCatalog {
    let mut catalog = FieldCatalog::default();
    for (category_id, category_name, fields) in CATEGORIES {
        let all: Vec<FieldMeta> = fields
            .iter()
            .map(|(id, name)| meta(category_id, category_name, id, name))
            .collect();
        // What `check --excess` asks for: the first field that is not sensitive, else the first.
        let representative = all
            .iter()
            .find(|f| !sensitive_field(&f.id, f.name.as_deref()))
            .or(all.first())
            .cloned();
        catalog.categories.insert(
            category_id.to_string(),
            CategoryMeta {
                id: category_id.to_string(),
                name: category_name.to_string(),
                fields: all.len() as u64,
                samples: all.iter().take(SAMPLES_PER_CATEGORY).cloned().collect(),
                representative,
            },
        );
        for f in all {
            catalog.fields.insert(f.id.clone(), f);
        }
    }
    // `root.id` is in every tenant's metadata and needs no permission.
    catalog.total = catalog.fields.len() as u64 + 1;
    catalog
}

/// Present with a value for all ten employees.
pub fn readable() -> FieldCounts {
    FieldCounts {
        present: EMPLOYEES,
        absent: 0,
        empty: 0,
    }
}

/// Absent for all ten employees.
pub fn absent() -> FieldCounts {
    FieldCounts {
        present: 0,
        absent: EMPLOYEES,
        empty: 0,
    }
}

/// Present for `present` of the ten employees, absent for the others.
pub fn partly(present: u64) -> FieldCounts {
    FieldCounts {
        present,
        absent: EMPLOYEES - present,
        empty: 0,
    }
}

/// Present but null for all ten employees.
pub fn empty() -> FieldCounts {
    FieldCounts {
        present: EMPLOYEES,
        absent: 0,
        empty: EMPLOYEES,
    }
}

/// Present for all, with `empty` of them null.
pub fn some_empty(empty: u64) -> FieldCounts {
    FieldCounts {
        present: EMPLOYEES,
        absent: 0,
        empty,
    }
}

/// A refusal: 403, or 401 (which names a permission when `mentions_permission`).
pub fn refused<T>(status: u16, mentions_permission: bool) -> CallOutcome<T> {
    CallOutcome::Refused(Refusal {
        status,
        mentions_permission,
    })
}

/// A call that could not be completed, with the detail a probe would give.
pub fn failed<T>(kind: FailureKind, status: Option<u16>, detail: &str) -> CallOutcome<T> {
    CallOutcome::Failed(Failure {
        kind,
        status,
        detail: detail.to_string(),
    })
}

/// Who's out or out today: `count` absences, all of policy type Holiday.
pub fn outs(count: u64) -> TimeoffAnswer {
    TimeoffAnswer::Outs {
        count,
        policy_types: vec!["Holiday".to_string()],
    }
}

/// An employee table of `rows` rows, `other_rows` of them not current.
pub fn rows(rows: u64, other_rows: u64) -> TableAnswer {
    TableAnswer {
        rows,
        other_rows,
        ..TableAnswer::default()
    }
}

/// The endpoint a time-off probe names in reports.
pub fn timeoff_endpoint(probe: TimeoffProbe) -> &'static str {
    match probe {
        TimeoffProbe::PolicyTypes => "GET /timeoff/policy-types",
        TimeoffProbe::WhosOut => "GET /timeoff/whosout",
        TimeoffProbe::WhosOutPrivate => "GET /timeoff/whosout?includePrivate=true",
        TimeoffProbe::WhosOutPending => "GET /timeoff/whosout?includePending=true",
        TimeoffProbe::OutToday => "GET /timeoff/outtoday",
        TimeoffProbe::RequestChanges => "GET /timeoff/requests/changes",
        TimeoffProbe::Balance => "GET /timeoff/employees/{id}/balance",
    }
}

/// The categories (by ID) the rules read: those of their fields, Lifecycle when they check
/// lifecycle statuses, those they name as a whole and those whose section histories they read.
fn needed(rules: &Rules, catalog: &FieldCatalog) -> Vec<String> {
    let lifecycle = [field_ids::LIFECYCLE, field_ids::STATUS];
    let fields = rules
        .fields
        .iter()
        .map(|f| f.id.as_str())
        .chain(lifecycle.into_iter().filter(|_| rules.lifecycle.is_some()));
    let mut out: Vec<String> = fields
        .filter_map(|id| catalog.get(id))
        .map(|m| m.category_id.clone())
        .collect();
    let names = rules
        .categories
        .iter()
        .map(|c| c.name.as_str())
        .chain(rules.histories.iter().map(|h| h.table.category()));
    for name in names {
        out.extend(catalog.categories_named(name).iter().map(|c| c.id.clone()));
    }
    out
}

/// What the probes saw, built step by step.
pub struct Tenant {
    obs: Observations,
    /// Fields the search was not asked for, whatever the rules say.
    unasked: Vec<String>,
}

impl Tenant {
    /// The metadata and the people search answered; every field of the tenant came back with a
    /// value for all ten employees, with a mix of lifecycle statuses. No other probe ran.
    pub fn new() -> Self {
        let catalog = catalog();
        let mut fields: BTreeMap<String, FieldCounts> = catalog
            .fields
            .keys()
            .map(|id| (id.clone(), readable()))
            .collect();
        fields.insert(field_ids::ID.to_string(), readable());
        let people = PeopleCounts {
            employees: EMPLOYEES,
            fields,
            lifecycle: Vec::new(),
            statuses: BTreeMap::new(),
            sample_employee: Some("sample-employee".to_string()),
        };
        let obs = Observations {
            metadata: Observed {
                endpoint: METADATA.to_string(),
                outcome: CallOutcome::Answered(catalog),
            },
            people: Some(Observed {
                endpoint: SEARCH.to_string(),
                outcome: CallOutcome::Answered(people),
            }),
            timeoff: Vec::new(),
            tables: Vec::new(),
            docs: None,
            excess: false,
        };
        Tenant {
            obs,
            unasked: Vec::new(),
        }
        .lifecycle(LIFECYCLE)
        .statuses(&[("Active", EMPLOYEES - 2), ("Inactive", 2)])
    }

    fn people(&mut self) -> &mut PeopleCounts {
        match self.obs.people.as_mut().map(|p| &mut p.outcome) {
            Some(CallOutcome::Answered(p)) => p,
            _ => panic!("the scenario changes the people search's counts after it failed"),
        }
    }

    /// How one field came back.
    pub fn field(mut self, id: &str, counts: FieldCounts) -> Self {
        self.people().fields.insert(id.to_string(), counts);
        self
    }

    /// How several fields came back.
    pub fn fields(mut self, ids: &[&str], counts: FieldCounts) -> Self {
        for id in ids {
            self = self.field(id, counts);
        }
        self
    }

    /// The search was not asked for this field.
    pub fn unasked(mut self, id: &str) -> Self {
        self.unasked.push(id.to_string());
        self
    }

    /// Visible employees per lifecycle status (machine values, no label).
    pub fn lifecycle(mut self, counts: &[(&str, u64)]) -> Self {
        self.people().lifecycle = counts
            .iter()
            .map(|(value, n)| LifecycleCount {
                value: Some(value.to_string()),
                label: None,
                employees: *n,
            })
            .collect();
        self
    }

    /// One more lifecycle status with its human-readable label (a custom leave type).
    pub fn labelled_status(mut self, value: &str, label: &str, n: u64) -> Self {
        self.people().lifecycle.push(LifecycleCount {
            value: Some(value.to_string()),
            label: Some(label.to_string()),
            employees: n,
        });
        self
    }

    /// Visible employees per `internal.status` (`Active`, `Inactive`).
    pub fn statuses(mut self, counts: &[(&str, u64)]) -> Self {
        self.people().statuses = counts.iter().map(|(s, n)| (s.to_string(), *n)).collect();
        self
    }

    /// `check --excess`: the search also asks for one field of every category the rules do not
    /// need.
    pub fn excess(mut self) -> Self {
        self.obs.excess = true;
        self
    }

    /// What became of the metadata call. Unless it answered, nothing else was probed: the
    /// probes stop there, as they do against HiBob.
    pub fn metadata(mut self, outcome: CallOutcome<FieldCatalog>) -> Self {
        let answered = matches!(outcome, CallOutcome::Answered(_));
        self.obs.metadata.outcome = outcome;
        if !answered {
            self.obs.people = None;
            self.obs.timeoff.clear();
            self.obs.tables.clear();
            self.obs.docs = None;
        }
        self
    }

    /// What became of the people search.
    pub fn search(mut self, outcome: CallOutcome<PeopleCounts>) -> Self {
        self.obs.people = Some(Observed {
            endpoint: SEARCH.to_string(),
            outcome,
        });
        self
    }

    /// What became of one time-off call.
    pub fn timeoff(self, probe: TimeoffProbe, outcome: CallOutcome<TimeoffAnswer>) -> Self {
        self.timeoff_run(
            probe,
            ProbeRun::Ran(Observed {
                endpoint: timeoff_endpoint(probe).to_string(),
                outcome,
            }),
        )
    }

    /// One time-off probe that could not run, and why.
    pub fn timeoff_not_run(self, probe: TimeoffProbe, why: &str) -> Self {
        self.timeoff_run(probe, ProbeRun::NotRun(why.to_string()))
    }

    fn timeoff_run(mut self, probe: TimeoffProbe, run: ProbeRun<TimeoffAnswer>) -> Self {
        self.obs.timeoff.retain(|t| t.probe != probe);
        self.obs.timeoff.push(TimeoffObservation { probe, run });
        self
    }

    /// What became of one employee table's call.
    pub fn table(self, table: EmployeeTable, outcome: CallOutcome<TableAnswer>) -> Self {
        let endpoint = format!("GET /people/{{id}}/{}", table.segment());
        self.table_run(table, ProbeRun::Ran(Observed { endpoint, outcome }))
    }

    /// One employee table's call was not made, and why.
    pub fn table_not_run(self, table: EmployeeTable, why: &str) -> Self {
        self.table_run(table, ProbeRun::NotRun(why.to_string()))
    }

    fn table_run(mut self, table: EmployeeTable, run: ProbeRun<TableAnswer>) -> Self {
        self.obs.tables.retain(|t| t.table != table);
        self.obs.tables.push(TableObservation { table, run });
        self
    }

    /// What became of the docs call.
    pub fn docs(mut self, outcome: CallOutcome<DocsAnswer>) -> Self {
        self.obs.docs = Some(ProbeRun::Ran(Observed {
            endpoint: DOCS.to_string(),
            outcome,
        }));
        self
    }

    /// The observations, with field counts only for what the people search asks for under
    /// these rules: the employee ID, the lifecycle fields when needed, the rules' fields, the
    /// first fields of each category the rules name as a whole and, with `--excess`, one field
    /// of every category the rules do not read.
    pub fn build(mut self, rules: &Rules) -> Observations {
        let mut asked = vec![field_ids::ID.to_string()];
        let per_employee = !rules.histories.is_empty()
            || rules.docs.is_some()
            || rules
                .timeoff
                .as_ref()
                .is_some_and(|t| t.requires(TimeoffCapability::Balance));
        if rules.lifecycle.is_some() {
            asked.push(field_ids::LIFECYCLE.to_string());
        }
        if rules.lifecycle.is_some() || per_employee {
            asked.push(field_ids::STATUS.to_string());
        }
        asked.extend(rules.fields.iter().map(|f| f.id.clone()));
        if let CallOutcome::Answered(catalog) = &self.obs.metadata.outcome {
            for rule in &rules.categories {
                for c in catalog.categories_named(&rule.name) {
                    asked.extend(c.samples.iter().map(|s| s.id.clone()));
                }
            }
            if self.obs.excess {
                let extra: Vec<String> = catalog
                    .categories
                    .values()
                    .filter(|c| !needed(rules, catalog).contains(&c.id))
                    .filter_map(|c| c.representative.as_ref().map(|r| r.id.clone()))
                    .collect();
                asked.extend(extra);
            }
        }
        asked.retain(|id| !self.unasked.contains(id));
        if let Some(Observed {
            outcome: CallOutcome::Answered(people),
            ..
        }) = self.obs.people.as_mut()
        {
            people.fields.retain(|id, _| asked.contains(id));
        }
        self.obs
    }
}
