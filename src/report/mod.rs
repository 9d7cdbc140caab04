//! Reporters: thin views of the same [`Finding`]s, one file at a time.
//!
//! Each reporter gets every file's result in order, then the summary, so the
//! human and JSON Lines reporters stream and only the JSON document waits.

mod concise;
mod csv;
mod github;
mod html;
mod human;
mod json;
mod sarif;
mod statistics;

use std::io::{self, Write};

use serde::Serialize;

use crate::{Finding, RuleSet, Severity};

pub use concise::Concise;
pub use csv::Csv;
pub use github::{Github, escape_data, escape_property};
pub use html::{HtmlReport, escape_html};
pub use human::Human;
pub use json::{Json, Jsonl};
pub use sarif::{FINGERPRINT_KEY, Sarif, artifact_uri, fingerprints};
pub use statistics::Statistics;

/// What driftlint found in one file, or why it could not read it.
#[derive(Debug, Clone, Default)]
pub struct FileReport {
    pub path: String,
    /// The text linted (for snippets); empty when the file could not be read.
    pub text: String,
    pub findings: Vec<Finding>,
    pub error: Option<String>,
    pub notes: Vec<String>,
    /// The listing's meta fields (`--meta-field`), such as employer and region.
    pub meta: Vec<(String, String)>,
}

/// Totals over a run.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Summary {
    /// Files linted (read successfully).
    pub files: usize,
    pub files_with_findings: usize,
    /// Files that could not be read.
    pub unreadable: usize,
    pub findings: usize,
    pub error: usize,
    pub warning: usize,
    pub info: usize,
}

impl Summary {
    pub fn add(&mut self, r: &FileReport) {
        if r.error.is_some() {
            self.unreadable += 1;
            return;
        }
        self.files += 1;
        if !r.findings.is_empty() {
            self.files_with_findings += 1;
        }
        for f in &r.findings {
            self.findings += 1;
            match f.severity {
                Severity::Error => self.error += 1,
                Severity::Warning => self.warning += 1,
                Severity::Info => self.info += 1,
            }
        }
    }
}

/// "1 file", "2 files": counts in summary lines.
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// A way of printing results.
pub trait Reporter {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()>;
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
}

/// Output formats for `driftlint check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
    Jsonl,
    /// SARIF 2.1.0, for code scanning
    Sarif,
    /// GitHub Actions annotations
    Github,
    /// One line per finding
    Concise,
    /// One row per posting: counts per category (for spreadsheets)
    Csv,
}

impl OutputFormat {
    pub fn reporter(self, color: bool, rules: &RuleSet) -> Box<dyn Reporter> {
        match self {
            OutputFormat::Human => Box::new(Human::new(color)),
            OutputFormat::Json => Box::new(Json::default()),
            OutputFormat::Jsonl => Box::new(Jsonl),
            OutputFormat::Sarif => Box::new(Sarif::new(rules)),
            OutputFormat::Github => Box::new(Github),
            OutputFormat::Concise => Box::new(Concise),
            OutputFormat::Csv => Box::new(Csv::new(Vec::new())),
        }
    }
}
