//! JSON document and JSON Lines output. Field names are a public interface.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::{Value, json};

use super::{FileReport, Reporter, Summary};
use crate::Finding;

/// A finding with the path of its file, as both JSON formats print it.
#[derive(Serialize)]
struct Located<'a> {
    path: &'a str,
    #[serde(flatten)]
    finding: &'a Finding,
}

fn findings(r: &FileReport) -> Vec<Located<'_>> {
    r.findings
        .iter()
        .map(|f| Located {
            path: &r.path,
            finding: f,
        })
        .collect()
}

/// One object per finding per line; an unreadable file is `{"path", "error"}`.
pub struct Jsonl;

impl Reporter for Jsonl {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        if let Some(err) = &r.error {
            serde_json::to_writer(&mut *out, &json!({ "path": r.path, "error": err }))?;
            writeln!(out)?;
        }
        for f in findings(r) {
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
        self.files.push(json!({
            "path": r.path,
            "findings": findings(r),
            "error": r.error,
            "notes": r.notes,
        }));
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
