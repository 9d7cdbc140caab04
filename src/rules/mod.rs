//! The rule catalogue: rules are data (TOML files under `lints/`), loaded and
//! validated once, compiled into one prefilter, then matched and judged.

mod ascii;
mod citations;
pub mod context;
mod load;
mod matcher;
mod pattern;
mod scan;

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::document::{SectionKind, Strength};

pub(crate) use ascii::ascii_classes;
pub use citations::{Citation, Registry};
pub use load::{
    RuleError, check_examples, load_builtin, load_files, load_files_checked, registry, toml_error,
};
pub use matcher::{Candidate, find, find_many};
pub use pattern::Pattern;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin_lints.rs"));
}
pub use builtin::BUILTIN;

/// Lazy DFA cache per compiled rule regex (per thread). The regex crate's
/// default (2 MiB) is too small for the larger rule patterns: their state
/// caches filled and were rebuilt over and over, which halved throughput.
/// The cache grows only as states are needed, so most regexes use far less.
pub(crate) const DFA_CACHE: usize = 16 << 20;

/// Category names: a public interface (JSON consumers rely on them).
pub const CATEGORIES: [&str; 9] = [
    "credential",
    "police-check",
    "abstinence",
    "clinician-supervision",
    "clinical-duty",
    "menial-duty",
    "lived-experience-missing",
    "deficit-language",
    "peer-certification",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }

    /// One step lower (info stays info).
    pub fn lower(self) -> Severity {
        match self {
            Severity::Error => Severity::Warning,
            _ => Severity::Info,
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" => Some(Severity::Warning),
            "info" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Severity per strength; `None` means the rule is silent at that strength.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeverityMap {
    pub required: Option<Severity>,
    pub preferred: Option<Severity>,
    pub unspecified: Option<Severity>,
}

impl SeverityMap {
    pub fn get(&self, strength: Strength) -> Option<Severity> {
        match strength {
            Strength::Required => self.required,
            Strength::Preferred => self.preferred,
            Strength::Unspecified => self.unspecified,
        }
    }

    /// The highest severity the rule can report.
    pub fn max(&self) -> Option<Severity> {
        [self.required, self.preferred, self.unspecified]
            .into_iter()
            .flatten()
            .max()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleKind {
    /// Fires on matches of `patterns` in units.
    Pattern,
    /// Fires once per posting when `when` matches and no `absent` pattern does.
    Document,
}

/// Which context checks a rule uses (see docs/writing-rules.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContextSettings {
    pub negation: bool,
    pub subject: bool,
    pub offered: bool,
    /// "occasionally", "as needed", "during staff breaks" lower the severity one step.
    pub occasional: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Examples {
    pub fire: Vec<String>,
    pub pass: Vec<String>,
}

/// A compiled, validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub name: String,
    pub category: String,
    pub summary: String,
    pub kind: RuleKind,
    pub scope: Vec<SectionKind>,
    pub patterns: Vec<Pattern>,
    /// `unless` patterns as written.
    pub unless: Vec<String>,
    /// `lower-if` patterns as written.
    pub lower_if: Vec<String>,
    /// `unless` as one regex (any of them), for judging.
    pub(crate) unless_any: Option<Pattern>,
    /// `lower_if` as one regex (any of them), for judging.
    pub(crate) lower_if_any: Option<Pattern>,
    pub when: Vec<Pattern>,
    pub absent: Vec<Pattern>,
    pub severity: SeverityMap,
    pub message: String,
    pub rationale: String,
    pub suggestion: String,
    pub citations: Arc<[Citation]>,
    pub context: ContextSettings,
    pub examples: Examples,
    /// The file the rule came from (`lints/credential.toml` for built-ins).
    pub origin: String,
}

impl Rule {
    pub fn in_scope(&self, section: SectionKind) -> bool {
        self.scope.contains(&section)
    }

    /// Whether a selector (id, id prefix such as `DL1`, name or category) names this rule.
    pub fn matches_selector(&self, sel: &str) -> bool {
        sel.eq_ignore_ascii_case(&self.id)
            || sel == self.name
            || sel == self.category
            || (sel.len() >= 3
                && self.id.len() > sel.len()
                && self
                    .id
                    .to_ascii_uppercase()
                    .starts_with(&sel.to_ascii_uppercase()))
    }
}

/// Keeps the rules named by `select` (all when empty) minus those named by
/// `ignore`; a selector that names no rule is an error. Choosing before
/// building a [`RuleSet`] compiles the shared prefilter once.
pub fn select_rules(
    rules: Vec<Rule>,
    select: &[String],
    ignore: &[String],
) -> Result<Vec<Rule>, String> {
    for sel in select.iter().chain(ignore) {
        if !rules.iter().any(|r| r.matches_selector(sel)) {
            return Err(format!("`{sel}` names no rule, rule name or category"));
        }
    }
    Ok(rules
        .into_iter()
        .filter(|r| select.is_empty() || select.iter().any(|s| r.matches_selector(s)))
        .filter(|r| !ignore.iter().any(|s| r.matches_selector(s)))
        .collect())
}

/// All active rules with their shared prefilter.
#[derive(Debug, Clone)]
pub struct RuleSet {
    rules: Vec<Rule>,
    scanner: scan::Scanner,
}

impl RuleSet {
    pub fn new(mut rules: Vec<Rule>) -> Result<RuleSet, String> {
        rules.sort_by(|a, b| a.id.cmp(&b.id));
        let mut sources = Vec::new();
        let mut owners = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            let lists = [
                (scan::List::Pattern, &rule.patterns),
                (scan::List::When, &rule.when),
                (scan::List::Absent, &rule.absent),
            ];
            for (list, res) in lists {
                for (index, re) in res.iter().enumerate() {
                    sources.push(re.as_str().to_string());
                    owners.push(scan::Owner {
                        rule: ri,
                        list,
                        index,
                    });
                }
            }
        }
        let scanner = scan::Scanner::new(sources, owners)?;
        Ok(RuleSet { rules, scanner })
    }

    /// The built-in catalogue.
    pub fn builtin() -> Result<RuleSet, RuleError> {
        let rules = load_builtin()?;
        RuleSet::new(rules).map_err(|e| RuleError::new("lints/", None, None, e))
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn get(&self, selector: &str) -> Option<&Rule> {
        self.rules
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(selector) || r.name == selector)
    }

    /// Keeps the rules named by `select` (all when empty) minus those named by
    /// `ignore`. A selector that names no rule is an error.
    pub fn filtered(&self, select: &[String], ignore: &[String]) -> Result<RuleSet, String> {
        RuleSet::new(select_rules(self.rules.clone(), select, ignore)?)
    }

    #[cfg(test)]
    pub(crate) fn with_scanner(&self, scanner: scan::Scanner) -> RuleSet {
        RuleSet {
            rules: self.rules.clone(),
            scanner,
        }
    }

    pub(crate) fn scanner(&self) -> &scan::Scanner {
        &self.scanner
    }
}
