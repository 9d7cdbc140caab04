//! `--format csv`: one row per posting, for spreadsheets and statistics
//! tools. Columns (a stable interface):
//!
//! `path`, then each `--meta-field` in the order given, then one column per
//! category in [`CATEGORIES`] order with the number of findings in it, then
//! `findings` (all findings), `highest_severity` (`error`, `warning`, `info`
//! or empty) and `error` (why the posting could not be read, else empty).
//!
//! Listing text is untrusted: a cell that a spreadsheet would run as a
//! formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is
//! written with a leading `'`.

use std::io::{self, Write};

use super::{FileReport, Reporter, Summary};
use crate::rules::CATEGORIES;

/// Writes one CSV row per posting; the header comes first, even for no postings.
pub struct Csv {
    meta_fields: Vec<String>,
    header_written: bool,
}

impl Csv {
    /// `meta_fields` are the meta columns, in order (`--meta-field`).
    pub fn new(meta_fields: Vec<String>) -> Csv {
        Csv {
            meta_fields,
            header_written: false,
        }
    }

    fn header(&mut self, out: &mut dyn Write) -> io::Result<()> {
        if self.header_written {
            return Ok(());
        }
        self.header_written = true;
        let mut row: Vec<String> = vec!["path".into()];
        row.extend(self.meta_fields.iter().cloned());
        row.extend(CATEGORIES.iter().map(|c| c.to_string()));
        row.extend(["findings", "highest_severity", "error"].map(String::from));
        write_row(out, &row)
    }
}

/// A cell a spreadsheet will show as text, never run as a formula.
pub fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

fn write_row(out: &mut dyn Write, row: &[String]) -> io::Result<()> {
    let mut w = ::csv::Writer::from_writer(out);
    w.write_record(row).map_err(io::Error::other)?;
    w.flush()
}

impl Reporter for Csv {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        self.header(out)?;
        let mut row = vec![defuse(&r.path)];
        for field in &self.meta_fields {
            let value = r
                .meta
                .iter()
                .find(|(k, _)| k == field)
                .map_or("", |(_, v)| v.as_str());
            row.push(defuse(value));
        }
        for cat in CATEGORIES {
            let n = r.findings.iter().filter(|f| f.category == cat).count();
            row.push(n.to_string());
        }
        row.push(r.findings.len().to_string());
        let highest = r.findings.iter().map(|f| f.severity).max();
        row.push(highest.map_or("", |s| s.as_str()).to_string());
        row.push(defuse(r.error.as_deref().unwrap_or("")));
        write_row(out, &row)
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        self.header(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused() {
        assert_eq!(defuse("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("Acme Health"), "Acme Health");
    }

    #[test]
    fn header_and_row() {
        let mut c = Csv::new(vec!["employer".into()]);
        let mut out = Vec::new();
        let r = FileReport {
            path: "d.jsonl#1".into(),
            meta: vec![("employer".into(), "Acme, Inc".into())],
            error: Some("malformed".into()),
            ..FileReport::default()
        };
        c.file(&mut out, &r).unwrap();
        c.finish(&mut out, &Summary::default()).unwrap();
        let text = String::from_utf8(out).unwrap();
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "path,employer,credential,police-check,abstinence,clinician-supervision,clinical-duty,menial-duty,lived-experience-missing,deficit-language,peer-certification,findings,highest_severity,error"
        );
        assert_eq!(
            lines.next().unwrap(),
            "d.jsonl#1,\"Acme, Inc\",0,0,0,0,0,0,0,0,0,0,,malformed"
        );
        assert!(lines.next().is_none());
    }
}
