//! Inline suppression: `driftlint-disable` directives in a posting.
//!
//! In Markdown they are HTML comments, in plain text lines starting with `#`
//! or `//`:
//!
//! ```text
//! <!-- driftlint-disable DL101 police-check -- reviewed by the hiring panel -->
//! <!-- driftlint-enable DL101 police-check -->
//! <!-- driftlint-disable-next-line DL601 -->
//! <!-- driftlint-disable-file -->
//! # driftlint-disable-next-line credential
//! ```
//!
//! A directive names rule ids, names or categories (none means all) and may
//! give a reason after `--`. A directive that suppresses nothing is reported,
//! as ruff reports an unused `noqa`.

use std::sync::LazyLock;

use regex::Regex;

use crate::Finding;
use crate::document::{Format, Strength};
use crate::lines::LineIndex;
use crate::rules::{RuleSet, Severity};

/// Id and name of the finding for a directive that suppresses nothing.
pub const UNUSED_ID: &str = "DL001";
pub const UNUSED_NAME: &str = "unused-suppression";
pub const UNUSED_CATEGORY: &str = "suppression";

static MARKDOWN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"<!--\s*driftlint-(disable-next-line|disable-file|disable|enable)\b(.*?)-->")
        .expect("static regex")
});

static PLAIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^[ \t]*(?:#|//)[ \t]*driftlint-(disable-next-line|disable-file|disable|enable)\b([^\r\n]*)")
        .expect("static regex")
});

/// Whether a plain-text line is a directive (the plain reader skips them).
pub fn is_plain_directive(line: &str) -> bool {
    PLAIN.is_match(line)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Disable,
    Enable,
    DisableNextLine,
    DisableFile,
}

#[derive(Debug, Clone)]
pub struct Directive {
    pub kind: Kind,
    /// Rule ids, names or categories; empty means every rule.
    pub selectors: Vec<String>,
    pub reason: Option<String>,
    pub span: std::ops::Range<usize>,
    pub line: usize,
}

/// Finds the directives in a posting.
pub fn parse(text: &str, format: Format) -> Vec<Directive> {
    let re = match format {
        Format::Markdown => &*MARKDOWN,
        Format::Plain => &*PLAIN,
    };
    let lines = LineIndex::new(text);
    re.captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let kind = match c.get(1)?.as_str() {
                "disable" => Kind::Disable,
                "enable" => Kind::Enable,
                "disable-next-line" => Kind::DisableNextLine,
                _ => Kind::DisableFile,
            };
            let args = c.get(2).map_or("", |m| m.as_str());
            let (names, reason) = match args.split_once("--") {
                Some((n, r)) => (n, Some(r.trim().to_string()).filter(|r| !r.is_empty())),
                None => (args, None),
            };
            let selectors = names
                .split([' ', '\t', ','])
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect();
            Some(Directive {
                kind,
                selectors,
                reason,
                span: whole.range(),
                line: lines.position(text, whole.start()).0,
            })
        })
        .collect()
}

fn names(sel: &str, f: &Finding) -> bool {
    sel.eq_ignore_ascii_case(&f.rule) || sel == f.name || sel == f.category
}

fn covers(d: &Directive, f: &Finding) -> bool {
    d.selectors.is_empty() || d.selectors.iter().any(|s| names(s, f))
}

/// Lines (inclusive start, exclusive end) each directive covers.
fn extent(directives: &[Directive], i: usize, text: &str, lines: &LineIndex) -> (usize, usize) {
    let d = &directives[i];
    match d.kind {
        Kind::DisableFile => (0, usize::MAX),
        Kind::Enable => (0, 0),
        Kind::DisableNextLine => {
            // The next line with text on it.
            let mut next = d.line + 1;
            while next < lines.count() && lines.line_text(text, next).trim().is_empty() {
                next += 1;
            }
            (next, next + 1)
        }
        Kind::Disable => {
            let end = directives[i + 1..]
                .iter()
                .find(|e| {
                    e.kind == Kind::Enable
                        && (e.selectors.is_empty()
                            || e.selectors.iter().any(|s| d.selectors.contains(s)))
                })
                .map_or(usize::MAX, |e| e.line);
            (d.line, end)
        }
    }
}

/// Drops suppressed findings and adds one for each directive that
/// suppressed nothing or names no rule.
pub fn apply(text: &str, format: Format, findings: Vec<Finding>, rules: &RuleSet) -> Vec<Finding> {
    let directives = parse(text, format);
    if directives.is_empty() {
        return findings;
    }
    let lines = LineIndex::new(text);
    let extents: Vec<(usize, usize)> = (0..directives.len())
        .map(|i| extent(&directives, i, text, &lines))
        .collect();
    let mut used = vec![false; directives.len()];
    let mut kept: Vec<Finding> = findings
        .into_iter()
        .filter(|f| {
            let mut suppressed = false;
            for (i, d) in directives.iter().enumerate() {
                let (from, to) = extents[i];
                if d.kind != Kind::Enable && from <= f.line && f.line < to && covers(d, f) {
                    used[i] = true;
                    suppressed = true;
                }
            }
            !suppressed
        })
        .collect();
    for (i, d) in directives.iter().enumerate() {
        if d.kind == Kind::Enable {
            continue;
        }
        let unknown: Vec<&String> = d
            .selectors
            .iter()
            .filter(|s| !rules.rules().iter().any(|r| r.matches_selector(s)))
            .collect();
        let message = if !unknown.is_empty() {
            let list: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
            format!(
                "This driftlint directive names no known rule: {}",
                list.join(", ")
            )
        } else if !used[i] {
            "This driftlint directive suppresses nothing".to_string()
        } else {
            continue;
        };
        let (line, column) = lines.position(text, d.span.start);
        let (end_line, end_column) = lines.position(text, d.span.end);
        kept.push(Finding {
            rule: UNUSED_ID.into(),
            name: UNUSED_NAME.into(),
            category: UNUSED_CATEGORY.into(),
            severity: Severity::Warning,
            strength: Strength::Unspecified,
            line,
            column,
            end_line,
            end_column,
            byte_start: d.span.start,
            byte_end: d.span.end,
            matched: text[d.span.clone()].to_string(),
            message,
            suggestion: "Remove the directive, or name the rule it is meant to silence".into(),
            citations: Vec::new(),
        });
    }
    kept.sort_by_key(|f| (f.byte_start, f.rule.clone()));
    kept
}
