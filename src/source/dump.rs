//! Listing dumps: one JSON Lines (`.jsonl`, `.ndjson`) or CSV (`.csv`) file
//! holding many postings, as scrapers and job-board exports produce them.
//!
//! Each record is one posting, linted on its own and reported as
//! `dump.jsonl#ID` (its id field) or `dump.jsonl:LINE` (the line the record
//! starts on, when it has no id):
//!
//! - the text is the `--text-field` (default: the first of `description`,
//!   `text`, `body` that the record has). It is read as HTML when it holds
//!   HTML tags, as Markdown when it has Markdown headings or bold, else as
//!   plain text;
//! - the id is the `--id-field` (default `id`);
//! - each `--meta-field` (such as `employer,region`) is carried into the
//!   outputs; a missing one is empty. In JSON Lines, a field name with dots
//!   (`hiringOrganization.name`) looks into nested objects.
//!
//! Dumps are read record by record, never whole: [`expand`] yields one
//! [`Input`] per record as it goes. A malformed record (bad JSON, a CSV row
//! with the wrong number of fields, no text) becomes an [`Input::Error`]
//! naming its line, and the records after it are still read. `--max-file-size`
//! applies to each record's text, not to the dump.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use serde_json::Value;

use super::{Extracted, Input, Kind, Source, display_path, html, io_reason};
use crate::document::Format;

/// Which fields of a dump's records are read.
#[derive(Debug, Clone, Default)]
pub struct DumpOptions {
    /// The field holding a posting's text (default: `description`, `text`, `body`).
    pub text_field: Option<String>,
    /// The field holding a posting's id (default: `id`).
    pub id_field: Option<String>,
    /// Fields carried into outputs, in this order.
    pub meta_fields: Vec<String>,
}

const TEXT_FIELDS: [&str; 3] = ["description", "text", "body"];

impl DumpOptions {
    fn text_names(&self) -> Vec<&str> {
        match &self.text_field {
            Some(f) => vec![f.as_str()],
            None => TEXT_FIELDS.to_vec(),
        }
    }

    fn id_name(&self) -> &str {
        self.id_field.as_deref().unwrap_or("id")
    }

    fn missing_text(&self) -> String {
        match &self.text_field {
            Some(f) => format!("no text field `{f}` (--text-field)"),
            None => "no text field (description, text or body; choose one with --text-field)"
                .to_string(),
        }
    }
}

/// One posting of a dump, read but not yet linted.
#[derive(Debug, Clone)]
pub struct Record {
    /// `dump.jsonl#ID` or `dump.jsonl:LINE`.
    pub path: String,
    pub text: String,
    pub meta: Vec<(String, String)>,
    pub notes: Vec<String>,
}

/// Whether a file is a listing dump, by its extension.
pub fn is_dump(path: &Path) -> bool {
    Kind::of(&path.to_string_lossy()) == Kind::Dump
}

/// Replaces every listing dump among `inputs` with one input per record,
/// lazily: a dump is opened when the iteration reaches it and read a record
/// at a time. Other inputs pass through unchanged.
pub fn expand<I: IntoIterator<Item = Input>>(inputs: I, opts: &DumpOptions) -> Expand<I::IntoIter> {
    Expand {
        inputs: inputs.into_iter(),
        opts: opts.clone(),
        current: None,
    }
}

/// The iterator [`expand`] returns.
pub struct Expand<I> {
    inputs: I,
    opts: DumpOptions,
    current: Option<Records>,
}

impl<I: Iterator<Item = Input>> Iterator for Expand<I> {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            if let Some(records) = self.current.as_mut() {
                if let Some(input) = records.next() {
                    return Some(input);
                }
                self.current = None;
            }
            match self.inputs.next()? {
                Input::File(p) if is_dump(&p) => match Records::open(&p, &self.opts) {
                    Ok(r) => self.current = Some(r),
                    Err(reason) => return Some(Input::Error(display_path(&p), reason)),
                },
                other => return Some(other),
            }
        }
    }
}

/// The records of one dump, read one at a time.
pub struct Records {
    shown: String,
    opts: DumpOptions,
    inner: Inner,
    done: bool,
}

enum Inner {
    Jsonl {
        reader: BufReader<File>,
        line: usize,
        buf: Vec<u8>,
    },
    Csv {
        reader: csv::Reader<File>,
        text: usize,
        id: Option<usize>,
        meta: Vec<Option<usize>>,
        record: csv::ByteRecord,
    },
}

impl Records {
    /// Opens a dump. Fails when it cannot be read, or (CSV) when its header
    /// lacks the text column or a column named by an option.
    pub fn open(path: &Path, opts: &DumpOptions) -> Result<Records, String> {
        let file = File::open(path).map_err(|e| io_reason(&e))?;
        let shown = display_path(path);
        let is_csv = path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case("csv"));
        let inner = if is_csv {
            open_csv(file, opts)?
        } else {
            Inner::Jsonl {
                reader: BufReader::new(file),
                line: 0,
                buf: Vec::new(),
            }
        };
        Ok(Records {
            shown,
            opts: opts.clone(),
            inner,
            done: false,
        })
    }
}

fn open_csv(file: File, opts: &DumpOptions) -> Result<Inner, String> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(file);
    let headers: Vec<String> = reader
        .byte_headers()
        .map_err(|e| format!("cannot read the CSV header: {e}"))?
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_string())
        .collect();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .or_else(|| headers.iter().position(|h| h.eq_ignore_ascii_case(name)))
    };
    let text = opts
        .text_names()
        .into_iter()
        .find_map(find)
        .ok_or_else(|| format!("{} in the CSV header", opts.missing_text()))?;
    let id = find(opts.id_name());
    if id.is_none()
        && let Some(f) = &opts.id_field
    {
        return Err(format!("no column `{f}` (--id-field) in the CSV header"));
    }
    let meta = opts.meta_fields.iter().map(|f| find(f)).collect();
    Ok(Inner::Csv {
        reader,
        text,
        id,
        meta,
        record: csv::ByteRecord::new(),
    })
}

impl Iterator for Records {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        if self.done {
            return None;
        }
        let item = match &mut self.inner {
            Inner::Jsonl { reader, line, buf } => loop {
                buf.clear();
                match reader.read_until(b'\n', buf) {
                    Ok(0) => break None,
                    Ok(_) => {
                        *line += 1;
                        if buf.iter().all(u8::is_ascii_whitespace) {
                            continue;
                        }
                        break Some(jsonl_record(&self.shown, *line, buf, &self.opts));
                    }
                    Err(e) => {
                        self.done = true;
                        break Some(Input::Error(
                            format!("{}:{}", self.shown, *line + 1),
                            io_reason(&e),
                        ));
                    }
                }
            },
            Inner::Csv {
                reader,
                text,
                id,
                meta,
                record,
            } => match reader.read_byte_record(record) {
                Ok(false) => None,
                Ok(true) => {
                    let line = record.position().map_or(0, |p| p.line());
                    let field =
                        |i: usize| String::from_utf8_lossy(record.get(i).unwrap_or_default());
                    let mut notes = Vec::new();
                    if std::str::from_utf8(record.as_slice()).is_err() {
                        notes.push("invalid UTF-8 replaced with U+FFFD".to_string());
                    }
                    let id = id.map(|i| field(i).trim().to_string());
                    let meta = self
                        .opts
                        .meta_fields
                        .iter()
                        .zip(meta.iter())
                        .map(|(name, col)| {
                            (
                                name.clone(),
                                col.map_or(String::new(), |c| field(c).trim().to_string()),
                            )
                        })
                        .collect();
                    Some(Input::Record(Box::new(Record {
                        path: record_path(&self.shown, id.as_deref(), line),
                        text: field(*text).into_owned(),
                        meta,
                        notes,
                    })))
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    let reason = match e.kind() {
                        csv::ErrorKind::UnequalLengths {
                            expected_len, len, ..
                        } => format!(
                            "malformed CSV record: {len} fields where the header has {expected_len}"
                        ),
                        csv::ErrorKind::Io(io) => {
                            self.done = true;
                            io_reason(io)
                        }
                        _ => format!("malformed CSV record: {e}"),
                    };
                    Some(Input::Error(format!("{}:{line}", self.shown), reason))
                }
            },
        };
        if item.is_none() {
            self.done = true;
        }
        item
    }
}

/// `dump.jsonl#ID`, or `dump.jsonl:LINE` without an id.
fn record_path(shown: &str, id: Option<&str>, line: u64) -> String {
    match id.filter(|i| !i.is_empty()) {
        Some(id) => {
            let id: String = id
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            format!("{shown}#{id}")
        }
        None => format!("{shown}:{line}"),
    }
}

fn jsonl_record(shown: &str, line: usize, bytes: &[u8], opts: &DumpOptions) -> Input {
    let at = format!("{shown}:{line}");
    let mut notes = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => {
            notes.push("invalid UTF-8 replaced with U+FFFD".to_string());
            String::from_utf8_lossy(bytes)
        }
    };
    let value: Value = match serde_json::from_str(text.trim_start_matches('\u{feff}')) {
        Ok(v) => v,
        Err(e) => return Input::Error(at, format!("malformed JSON record: {e}")),
    };
    if !value.is_object() {
        return Input::Error(at, "malformed record: not a JSON object".into());
    }
    let body = opts
        .text_names()
        .into_iter()
        .find_map(|f| lookup(&value, f).filter(|v| !v.is_null()));
    let body = match body {
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Input::Error(
                at,
                "malformed record: its text field is not a string".into(),
            );
        }
        None => return Input::Error(at, format!("malformed record: {}", opts.missing_text())),
    };
    let id = lookup(&value, opts.id_name()).and_then(scalar);
    let meta = opts
        .meta_fields
        .iter()
        .map(|f| {
            (
                f.clone(),
                lookup(&value, f).and_then(scalar).unwrap_or_default(),
            )
        })
        .collect();
    Input::Record(Box::new(Record {
        path: record_path(shown, id.as_deref(), line as u64),
        text: body,
        meta,
        notes,
    }))
}

/// A field of a JSON object: the key itself, else a dotted path into
/// nested objects (`hiringOrganization.name`).
fn lookup<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    if let Some(x) = v.get(name) {
        return Some(x);
    }
    name.split('.').try_fold(v, |v, k| v.get(k))
}

/// A string, number or boolean as text; other values are not meta.
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Reads a record's text: HTML is extracted, other text linted as it is.
pub(super) fn read_record(r: &Record, max_size: u64) -> Result<Source, String> {
    if r.text.len() as u64 > max_size {
        return Err(format!(
            "record text is {} bytes, larger than the {max_size}-byte limit (--max-file-size)",
            r.text.len()
        ));
    }
    let (text, format, elements) = if looks_like_html(&r.text) {
        let Extracted { text, elements, .. } = html::extract(&r.text);
        (text, Format::Markdown, elements)
    } else if looks_like_markdown(&r.text) {
        (r.text.clone(), Format::Markdown, Vec::new())
    } else {
        (r.text.clone(), Format::Plain, Vec::new())
    };
    Ok(Source {
        path: r.path.clone(),
        text,
        format,
        notes: r.notes.clone(),
        meta: r.meta.clone(),
        elements,
    })
}

/// Text with block-level HTML tags in it (`<p>`, `<li>`, `<br>`, `<div>` ...).
fn looks_like_html(text: &str) -> bool {
    static TAG: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)<(?:p|div|br|li|ul|ol|h[1-6]|table|tr|td|strong|b|em|span|section|article|html|body)(?:\s[^<>]*)?/?>",
        )
        .expect("valid regex")
    });
    TAG.is_match(text)
}

/// Text with Markdown headings (`## Duties`) or bold (`**Duties**`).
fn looks_like_markdown(text: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim_start();
        let hashes = l.bytes().take_while(|&b| b == b'#').count();
        ((1..=6).contains(&hashes) && l[hashes..].starts_with(' ')) || l.starts_with("**")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_kinds() {
        assert!(looks_like_html("<p>Duties</p>"));
        assert!(looks_like_html("Line one<br/>Line two"));
        assert!(!looks_like_html("a < b and c > d"));
        assert!(looks_like_markdown("## Duties\n- clean"));
        assert!(!looks_like_markdown("#1 employer\nDuties:"));
    }

    #[test]
    fn dotted_lookup() {
        let v: Value = serde_json::from_str(r#"{"a.b": 1, "c": {"d": "x"}}"#).unwrap();
        assert_eq!(lookup(&v, "a.b").and_then(scalar).as_deref(), Some("1"));
        assert_eq!(lookup(&v, "c.d").and_then(scalar).as_deref(), Some("x"));
        assert!(lookup(&v, "c.e").is_none());
    }
}
