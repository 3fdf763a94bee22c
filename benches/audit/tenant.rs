//! The fake tenant's answers, prepared in memory before any timing.

use serde_json::{Map, Value, json};

/// HiBob's out-of-the-box fields the activtrak profile reads, with their categories and paths.
const FIELDS: &[(&str, &str, &str, &str)] = &[
    ("root.id", "root", "Basic info", "id"),
    ("root.firstName", "root", "Basic info", "firstName"),
    ("root.surname", "root", "Basic info", "surname"),
    ("root.displayName", "root", "Basic info", "displayName"),
    ("root.email", "root", "Basic info", "email"),
    ("work.title", "work", "Work", "work.title"),
    ("work.department", "work", "Work", "work.department"),
    (
        "work.employeeIdInCompany",
        "work",
        "Work",
        "work.employeeIdInCompany",
    ),
    ("work.startDate", "work", "Work", "work.startDate"),
    (
        "work.workPhone",
        "workContact",
        "Work contact details",
        "work.workPhone",
    ),
    (
        "internal.lifecycleStatus",
        "lifecycle",
        "Lifecycle",
        "internal.lifecycleStatus",
    ),
    (
        "internal.status",
        "lifecycle",
        "Lifecycle",
        "internal.status",
    ),
    (
        "internal.terminationDate",
        "lifecycle",
        "Lifecycle",
        "internal.terminationDate",
    ),
];

/// For `check --excess`: the categories a tenant has beyond the ones above, as the fake HiBob of
/// the tests has them (About, Address, EEO, ...), two fields each, the first of which is the one
/// `--excess` asks for (not sensitive where the category has such a field), with a value of a
/// typical length. Work contact details (above) is extra for activtrak too.
pub const EXTRA: &[(&str, &str, [&str; 2], &str)] = &[
    (
        "about",
        "About",
        ["about.about", "about.hobbies"],
        "Likes hiking and",
    ),
    (
        "address",
        "Address",
        ["address.city", "address.country"],
        "Springfield",
    ),
    (
        "eeo",
        "EEO",
        ["eeo.jobCategory", "eeo.ethnicity"],
        "Professionals",
    ),
    (
        "emergency",
        "Emergency",
        ["emergency.contactName", "emergency.phone"],
        "Alex Example",
    ),
    (
        "employment",
        "Employment",
        ["payroll.employment.contract", "payroll.employment.type"],
        "Permanent",
    ),
    (
        "home",
        "Home",
        ["home.maritalStatus", "home.gender"],
        "Married",
    ),
    (
        "identification",
        "Identification",
        ["identification.ssn", "identification.passport"],
        "123-45-6789",
    ),
    (
        "jobsCatalog",
        "Jobs",
        ["employee.jobProfileId", "jobs.level"],
        "2711468283",
    ),
    (
        "payroll",
        "Payroll",
        ["payroll.salary.base", "payroll.salary.currency"],
        "68000",
    ),
    (
        "peopleAnalytics",
        "People analytics",
        [
            "peopleAnalytics.lowRiskCounter",
            "peopleAnalytics.atRiskCounter",
        ],
        "3",
    ),
    (
        "personal",
        "Personal",
        ["personal.nationality", "personal.birthDate"],
        "British",
    ),
    (
        "personalContact",
        "Personal contact details",
        ["home.privateEmail", "home.mobilePhone"],
        "alex@example.org",
    ),
    (
        "training",
        "Training",
        ["training.course", "training.completed"],
        "Onboarding",
    ),
    (
        "userData",
        "User data",
        ["userData.username", "userData.locale"],
        "alex.example",
    ),
    (
        "workEligibility",
        "Work eligibility",
        ["workEligibility.visa", "workEligibility.expiry"],
        "Tier 2",
    ),
];

/// The fields the activtrak profile's search asks for.
pub const REQUESTED: &[&str] = &[
    "root.id",
    "internal.lifecycleStatus",
    "internal.status",
    "root.firstName",
    "root.surname",
    "work.employeeIdInCompany",
    "root.email",
];

pub struct Tenant {
    pub metadata: Vec<u8>,
    pub search: Vec<u8>,
    pub policy_types: Vec<u8>,
    pub whosout: Vec<u8>,
    pub changes: Vec<u8>,
    pub balance: Vec<u8>,
    /// An employee table (`/people/{id}/work` and the like): two rows.
    pub table: Vec<u8>,
    /// An employee's documents: one, in a folder.
    pub docs: Vec<u8>,
}

fn insert(map: &mut Map<String, Value>, path: &str, value: Value) {
    match path.split_once('.') {
        None => {
            map.insert(path.into(), value);
        }
        Some((head, rest)) => {
            if let Value::Object(inner) = map.entry(head).or_insert_with(|| json!({})) {
                insert(inner, rest, value);
            }
        }
    }
}

pub fn tenant(n: usize) -> Tenant {
    tenant_with(n, false)
}

/// With `excess`, the metadata also lists the [`EXTRA`] categories, and the search answers the
/// activtrak fields plus what `check --excess` asks for: one field of every other category
/// (Work contact details' `work.workPhone` and each first field of [`EXTRA`]).
pub fn tenant_with(n: usize, excess: bool) -> Tenant {
    let mut fields: Vec<(String, String, String, String)> = FIELDS
        .iter()
        .map(|(id, cat, name, path)| {
            (
                id.to_string(),
                cat.to_string(),
                name.to_string(),
                path.to_string(),
            )
        })
        .collect();
    let mut requested: Vec<&str> = REQUESTED.to_vec();
    if excess {
        for (cat, name, ids, _) in EXTRA {
            for id in ids {
                fields.push((
                    id.to_string(),
                    cat.to_string(),
                    name.to_string(),
                    id.to_string(),
                ));
            }
        }
        requested.push("work.workPhone");
        requested.extend(EXTRA.iter().map(|(_, _, ids, _)| ids[0]));
    }
    let metadata: Vec<Value> = fields
        .iter()
        .map(|(id, cat, name, path)| {
            json!({"id": id, "category": cat, "categoryId": cat, "categoryDisplayName": name,
                   "name": id, "description": null, "jsonPath": path, "type": "text",
                   "typeData": {}, "historical": false})
        })
        .collect();
    let statuses = [
        "employed",
        "employed",
        "employed",
        "hired",
        "terminated",
        "leave",
    ];
    let employees: Vec<Value> = (0..n)
        .map(|i| {
            let lifecycle = statuses[i % statuses.len()];
            let mut rec = Map::new();
            let mut human = Map::new();
            for field in &requested {
                let path = fields
                    .iter()
                    .find(|f| f.0 == *field)
                    .map(|f| f.3.as_str())
                    .unwrap_or_default();
                let extra = EXTRA
                    .iter()
                    .find(|(_, _, ids, _)| ids[0] == *field)
                    .map(|(_, _, _, value)| *value);
                let value = match *field {
                    _ if extra.is_some() => json!(extra.unwrap_or_default()),
                    "work.workPhone" => json!(format!("+44 20 7946 {:04}", i % 10_000)),
                    "root.id" => json!(format!("3332883884{:09}", i)),
                    "internal.lifecycleStatus" => json!(lifecycle),
                    "internal.status" => json!(if matches!(lifecycle, "hired" | "terminated") {
                        "Inactive"
                    } else {
                        "Active"
                    }),
                    "work.employeeIdInCompany" if i % 10 == 0 => Value::Null,
                    "root.firstName" => json!(format!("First{i}")),
                    "root.surname" => json!(format!("Surname{i}")),
                    "root.email" => json!(format!("person{i}@example.com")),
                    _ => json!(format!("E{i:06}")),
                };
                if !value.is_null() {
                    rec.insert(
                        format!("/{}", field.replace('.', "/")),
                        json!({ "value": value }),
                    );
                    let label = if *field == "internal.lifecycleStatus" {
                        json!(format!(
                            "{}{}",
                            lifecycle[..1].to_uppercase(),
                            &lifecycle[1..]
                        ))
                    } else {
                        value.clone()
                    };
                    insert(&mut human, path, label);
                }
                insert(&mut rec, path, value);
            }
            rec.insert("humanReadable".into(), Value::Object(human));
            Value::Object(rec)
        })
        .collect();
    Tenant {
        metadata: Value::Array(metadata).to_string().into_bytes(),
        search: json!({ "employees": employees }).to_string().into_bytes(),
        policy_types: br#"{"policyTypes":["Holiday","Sick"]}"#.to_vec(),
        whosout: json!({"outs": (0..n / 100).map(|i| json!({"employeeId": format!("3332883884{:09}", i),
            "employeeDisplayName": format!("First{i}"), "policyTypeDisplayName": "Holiday", "type": "days",
            "startDate": "2026-11-27", "endDate": "2026-11-28", "status": "approved"})).collect::<Vec<_>>()})
        .to_string()
        .into_bytes(),
        changes: json!({"changes": (0..n / 50).map(|i| json!({"changeType": "Created", "requestId": i,
            "employeeId": format!("3332883884{:09}", i), "policyTypeDisplayName": "Holiday"})).collect::<Vec<_>>()})
        .to_string()
        .into_bytes(),
        balance: br#"{"employeeId":"1","policy":"Holiday","totalBalanceAsOfDate":12.5,"annualAllowance":25}"#.to_vec(),
        table: br#"{"values":[{"id":1,"isCurrent":false},{"id":2,"isCurrent":true}]}"#.to_vec(),
        docs: br#"{"documents":[{"id":1,"name":"contract.pdf","folderName":"Contracts"}]}"#.to_vec(),
    }
}
