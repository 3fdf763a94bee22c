//! The Docs API: `GET /docs/people/{id}` lists one visible employee's documents, from the
//! folders the group may view ("People's data > Docs > folder > View selected employees' docs
//! in the folder"). Only a count and the folder names the documents carry are kept, never a
//! document's name or link.

use std::fmt;
use std::io::Read;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

use crate::client::ApiRequest;
use crate::client::body::DecodeError;
use crate::client::url::encode_component;
use crate::observations::DocsAnswer;

/// The docs endpoint as reports name it: the employee ID never leaves the request.
pub const ROUTE: &str = "/docs/people/{id}";

/// Distinct folder names kept, at most, and their length.
const MAX_FOLDERS: usize = 50;
const MAX_FOLDER_LEN: usize = 100;

/// Keys of a document that may say which folder it is in.
const FOLDER_KEYS: [&str; 4] = ["folder", "folderName", "folderId", "folderType"];

/// The request for one employee's documents; `None` shows the placeholder (for `--plan`).
pub fn request(employee: Option<&str>) -> ApiRequest {
    let mut r = ApiRequest::get(&format!(
        "/docs/people/{}",
        employee.map_or_else(|| "{id}".to_string(), encode_component)
    ));
    r.route = Some(ROUTE.to_string());
    r
}

pub const PURPOSE: &str = "one employee's documents: a document of a folder proves \"View selected employees' docs in the folder\"";

/// Decodes `{"documents": [...]}` (or a bare array) into a count and folder names.
pub fn decode(body: &mut dyn Read) -> Result<DocsAnswer, DecodeError> {
    let Some(mut reader) = crate::client::body::non_blank(body)? else {
        return Ok(DocsAnswer {
            empty: true,
            ..DocsAnswer::default()
        });
    };
    let mut de = serde_json::Deserializer::from_reader(&mut reader);
    let mut answer = DocsAnswer {
        empty: true,
        ..DocsAnswer::default()
    };
    Top(&mut answer)
        .deserialize(&mut de)
        .and_then(|()| de.end())
        .map_err(|e| DecodeError::from_json(&e))?;
    Ok(answer)
}

struct Top<'a>(&'a mut DocsAnswer);

impl<'de> DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of documents")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == "documents" {
                map.next_value_seed(List(&mut *self.0))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        List(self.0).visit_seq(seq)
    }
}

struct List<'a>(&'a mut DocsAnswer);

impl<'de> DeserializeSeed<'de> for List<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for List<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of documents")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.0.empty = false;
        while let Some(Folder(folder)) = seq.next_element::<Folder>()? {
            self.0.documents += 1;
            if let Some(f) = folder
                && self.0.folders.len() < MAX_FOLDERS
                && !self.0.folders.contains(&f)
            {
                self.0.folders.push(f);
            }
        }
        Ok(())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A document, reduced to the folder it names, if any.
struct Folder(Option<String>);

impl<'de> de::Deserialize<'de> for Folder {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(FolderVisitor)
    }
}

struct FolderVisitor;

impl<'de> Visitor<'de> for FolderVisitor {
    type Value = Folder;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a document")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Folder, A::Error> {
        let mut folder = None;
        while let Some(key) = map.next_key::<String>()? {
            if FOLDER_KEYS.contains(&key.as_str()) && folder.is_none() {
                folder = match map.next_value::<serde_json::Value>()? {
                    serde_json::Value::String(s) if !s.trim().is_empty() => {
                        Some(s.trim().chars().take(MAX_FOLDER_LEN).collect())
                    }
                    serde_json::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                };
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Folder(folder))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Folder, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Folder(None))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Folder, E> {
        Ok(Folder(None))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Folder, E> {
        Ok(Folder(None))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Folder, E> {
        Ok(Folder(None))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Folder, E> {
        Ok(Folder(None))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Folder, E> {
        Ok(Folder(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Folder, E> {
        Ok(Folder(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(body: &str) -> DocsAnswer {
        decode(&mut body.as_bytes()).unwrap_or_else(|e| panic!("{}", e.message))
    }

    #[test]
    fn documents_are_counted_with_their_folders_only() {
        let a = read(
            r#"{"documents":[{"documentName":"SENTINEL.pdf","downloadLink":"https://x/SENTINEL","folder":"Shared"},{"documentName":"SENTINEL2"}]}"#,
        );
        assert_eq!(
            (a.documents, a.folders.clone(), a.empty),
            (2, vec!["Shared".to_string()], false)
        );
        assert_eq!(read(r#"[{"folderId":7}]"#).folders, ["7"]);
        assert!(read("").empty);
        assert!(read("{}").empty);
        assert!(!read(r#"{"documents":[]}"#).empty);
    }
}
