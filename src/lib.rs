//! driftlint: a linter for peer support job postings.
//!
//! It flags requirements and duties that pull a peer support role away from
//! its values (degrees, police checks, abstinence, clinical supervision,
//! clinical and menial duties) and cites PeerWorks' 2024 position statement
//! "Drift from Peer Support Values and Standards" for each.
//!
//! The pipeline, one module per step:
//! [`source`] reads files -> [`document`] builds blocks, sections and units ->
//! [`rules`] matches and judges context -> [`Finding`] -> [`report`] prints.
//!
//! ```
//! use driftlint::{Linter, document::Format};
//! let linter = Linter::builtin().expect("built-in rules are valid");
//! let findings = linter.check("## Qualifications\n- Bachelor's degree in Social Work required\n", Format::Markdown);
//! assert!(findings.iter().any(|f| f.category == "credential"));
//! ```

#![cfg_attr(not(test), deny(clippy::unwrap_used))]

pub mod audit;
pub mod check;
pub mod config;
pub mod document;
mod finding;
pub mod lines;
pub mod report;
pub mod rules;
pub mod serve;
pub mod source;
pub mod suppress;

pub use finding::Finding;
pub use rules::{RuleError, RuleSet, Severity};

use document::{Document, Format};
use lines::{LineIndex, Positions};
use regex::Regex;

/// Lints postings with one compiled rule set.
#[derive(Debug, Clone)]
pub struct Linter {
    rules: RuleSet,
    inline_config: bool,
    allow: Option<Regex>,
}

impl Linter {
    pub fn new(rules: RuleSet) -> Linter {
        Linter {
            rules,
            inline_config: true,
            allow: None,
        }
    }

    /// A linter with the built-in rule catalogue.
    pub fn builtin() -> Result<Linter, RuleError> {
        Ok(Linter::new(RuleSet::builtin()?))
    }

    /// Whether `driftlint-disable` directives in postings are obeyed (default: yes).
    pub fn inline_config(mut self, on: bool) -> Linter {
        self.inline_config = on;
        self
    }

    /// Wording an organisation has accepted: a finding whose match overlaps
    /// one of these phrases (case-insensitive) is not reported.
    pub fn allow<S: AsRef<str>>(mut self, phrases: &[S]) -> Linter {
        let alts: Vec<String> = phrases
            .iter()
            .map(|p| {
                p.as_ref()
                    .split_whitespace()
                    .map(regex::escape)
                    .collect::<Vec<_>>()
                    .join(r"\s+")
            })
            .filter(|p| !p.is_empty())
            .collect();
        self.allow = if alts.is_empty() {
            None
        } else {
            Regex::new(&format!(r"(?i)\b(?:{})\b", alts.join("|"))).ok()
        };
        self
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// Lints one posting's text.
    pub fn check(&self, text: &str, format: Format) -> Vec<Finding> {
        self.check_many(&[(text, format)]).pop().unwrap_or_default()
    }

    /// Lints several postings, with the same findings as [`Linter::check`]
    /// on each. Matching runs rule by rule across them, which keeps each
    /// rule's automata warm: a batch of a few dozen postings is faster than
    /// the same postings one at a time.
    pub fn check_many(&self, postings: &[(&str, Format)]) -> Vec<Vec<Finding>> {
        let docs: Vec<Document> = postings
            .iter()
            .map(|(text, format)| Document::parse(text, *format))
            .collect();
        let refs: Vec<&Document> = docs.iter().collect();
        let candidates = rules::find_many(&refs, &self.rules);
        postings
            .iter()
            .zip(&docs)
            .zip(candidates)
            .map(|(((text, format), doc), found)| {
                let findings = self.findings(text, doc, found);
                if self.inline_config {
                    suppress::apply(text, *format, findings, &self.rules)
                } else {
                    findings
                }
            })
            .collect()
    }

    /// Whether an allowed phrase overlaps a candidate in its unit.
    fn allowed(&self, doc: &Document, clean: &std::ops::Range<usize>) -> bool {
        let (Some(allow), Some(ui)) = (&self.allow, doc.unit_at(clean.start)) else {
            return false;
        };
        let unit = doc.units[ui].clean.clone();
        allow
            .find_iter(&doc.text()[unit.clone()])
            .any(|m| m.start() + unit.start < clean.end && clean.start < m.end() + unit.start)
    }

    /// Lints a parsed posting; `text` is the source it was parsed from.
    pub fn check_document(&self, text: &str, doc: &Document) -> Vec<Finding> {
        self.findings(text, doc, rules::find(doc, &self.rules))
    }

    /// Turns a posting's candidates into findings (allow-list, positions).
    fn findings(&self, text: &str, doc: &Document, found: Vec<rules::Candidate>) -> Vec<Finding> {
        let lines = LineIndex::new(text);
        let mut positions = Positions::new(&lines, text);
        found
            .into_iter()
            .filter(|c| !self.allowed(doc, &c.clean))
            .map(|c| {
                let rule = &self.rules.rules()[c.rule];
                let span = doc.src_range(c.clean.clone());
                let ((line, column), (end_line, end_column)) = positions.span(span.start, span.end);
                Finding {
                    rule: rule.id.clone(),
                    name: rule.name.clone(),
                    category: rule.category.clone(),
                    severity: c.severity,
                    strength: c.strength,
                    line,
                    column,
                    end_line,
                    end_column,
                    byte_start: span.start,
                    byte_end: span.end,
                    matched: text.get(span.clone()).unwrap_or_default().to_string(),
                    message: rule.message.clone(),
                    suggestion: rule.suggestion.clone(),
                    citations: rule.citations.clone(),
                    element: None,
                }
            })
            .collect()
    }
}
