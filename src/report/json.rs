//! JSON document and JSON Lines output. Field names are a public interface.

use std::io::{self, Write};

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Value, json};

use super::{FileReport, Reporter, Summary};
use crate::Finding;

/// A finding with the path of its file, as both JSON formats print it;
/// JSON Lines adds the listing's meta fields.
#[derive(serde::Serialize)]
struct Located<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    meta: Option<MetaMap<'a>>,
    #[serde(flatten)]
    finding: &'a Finding,
}

/// Meta fields as a JSON object, in their order.
struct MetaMap<'a>(&'a [(String, String)]);

impl Serialize for MetaMap<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

fn meta(r: &FileReport) -> Option<MetaMap<'_>> {
    (!r.meta.is_empty()).then_some(MetaMap(&r.meta))
}

fn findings(r: &FileReport, with_meta: bool) -> Vec<Located<'_>> {
    r.findings
        .iter()
        .map(|f| Located {
            path: &r.path,
            meta: if with_meta { meta(r) } else { None },
            finding: f,
        })
        .collect()
}

/// One object per finding per line; an unreadable file is `{"path", "error"}`.
/// A listing's meta fields, when it has any, are a `meta` object after `path`.
pub struct Jsonl;

impl Reporter for Jsonl {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        if let Some(err) = &r.error {
            let mut obj = json!({ "path": r.path, "error": err });
            if let Some(m) = meta(r) {
                obj["meta"] = serde_json::to_value(m)?;
            }
            serde_json::to_writer(&mut *out, &obj)?;
            writeln!(out)?;
        }
        for f in findings(r, true) {
            serde_json::to_writer(&mut *out, &f)?;
            writeln!(out)?;
        }
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        Ok(())
    }
}

/// `{"version": 1, "files": [...], "summary": {...}}`.
#[derive(Default)]
pub struct Json {
    files: Vec<Value>,
}

impl Reporter for Json {
    fn file(&mut self, _out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        let mut file = json!({
            "path": r.path,
            "findings": findings(r, false),
            "error": r.error,
            "notes": r.notes,
        });
        if let Some(m) = meta(r) {
            file["meta"] = serde_json::to_value(m)?;
        }
        self.files.push(file);
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let doc = json!({
            "version": 1,
            "files": std::mem::take(&mut self.files),
            "summary": summary,
        });
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)
    }
}
