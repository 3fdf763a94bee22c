//! `GET /company/people/fields`: needs no permission, proves host and credentials, and maps
//! every field ID to its category and JSON path in this tenant.

use std::collections::BTreeSet;
use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::client::ApiRequest;
use crate::client::body::DecodeError;
use crate::observations::{
    CategoryMeta, FieldCatalog, FieldMeta, MAX_CATEGORIES, SAMPLES_PER_CATEGORY, field_ids,
};

pub const PATH: &str = "/company/people/fields";

pub fn request() -> ApiRequest {
    ApiRequest::get(PATH)
}

/// Decodes the metadata, a top-level array or `{"fields": [...]}`, as a stream, straight into
/// the catalog the audit needs: the entries whose ID is `wanted`, every category with its
/// first few fields, and how many fields there are in all. No JSON tree is built and nothing else is kept, so memory does not grow with the
/// answer. Entries without an `id` are skipped; a missing category name falls back to the
/// category ID.
pub fn decode(body: &mut dyn Read, wanted: &BTreeSet<String>) -> Result<FieldCatalog, DecodeError> {
    let mut catalog = FieldCatalog::default();
    let mut shape = None;
    let mut de = serde_json::Deserializer::from_reader(body);
    let result = TopSeed {
        wanted,
        catalog: &mut catalog,
        shape: &mut shape,
    }
    .deserialize(&mut de)
    .and_then(|()| de.end());
    match (result, shape) {
        (Ok(()), _) => Ok(catalog),
        (Err(_), Some(why)) => Err(DecodeError::new(why)),
        (Err(e), None) => Err(DecodeError::from_json(&e)),
    }
}

/// The answer's top level.
struct TopSeed<'a> {
    wanted: &'a BTreeSet<String>,
    catalog: &'a mut FieldCatalog,
    /// Set with the reason when the answer has the wrong shape.
    shape: &'a mut Option<&'static str>,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of fields, or an object with a `fields` array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        entries(seq, self.wanted, self.catalog)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut found = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "fields" && !found {
                found = true;
                map.next_value_seed(FieldsSeed {
                    wanted: self.wanted,
                    catalog: &mut *self.catalog,
                    shape: &mut *self.shape,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        if !found {
            *self.shape = Some("the field metadata holds no `fields` array");
            return Err(de::Error::custom("no fields"));
        }
        Ok(())
    }

    scalars!(neither, str);
}

impl TopSeed<'_> {
    fn neither<E: de::Error>(self) -> Result<(), E> {
        *self.shape = Some("the field metadata is neither an array nor an object");
        Err(E::custom("neither"))
    }
}

/// The value of `fields`: it must be an array.
struct FieldsSeed<'a> {
    wanted: &'a BTreeSet<String>,
    catalog: &'a mut FieldCatalog,
    shape: &'a mut Option<&'static str>,
}

impl<'de> DeserializeSeed<'de> for FieldsSeed<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for FieldsSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a `fields` array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        entries(seq, self.wanted, self.catalog)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        self.not_array()
    }
    scalars!(not_array, str);
}

impl FieldsSeed<'_> {
    fn not_array<E: de::Error>(self) -> Result<(), E> {
        *self.shape = Some("the field metadata holds no `fields` array");
        Err(E::custom("not an array"))
    }
}

/// Every entry of the list; the wanted ones go into the catalog.
fn entries<'de, A: SeqAccess<'de>>(
    mut seq: A,
    wanted: &BTreeSet<String>,
    catalog: &mut FieldCatalog,
) -> Result<(), A::Error> {
    while let Some(entry) = seq.next_element::<Entry>()? {
        let Some(id) = entry.id else { continue };
        catalog.total += 1;
        let category_id = entry.category_id.or(entry.category);
        let category_name = entry
            .category_name
            .or_else(|| category_id.clone())
            .unwrap_or_else(|| "(no category)".to_string());
        let json_path = entry.json_path.unwrap_or_else(|| default_json_path(&id));
        let meta = FieldMeta {
            name: entry.name,
            category_id: category_id.unwrap_or_default(),
            category_name,
            json_path,
            id,
        };
        sample(catalog, &meta);
        if wanted.contains(&meta.id) {
            catalog.fields.insert(meta.id.clone(), meta);
        }
    }
    Ok(())
}

/// Counts the field in its category, and keeps it as one of the category's first few fields.
/// `root.id` is no sample: HiBob returns it without any permission.
fn sample(catalog: &mut FieldCatalog, meta: &FieldMeta) {
    let key = meta.category_key().to_string();
    if !catalog.categories.contains_key(&key) && catalog.categories.len() >= MAX_CATEGORIES {
        return;
    }
    let c = catalog
        .categories
        .entry(key.clone())
        .or_insert_with(|| CategoryMeta {
            id: key,
            name: meta.category_name.clone(),
            fields: 0,
            samples: Vec::new(),
            representative: None,
        });
    c.fields += 1;
    if meta.id == field_ids::ID {
        return;
    }
    if c.samples.len() < SAMPLES_PER_CATEGORY {
        c.samples.push(meta.clone());
    }
    // The first field stands for the category until a field that is not sensitive comes.
    let settled = c
        .representative
        .as_ref()
        .is_some_and(|r| !crate::sensitive::sensitive_field(&r.id, r.name.as_deref()));
    if !settled
        && (c.representative.is_none()
            || !crate::sensitive::sensitive_field(&meta.id, meta.name.as_deref()))
    {
        c.representative = Some(meta.clone());
    }
}

/// One entry's texts; any other key, and any value that is not a non-blank string, is skipped.
#[derive(Default)]
struct Entry {
    id: Option<String>,
    category_id: Option<String>,
    category: Option<String>,
    category_name: Option<String>,
    name: Option<String>,
    json_path: Option<String>,
}

impl<'de> de::Deserialize<'de> for Entry {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(EntryVisitor)
    }
}

struct EntryVisitor;

impl EntryVisitor {
    /// An entry that is not an object carries nothing.
    fn nothing<E: de::Error>(self) -> Result<Entry, E> {
        Ok(Entry::default())
    }
}

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = Entry;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a field entry")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Entry, A::Error> {
        let mut e = Entry::default();
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "id" => &mut e.id,
                "categoryId" => &mut e.category_id,
                "category" => &mut e.category,
                "categoryDisplayName" => &mut e.category_name,
                "name" => &mut e.name,
                "jsonPath" => &mut e.json_path,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            *slot = map.next_value::<Text>()?.0;
        }
        Ok(e)
    }

    // An entry that is not an object carries nothing.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Entry::default())
    }
    scalars!(nothing, str);
}

/// A trimmed, non-blank string value, or `None` for anything else.
struct Text(Option<String>);

impl<'de> de::Deserialize<'de> for Text {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl TextVisitor {
    fn none<E: de::Error>(self) -> Result<Text, E> {
        Ok(Text(None))
    }
}

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Text, E> {
        let t = v.trim();
        Ok(Text((!t.is_empty()).then(|| t.to_string())))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Text(None))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Text(None))
    }
    scalars!(none);
}

/// Where HiBob puts a field whose metadata names no `jsonPath`: root fields at the top level.
pub(crate) fn default_json_path(id: &str) -> String {
    id.strip_prefix("root.").unwrap_or(id).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> BTreeSet<String> {
        ["root.email", "work.custom", "root.firstName"]
            .map(String::from)
            .into()
    }

    #[test]
    fn reads_array_and_object_forms() {
        let array = r#"[{"id":"root.email","categoryId":"root","categoryDisplayName":"Basic info","jsonPath":"email"},
                        {"name":"no id"},
                        {"id":"work.custom","category":"category_17"}]"#;
        let c = decode(&mut array.as_bytes(), &all()).unwrap();
        assert_eq!(c.fields.len(), 2);
        assert_eq!(c.get("root.email").unwrap().category_name, "Basic info");
        let custom = c.get("work.custom").unwrap();
        assert_eq!(
            (custom.category_name.as_str(), custom.json_path.as_str()),
            ("category_17", "work.custom")
        );

        let object = r#"{"fields":[{"id":"root.firstName","categoryDisplayName":"Basic info"}]}"#;
        let c = decode(&mut object.as_bytes(), &all()).unwrap();
        assert_eq!(c.get("root.firstName").unwrap().json_path, "firstName");
    }

    #[test]
    fn errors_never_quote_the_body() {
        let err = decode(&mut r#"{"fields": "SENTINEL"}"#.as_bytes(), &all()).unwrap_err();
        assert!(!err.message.contains("SENTINEL"));
        let err = decode(&mut r#"[{"id": "SENTINEL""#.as_bytes(), &all()).unwrap_err();
        assert!(!err.message.contains("SENTINEL"), "{}", err.message);
    }

    #[test]
    fn only_wanted_fields_are_kept_and_all_are_counted() {
        let body = r#"{"x":[1,{"id":"no"}],"fields":[{"id":"root.email","name":7,"jsonPath":{"a":1}},{"id":"other"},{"id":"  "},3,"s",null,[{"id":"nested"}]]}"#;
        let c = decode(&mut body.as_bytes(), &all()).unwrap();
        assert_eq!(c.total, 2);
        assert_eq!(c.fields.len(), 1);
        let email = c.get("root.email").unwrap();
        assert_eq!(
            (email.name.as_deref(), email.json_path.as_str()),
            (None, "email")
        );
        for (body, why) in [
            ("{}", "no `fields` array"),
            (r#"{"fields":{}}"#, "no `fields` array"),
            ("12", "neither an array nor an object"),
        ] {
            assert!(
                decode(&mut body.as_bytes(), &all())
                    .unwrap_err()
                    .message
                    .contains(why),
                "{body}"
            );
        }
    }
}
