//! `hibob-audit demo`: the same pipeline against an embedded sample tenant. No credentials,
//! no network. The tenant answers as HiBob does, omissions included. Its permission group:
//! - grants Basic info, Work, Work contact details and Lifecycle, while an admin has moved the
//!   employee number (`work.employeeIdInCompany`) into a custom category, "Employee
//!   identifiers", that the group does not grant;
//! - selects people by a condition without Terminated;
//! - grants "See who's out" but not balances, nor Features > Time off > Settings;
//! - grants the Work and Lifecycle section histories, and the Shared docs folder only.

use std::io::Cursor;
use std::time::Duration;

use serde_json::{Map, Value, json};

use crate::client::{ApiRequest, ApiResponse, HiBobApi, Method, TransportError};

const FIELDS: &str = include_str!("fields.json");

/// Categories the sample permission group can read.
const GRANTED: &[&str] = &["root", "work", "workContact", "lifecycle"];

const FIRST: &[&str] = &[
    "Avery", "Blake", "Casey", "Drew", "Emery", "Finley", "Gray", "Harper", "Indy", "Jules", "Kai",
    "Lane",
];
const TITLES: &[&str] = &["Engineer", "Designer", "Analyst", "Recruiter"];
const DEPARTMENTS: &[&str] = &["Engineering", "Design", "Finance", "People"];

pub struct SampleTenant {
    /// (field ID, category ID, JSON path)
    fields: Vec<(String, String, String)>,
    employees: Vec<Map<String, Value>>,
}

/// The embedded catalogue (src/demo/fields.json) is broken: a bug in this build, said
/// rather than run as a demo with no fields.
#[derive(Debug, thiserror::Error)]
#[error(
    "the sample tenant's embedded field catalogue is broken ({0}); this is a bug in this build of hibob-audit, please report it"
)]
pub struct DemoError(String);

impl SampleTenant {
    pub fn new() -> Result<Self, DemoError> {
        let meta: Vec<Value> =
            serde_json::from_str(FIELDS).map_err(|e| DemoError(e.to_string()))?;
        let fields = meta
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let text = |key: &str| {
                    f.get(key)
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .ok_or_else(|| DemoError(format!("entry {i} has no string `{key}`")))
                };
                Ok((text("id")?, text("categoryId")?, text("jsonPath")?))
            })
            .collect::<Result<_, DemoError>>()?;
        Ok(SampleTenant {
            fields,
            employees: (0..24).map(employee).collect(),
        })
    }

    fn search(&self, body: Option<&Value>) -> Value {
        let requested: Vec<&str> = body
            .and_then(|b| b.get("fields"))
            .and_then(Value::as_array)
            .map(|a| a.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let employees: Vec<Value> = self
            .employees
            .iter()
            .map(|e| {
                let mut record = Map::new();
                let mut human = Map::new();
                for id in &requested {
                    let Some((_, category, path)) = self.fields.iter().find(|(f, _, _)| f == id)
                    else {
                        continue; // unknown field: silently left out
                    };
                    if !GRANTED.contains(&category.as_str()) {
                        continue; // category not granted: silently left out
                    }
                    let value = e.get(*id).cloned().unwrap_or(Value::Null);
                    if !value.is_null() {
                        record.insert(
                            format!("/{}", id.replace('.', "/")),
                            json!({ "value": value }),
                        );
                        insert_path(&mut human, path, value.clone());
                    }
                    insert_path(&mut record, path, value);
                }
                record.insert("humanReadable".into(), Value::Object(human));
                Value::Object(record)
            })
            .collect();
        json!({ "employees": employees })
    }
}

fn insert_path(map: &mut Map<String, Value>, path: &str, value: Value) {
    let mut keys = path.split('.').peekable();
    let mut current = map;
    while let Some(key) = keys.next() {
        if keys.peek().is_none() {
            current.insert(key.to_string(), value);
            return;
        }
        let entry = current
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if !entry.is_object() {
            *entry = Value::Object(Map::new());
        }
        let Value::Object(next) = entry else { return };
        current = next;
    }
}

/// A made-up employee; every value is fictional.
fn employee(i: usize) -> Map<String, Value> {
    let first = FIRST[i % FIRST.len()];
    let surname = if i < FIRST.len() { "Example" } else { "Sample" };
    let status = match i {
        0 | 1 => "hired",
        2 => "parental leave",
        _ => "employed",
    };
    let mut m = Map::new();
    let mut put = |k: &str, v: Value| {
        m.insert(k.to_string(), v);
    };
    put(
        "root.id",
        json!(format!("{}", 3_332_883_884_017_713_200u64 + i as u64)),
    );
    put("root.firstName", json!(first));
    put("root.surname", json!(surname));
    put("root.displayName", json!(format!("{first} {surname}")));
    put("root.fullName", json!(format!("{first} {surname}")));
    put(
        "root.email",
        json!(format!(
            "{}.{}@example.com",
            first.to_lowercase(),
            surname.to_lowercase()
        )),
    );
    put("work.title", json!(TITLES[i % TITLES.len()]));
    put("work.department", json!(DEPARTMENTS[i % DEPARTMENTS.len()]));
    put("work.site", json!("Remote"));
    put(
        "work.startDate",
        json!(format!("20{:02}-0{}-01", 18 + i % 8, 1 + i % 9)),
    );
    put("work.employeeIdInCompany", json!(format!("E{}", 1000 + i)));
    put(
        "work.reportsTo",
        if i == 0 {
            Value::Null
        } else {
            json!("3332883884017713200")
        },
    );
    put(
        "work.manager",
        if i == 0 {
            Value::Null
        } else {
            json!("3332883884017713200")
        },
    );
    put("work.workPhone", Value::Null);
    put("work.workMobile", Value::Null);
    put("payroll.employment.type", json!("Full-time"));
    put("internal.lifecycleStatus", json!(status));
    put(
        "internal.status",
        json!(if status == "hired" {
            "Inactive"
        } else {
            "Active"
        }),
    );
    put("internal.terminationDate", Value::Null);
    m
}

/// A table of `n` rows, the last one current; every value fictional.
fn rows(n: usize) -> Vec<u8> {
    let rows: Vec<Value> = (0..n)
        .map(|i| json!({ "id": i, "isCurrent": i + 1 == n, "effectiveDate": format!("202{i}-01-01") }))
        .collect();
    json!({ "values": rows }).to_string().into_bytes()
}

impl HiBobApi for SampleTenant {
    fn target(&self) -> String {
        "embedded sample tenant (demo)".to_string()
    }

    fn send(
        &self,
        request: &ApiRequest,
        _timeout: Duration,
    ) -> Result<ApiResponse, TransportError> {
        let forbidden = (403, br#"{"error":"Forbidden"}"#.to_vec());
        let flag = |name: &str| request.query.iter().any(|(k, v)| k == name && v == "true");
        let out = |policy: &str| json!({ "employeeId": "3332883884017713205", "policyTypeDisplayName": policy });
        let (status, body) = match (request.method, request.path.as_str()) {
            (Method::Get, "/company/people/fields") => (200, FIELDS.as_bytes().to_vec()),
            (Method::Post, "/people/search") => (
                200,
                self.search(request.body.as_ref()).to_string().into_bytes(),
            ),
            (Method::Get, "/timeoff/policy-types") => forbidden,
            (Method::Get, "/timeoff/whosout") => {
                let mut outs = vec![out("Holiday"), out("Sick")];
                if flag("includePending") {
                    outs.push(out("Holiday"));
                }
                (200, json!({ "outs": outs }).to_string().into_bytes())
            }
            (Method::Get, "/timeoff/outtoday") => (
                200,
                json!({ "outs": [out("Holiday")] }).to_string().into_bytes(),
            ),
            (Method::Get, "/timeoff/requests/changes") => (
                200,
                json!({ "changes": [{ "changeType": "Created", "requestId": 1 }] })
                    .to_string()
                    .into_bytes(),
            ),
            (Method::Get, p) if p.starts_with("/timeoff/employees/") && p.ends_with("/balance") => {
                forbidden
            }
            (Method::Get, p) if p.starts_with("/docs/people/") => (
                200,
                json!({ "documents": [
                    { "documentName": "Offer letter.pdf", "folder": "Shared" },
                    { "documentName": "Handbook.pdf", "folder": "Shared" },
                ] })
                .to_string()
                .into_bytes(),
            ),
            (Method::Get, p) if p.starts_with("/people/") && p.matches('/').count() == 3 => {
                match p.rsplit('/').next() {
                    // Sections and histories granted: every row.
                    Some("work" | "lifecycle") => (200, rows(3)),
                    // The category is not granted at all: refused.
                    _ => forbidden,
                }
            }
            _ => (404, br#"{"error":"not found"}"#.to_vec()),
        };
        Ok(ApiResponse {
            status,
            content_type: Some("application/json".into()),
            headers: Vec::new(),
            body: Box::new(Cursor::new(body)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalogue is embedded at build time: a broken one fails here, not in a user's demo.
    #[test]
    fn the_embedded_catalogue_loads_whole() {
        let tenant = SampleTenant::new().expect("the embedded catalogue");
        let entries: Vec<Value> = serde_json::from_str(FIELDS).expect("JSON");
        assert_eq!(tenant.fields.len(), entries.len());
        assert!(tenant.fields.iter().any(|(id, _, _)| id == "root.email"));
    }
}
