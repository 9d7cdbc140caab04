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

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::Finding;
use crate::document::{Format, Strength};
use crate::lines::{LineIndex, Positions};
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
    // Almost no line mentions driftlint: a byte search settles those.
    static NAME: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new(b"driftlint-"));
    NAME.find(line.as_bytes()).is_some() && PLAIN.is_match(line)
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
    // Nearly every posting has no directive: a plain substring search says so.
    if !text.contains("driftlint-") {
        return Vec::new();
    }
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
                line: lines.line(whole.start()),
            })
        })
        .collect()
}

/// Lines (inclusive start, exclusive end) each directive covers, in one pass
/// from the last directive to the first so that thousands of directives in
/// one file cost no more than reading them.
fn extents(directives: &[Directive], text: &str, lines: &LineIndex) -> Vec<(usize, usize)> {
    let mut out = vec![(0, 0); directives.len()];
    // Lines of the nearest later `enable`: of all rules, and by selector.
    let mut enable_all = usize::MAX;
    let mut enable: HashMap<&str, usize> = HashMap::new();
    // The next line with text after a line, for the last line asked about.
    let mut next_text: Option<(usize, usize)> = None;
    for (i, d) in directives.iter().enumerate().rev() {
        out[i] = match d.kind {
            Kind::DisableFile => (0, usize::MAX),
            Kind::Enable => {
                if d.selectors.is_empty() {
                    enable_all = d.line;
                }
                for sel in &d.selectors {
                    enable.insert(sel, d.line);
                }
                (0, 0)
            }
            Kind::DisableNextLine => {
                let next = match next_text {
                    Some((line, next)) if line == d.line => next,
                    _ => {
                        let mut next = d.line + 1;
                        while next < lines.count() && lines.line_text(text, next).trim().is_empty()
                        {
                            next += 1;
                        }
                        next_text = Some((d.line, next));
                        next
                    }
                };
                (next, next + 1)
            }
            Kind::Disable => {
                // Ended by the first later `enable` of all rules or of one of
                // the rules it names.
                let end = d
                    .selectors
                    .iter()
                    .filter_map(|sel| enable.get(sel.as_str()).copied())
                    .fold(enable_all, usize::min);
                (d.line, end)
            }
        };
    }
    out
}

/// Drops the findings a directive covers and marks those directives used.
///
/// A sweep down the lines: a directive is active from the first line it
/// covers to its end, and active directives are found by the selectors they
/// name. The work grows with findings plus directives, not their product.
fn suppress(
    findings: Vec<Finding>,
    directives: &[Directive],
    extents: &[(usize, usize)],
    used: &mut [bool],
) -> Vec<Finding> {
    // A directive covers a finding when it names no rule, or one of its
    // selectors is the finding's rule id (in any case), or exactly its rule
    // name or category. As keys: `None` for every rule, `id:` for ids and
    // `name:` for names and categories.
    fn keys(d: &Directive) -> Vec<Option<String>> {
        if d.selectors.is_empty() {
            return vec![None];
        }
        d.selectors
            .iter()
            .flat_map(|s| {
                [
                    Some(format!("id:{}", s.to_ascii_lowercase())),
                    Some(format!("name:{s}")),
                ]
            })
            .collect()
    }
    let mut starts: Vec<usize> = (0..directives.len())
        .filter(|&i| directives[i].kind != Kind::Enable)
        .collect();
    starts.sort_by_key(|&i| extents[i].0);
    let mut starts = starts.into_iter().peekable();
    // Active directives per key: how many, and those not yet marked used.
    let mut active: HashMap<Option<String>, (usize, Vec<usize>)> = HashMap::new();
    let mut ends: BinaryHeap<Reverse<(usize, usize)>> = BinaryHeap::new();
    let mut order: Vec<Finding> = findings;
    order.sort_by_key(|f| f.line);
    let mut kept = Vec::with_capacity(order.len());
    for f in order {
        while let Some(i) = starts.next_if(|&i| extents[i].0 <= f.line) {
            for k in keys(&directives[i]) {
                let entry = active.entry(k).or_default();
                entry.0 += 1;
                entry.1.push(i);
            }
            ends.push(Reverse((extents[i].1, i)));
        }
        while ends.peek().is_some_and(|Reverse((end, _))| *end <= f.line) {
            let Some(Reverse((_, i))) = ends.pop() else {
                break;
            };
            for k in keys(&directives[i]) {
                if let Some(entry) = active.get_mut(&k) {
                    entry.0 -= 1;
                }
            }
        }
        let mut suppressed = false;
        let finding_keys = [
            None,
            Some(format!("id:{}", f.rule.to_ascii_lowercase())),
            Some(format!("name:{}", f.name)),
            Some(format!("name:{}", f.category)),
        ];
        for k in &finding_keys {
            if let Some((count, unused)) = active.get_mut(k)
                && *count > 0
            {
                suppressed = true;
                // Each directive is marked once; expired ones are dropped.
                for i in unused.drain(..) {
                    if extents[i].1 > f.line {
                        used[i] = true;
                    }
                }
            }
        }
        if !suppressed {
            kept.push(f);
        }
    }
    kept
}

/// Drops suppressed findings and adds one for each directive that
/// suppressed nothing or names no rule.
pub fn apply(text: &str, format: Format, findings: Vec<Finding>, rules: &RuleSet) -> Vec<Finding> {
    let directives = parse(text, format);
    if directives.is_empty() {
        return findings;
    }
    let lines = LineIndex::new(text);
    let extents = extents(&directives, text, &lines);
    let mut used = vec![false; directives.len()];
    let mut kept = suppress(findings, &directives, &extents, &mut used);
    let mut positions = Positions::new(&lines, text);
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
        let ((line, column), (end_line, end_column)) = positions.span(d.span.start, d.span.end);
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
            citations: Arc::from([]),
            element: None,
        });
    }
    kept.sort_by_key(|f| (f.byte_start, f.rule.clone()));
    kept
}
