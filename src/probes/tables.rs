//! Employee tables: `GET /people/{id}/work`, `/employment`, `/lifecycle`, `/salaries` for one
//! visible employee. With "View selected employees' X sections" HiBob returns the current row
//! only; with "X section histories" every row. The answer is read as a stream into counts:
//! rows, rows that are not current, and the columns field-level permissions withhold.

use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::client::ApiRequest;
use crate::client::body::DecodeError;
use crate::client::url::encode_component;
use crate::observations::{EmployeeTable, TableAnswer};

/// Column names kept of `restricted_columns`, at most, and their length.
const MAX_COLUMNS: usize = 100;
const MAX_COLUMN_LEN: usize = 200;

/// The table endpoint as reports name it: the employee ID never leaves the request.
pub fn route(table: EmployeeTable) -> String {
    format!("/people/{{id}}/{}", table.segment())
}

/// The request for one employee's table; `None` shows the placeholder (for `--plan`).
pub fn request(table: EmployeeTable, employee: Option<&str>) -> ApiRequest {
    let mut r = ApiRequest::get(&format!(
        "/people/{}/{}",
        employee.map_or_else(|| "{id}".to_string(), encode_component),
        table.segment()
    ));
    r.route = Some(route(table));
    r
}

pub fn purpose(table: EmployeeTable) -> String {
    format!(
        "one employee's {} table: more than one row proves \"View selected employees' {} section histories\"",
        table.category(),
        table.category()
    )
}

/// Decodes `{"values": [rows], "restricted_columns": {...}}` without keeping a value.
pub fn decode(body: &mut dyn Read) -> Result<TableAnswer, DecodeError> {
    let Some(mut reader) = crate::client::body::non_blank(body)? else {
        return Ok(TableAnswer {
            empty: true,
            ..TableAnswer::default()
        });
    };
    let mut de = serde_json::Deserializer::from_reader(&mut reader);
    let answer = Top
        .deserialize(&mut de)
        .and_then(|a| de.end().map(|()| a))
        .map_err(|e| DecodeError::from_json(&e))?;
    Ok(answer)
}

struct Top;

impl<'de> DeserializeSeed<'de> for Top {
    type Value = TableAnswer;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<TableAnswer, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top {
    type Value = TableAnswer;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an employee table")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TableAnswer, A::Error> {
        let mut answer = TableAnswer {
            empty: true,
            ..TableAnswer::default()
        };
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "values" => {
                    let (rows, other) = map.next_value::<Rows>()?.0;
                    answer.rows = rows;
                    answer.other_rows = other;
                    answer.empty = false;
                }
                "restricted_columns" => {
                    let r = map.next_value::<Restricted>()?;
                    answer.restricted_history = r.history;
                    answer.restricted_view = r.view;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(answer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TableAnswer, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(TableAnswer {
            empty: true,
            ..TableAnswer::default()
        })
    }
}

/// The rows: how many, and how many are not the current one.
struct Rows((u64, u64));

impl<'de> de::Deserialize<'de> for Rows {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RowsVisitor)
    }
}

struct RowsVisitor;

impl<'de> Visitor<'de> for RowsVisitor {
    type Value = Rows;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Rows, A::Error> {
        let (mut rows, mut other) = (0u64, 0u64);
        while let Some(current) = seq.next_element::<IsCurrent>()? {
            rows += 1;
            if current.0 == Some(false) {
                other += 1;
            }
        }
        Ok(Rows((rows, other)))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Rows, E> {
        Ok(Rows((0, 0)))
    }
}

/// A row's `isCurrent`, when it says.
struct IsCurrent(Option<bool>);

impl<'de> de::Deserialize<'de> for IsCurrent {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(IsCurrentVisitor)
    }
}

struct IsCurrentVisitor;

impl<'de> Visitor<'de> for IsCurrentVisitor {
    type Value = IsCurrent;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<IsCurrent, A::Error> {
        let mut current = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "isCurrent" {
                current = map.next_value::<Option<IgnoredBool>>()?.and_then(|b| b.0);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(IsCurrent(current))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<IsCurrent, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(IsCurrent(None))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<IsCurrent, E> {
        Ok(IsCurrent(None))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<IsCurrent, E> {
        Ok(IsCurrent(None))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<IsCurrent, E> {
        Ok(IsCurrent(None))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<IsCurrent, E> {
        Ok(IsCurrent(None))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<IsCurrent, E> {
        Ok(IsCurrent(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<IsCurrent, E> {
        Ok(IsCurrent(None))
    }
}

/// A boolean, or `None` for anything else.
struct IgnoredBool(Option<bool>);

impl<'de> de::Deserialize<'de> for IgnoredBool {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = d.deserialize_any(IgnoredBoolVisitor)?;
        Ok(IgnoredBool(v))
    }
}

struct IgnoredBoolVisitor;

impl<'de> Visitor<'de> for IgnoredBoolVisitor {
    type Value = Option<bool>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a boolean")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<bool>, E> {
        Ok(Some(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<bool>, E> {
        Ok(match v {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<bool>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Option<bool>, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Option<bool>, E> {
        Ok(None)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Option<bool>, E> {
        Ok(None)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Option<bool>, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Option<bool>, E> {
        Ok(None)
    }
}

/// `restricted_columns`: the names of the columns field-level permissions withhold (table
/// column names such as `department`, never values), bounded.
#[derive(Default)]
struct Restricted {
    history: Vec<String>,
    view: Vec<String>,
}

impl<'de> de::Deserialize<'de> for Restricted {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RestrictedVisitor)
    }
}

struct RestrictedVisitor;

impl<'de> Visitor<'de> for RestrictedVisitor {
    type Value = Restricted;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("restricted columns")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Restricted, A::Error> {
        let mut r = Restricted::default();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "no_view_history_permission" => r.history = map.next_value::<Names>()?.0,
                "no_view_permission" => r.view = map.next_value::<Names>()?.0,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(r)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Restricted, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Restricted::default())
    }
    fn visit_unit<E: de::Error>(self) -> Result<Restricted, E> {
        Ok(Restricted::default())
    }
}

/// A list of names, at most [`MAX_COLUMNS`] of at most [`MAX_COLUMN_LEN`] characters.
pub(super) struct Names(pub(super) Vec<String>);

impl<'de> de::Deserialize<'de> for Names {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NamesVisitor)
    }
}

struct NamesVisitor;

impl<'de> Visitor<'de> for NamesVisitor {
    type Value = Names;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of names")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Names, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<serde_json::Value>()? {
            if let Some(s) = v.as_str()
                && out.len() < MAX_COLUMNS
            {
                out.push(s.chars().take(MAX_COLUMN_LEN).collect());
            }
        }
        Ok(Names(out))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Names, E> {
        Ok(Names(Vec::new()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> TableAnswer {
        decode(&mut body.as_bytes()).unwrap_or_else(|e| panic!("{}", e.message))
    }

    #[test]
    fn rows_and_other_rows_are_counted_without_values() {
        let a = read(
            r#"{"values":[{"id":1,"isCurrent":false,"title":"SENTINEL"},{"id":2,"isCurrent":true},{"id":3}]}"#,
        );
        assert_eq!((a.rows, a.other_rows, a.empty), (3, 1, false));
        assert_eq!(read(r#"{"values":[]}"#).rows, 0);
        assert!(read("").empty);
        assert!(read(r#"{"other":1}"#).empty);
    }

    #[test]
    fn restricted_columns_are_named() {
        let a = read(
            r#"{"values":[{"isCurrent":true}],"restricted_columns":{"no_view_permission":[],"no_view_history_permission":["work.title"]}}"#,
        );
        assert_eq!(a.restricted_history, ["work.title"]);
        assert!(a.restricted_view.is_empty());
    }

    #[test]
    fn malformed_tables_are_errors() {
        assert!(decode(&mut &b"{\"values\":[{\"isCurrent\":"[..]).is_err());
    }
}
