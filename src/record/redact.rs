//! Redaction: what of an answer may leave the machine.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Employee IDs and their pseudonyms, stable across one recording.
#[derive(Debug, Default)]
pub(super) struct Pseudonyms {
    map: BTreeMap<String, String>,
}

impl Pseudonyms {
    pub(super) fn of(&mut self, id: &str) -> String {
        let next = self.map.len() + 1;
        self.map
            .entry(id.to_string())
            .or_insert_with(|| format!("employee-{next:04}"))
            .clone()
    }

    /// Replaces the employee ID where the route says `{id}` (`/people/{id}/work`); a path
    /// without a route is kept.
    pub(super) fn by_route(&mut self, path: &str, route: Option<&str>) -> String {
        let Some(route) = route.filter(|r| r.contains("{id}")) else {
            return path.to_string();
        };
        let holes: Vec<bool> = route.split('/').map(|s| s == "{id}").collect();
        path.split('/')
            .enumerate()
            .map(|(i, part)| {
                if holes.get(i).copied().unwrap_or(false) && !part.is_empty() {
                    self.of(part)
                } else {
                    part.to_string()
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }
}

/// Any value as a type marker; objects keep their keys, arrays their length, null and empty
/// strings stay what they are (they carry "readable, no data").
pub(super) fn marker(value: &Value) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::Bool(_) => Value::String("<bool>".into()),
        Value::Number(_) => Value::String("<number>".into()),
        Value::String(s) if s.is_empty() => Value::String(String::new()),
        Value::String(_) => Value::String("<text>".into()),
        Value::Array(items) => Value::Array(items.iter().map(marker).collect()),
        Value::Object(map) => {
            Value::Object(map.iter().map(|(k, v)| (k.clone(), marker(v))).collect())
        }
    }
}

fn id_value(value: &Value, ids: &mut Pseudonyms) -> Value {
    match value {
        Value::String(s) if !s.is_empty() => Value::String(ids.of(s)),
        Value::Number(n) => Value::String(ids.of(&n.to_string())),
        other => marker(other),
    }
}

/// One people record: the ID pseudonymized, lifecycle labels kept, everything else marked.
fn record(value: &Value, ids: &mut Pseudonyms) -> Value {
    let Value::Object(map) = value else {
        return marker(value);
    };
    let mut out = Map::new();
    for (k, v) in map {
        let redacted = match (k.as_str(), v) {
            ("id", _) => id_value(v, ids),
            ("/root/id", Value::Object(inner)) => Value::Object(
                inner
                    .iter()
                    .map(|(ik, iv)| {
                        (
                            ik.clone(),
                            if ik == "value" {
                                id_value(iv, ids)
                            } else {
                                marker(iv)
                            },
                        )
                    })
                    .collect(),
            ),
            ("/internal/lifecycleStatus" | "/internal/status", _) => v.clone(),
            ("internal", Value::Object(inner)) => Value::Object(
                inner
                    .iter()
                    .map(|(ik, iv)| {
                        let keep =
                            matches!(ik.as_str(), "lifecycleStatus" | "status") && iv.is_string();
                        (ik.clone(), if keep { iv.clone() } else { marker(iv) })
                    })
                    .collect(),
            ),
            ("humanReadable", Value::Object(_)) => record(v, ids),
            _ => marker(v),
        };
        out.insert(k.clone(), redacted);
    }
    Value::Object(out)
}

/// An object whose listed keys are kept, `employeeId` pseudonymized, the rest marked.
fn entry(value: &Value, keep: &[&str], ids: &mut Pseudonyms) -> Value {
    let Value::Object(map) = value else {
        return marker(value);
    };
    Value::Object(
        map.iter()
            .map(|(k, v)| {
                let redacted = if k == "employeeId" {
                    id_value(v, ids)
                } else if keep.contains(&k.as_str()) && !v.is_object() && !v.is_array() {
                    v.clone()
                } else {
                    marker(v)
                };
                (k.clone(), redacted)
            })
            .collect(),
    )
}

/// A list under `key` whose entries are redacted with `each`; other top-level keys marked.
fn listed(
    value: &Value,
    key: &str,
    ids: &mut Pseudonyms,
    each: &dyn Fn(&Value, &mut Pseudonyms) -> Value,
) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| {
                    let redacted = match v {
                        Value::Array(items) if k == key => {
                            Value::Array(items.iter().map(|i| each(i, ids)).collect())
                        }
                        _ => marker(v),
                    };
                    (k.clone(), redacted)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|i| each(i, ids)).collect()),
        other => marker(other),
    }
}

/// Redacts an answer's JSON by the endpoint it came from.
pub(super) fn answer(path: &str, value: &Value, ids: &mut Pseudonyms) -> Value {
    match path {
        // Company settings, no employee data.
        "/company/people/fields" | "/timeoff/policy-types" => value.clone(),
        "/people/search" => listed(value, "employees", ids, &record),
        "/timeoff/whosout" | "/timeoff/outtoday" => listed(value, "outs", ids, &|v, ids| {
            entry(
                v,
                &["policyTypeDisplayName", "type", "status", "visibility"],
                ids,
            )
        }),
        "/timeoff/requests/changes" => listed(value, "changes", ids, &|v, ids| {
            entry(v, &["changeType", "policyTypeDisplayName"], ids)
        }),
        // Documents keep the folder they name (a company setting), never a name or link.
        "/docs/people/{id}" => listed(value, "documents", ids, &|v, ids| {
            entry(v, &["folder", "folderName", "folderId", "folderType"], ids)
        }),
        p if p.starts_with("/people/{id}/") => table(value, ids),
        _ => marker(value),
    }
}

/// An employee table: rows keep whether they are current; the withheld columns' names (field
/// IDs) are kept; every value is marked.
fn table(value: &Value, ids: &mut Pseudonyms) -> Value {
    let Value::Object(map) = value else {
        return marker(value);
    };
    Value::Object(
        map.iter()
            .map(|(k, v)| {
                let redacted = match (k.as_str(), v) {
                    ("values", Value::Array(rows)) => {
                        Value::Array(rows.iter().map(|r| entry(r, &["isCurrent"], ids)).collect())
                    }
                    ("restricted_columns", Value::Object(_)) => v.clone(),
                    _ => marker(v),
                };
                (k.clone(), redacted)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn people_keep_presence_nulls_and_labels_only() {
        let mut ids = Pseudonyms::default();
        let body = json!({"employees": [{
            "id": "3332883884017713238", "email": "jane@example.com", "firstName": "",
            "work": {"title": "Engineer", "employeeIdInCompany": null, "fte": 0.8, "remote": true},
            "internal": {"lifecycleStatus": "employed", "status": "Active", "terminationDate": "2026-01-01"},
            "/root/id": {"value": "3332883884017713238"}, "/work/title": {"value": "Engineer"},
            "humanReadable": {"internal": {"lifecycleStatus": "Employed"}, "work": {"title": "Engineer"}}
        }]});
        let r = answer("/people/search", &body, &mut ids);
        assert_eq!(
            r,
            json!({"employees": [{
                "id": "employee-0001", "email": "<text>", "firstName": "",
                "work": {"title": "<text>", "employeeIdInCompany": null, "fte": "<number>", "remote": "<bool>"},
                "internal": {"lifecycleStatus": "employed", "status": "Active", "terminationDate": "<text>"},
                "/root/id": {"value": "employee-0001"}, "/work/title": {"value": "<text>"},
                "humanReadable": {"internal": {"lifecycleStatus": "Employed"}, "work": {"title": "<text>"}}
            }]})
        );
    }

    #[test]
    fn ids_are_stable_across_calls_and_paths() {
        let mut ids = Pseudonyms::default();
        let outs = json!({"outs": [{"employeeId": "42", "employeeDisplayName": "Jane", "policyTypeDisplayName": "Holiday", "startDate": "2026-11-27"}]});
        let r = answer("/timeoff/whosout", &outs, &mut ids);
        assert_eq!(
            r,
            json!({"outs": [{"employeeId": "employee-0001", "employeeDisplayName": "<text>", "policyTypeDisplayName": "Holiday", "startDate": "<text>"}]})
        );
        assert_eq!(
            ids.by_route(
                "/timeoff/employees/42/balance",
                Some("/timeoff/employees/{id}/balance")
            ),
            "/timeoff/employees/employee-0001/balance"
        );
        assert_eq!(
            ids.by_route(
                "/timeoff/employees/7/balance",
                Some("/timeoff/employees/{id}/balance")
            ),
            "/timeoff/employees/employee-0002/balance"
        );
    }

    #[test]
    fn tables_keep_current_flags_and_docs_their_folders_only() {
        let mut ids = Pseudonyms::default();
        let t = answer(
            "/people/{id}/work",
            &json!({"values": [{"id": 1, "isCurrent": false, "title": "Engineer"}],
                    "restricted_columns": {"no_view_history_permission": ["work.title"]}}),
            &mut ids,
        );
        assert_eq!(
            t,
            json!({"values": [{"id": "<number>", "isCurrent": false, "title": "<text>"}],
                   "restricted_columns": {"no_view_history_permission": ["work.title"]}})
        );
        let d = answer(
            "/docs/people/{id}",
            &json!({"documents": [{"documentName": "Jane.pdf", "downloadLink": "https://x", "folder": "Shared"}]}),
            &mut ids,
        );
        assert_eq!(
            d,
            json!({"documents": [{"documentName": "<text>", "downloadLink": "<text>", "folder": "Shared"}]})
        );
        assert_eq!(
            ids.by_route("/people/42/work", Some("/people/{id}/work")),
            "/people/employee-0001/work"
        );
        assert_eq!(ids.by_route("/people/search", None), "/people/search");
    }

    #[test]
    fn balances_and_unknown_answers_are_all_markers() {
        let mut ids = Pseudonyms::default();
        let r = answer(
            "/timeoff/employees/{id}/balance",
            &json!({"employeeId": "1", "totalBalanceAsOfDate": 12.5}),
            &mut ids,
        );
        assert_eq!(
            r,
            json!({"employeeId": "<text>", "totalBalanceAsOfDate": "<number>"})
        );
    }
}
