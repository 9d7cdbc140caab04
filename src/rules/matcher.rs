//! Finding rule matches in a document: one pass of the shared prefilter over
//! the whole text, then each candidate rule's own patterns, judged in context.

use std::ops::Range;

use super::context::{judge, negated, window};
use super::{Rule, RuleKind, RuleSet, Severity};
use crate::document::{Document, Strength};

/// A judged match, before it is turned into a [`crate::Finding`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Index into [`RuleSet::rules`].
    pub rule: usize,
    /// Range in [`Document::text`].
    pub clean: Range<usize>,
    pub strength: Strength,
    pub severity: Severity,
}

/// Every finding of every rule in `doc`, in text order.
///
/// The shared prefilter runs once over each unit (headings are not matched
/// by pattern rules), naming the patterns that match there; only those
/// patterns are then searched, and only in that unit. Each unit is searched
/// with the text before it in view, so `\b` and `^` see what precedes it.
pub fn find(doc: &Document, rules: &RuleSet) -> Vec<Candidate> {
    let text = doc.text();
    let mut out = Vec::new();
    // (rule, unit, pattern) for every pattern that matches in a unit.
    let mut hits: Vec<(usize, usize, usize)> = Vec::new();
    let mut seen = vec![false; rules.prefilter().len()];
    for (ui, unit) in doc.units.iter().enumerate() {
        if doc.blocks[unit.block].is_heading() {
            continue;
        }
        let hay = &text[..unit.clean.end];
        seen.fill(false);
        if !rules
            .prefilter()
            .matches_read_at(&mut seen, hay, unit.clean.start)
        {
            continue;
        }
        for (set_index, _) in seen.iter().enumerate().filter(|(_, hit)| **hit) {
            let (ri, pi) = rules.owner(set_index);
            if rules.rules()[ri].in_scope(unit.section) {
                hits.push((ri, ui, pi));
            }
        }
    }
    hits.sort_unstable();
    for group in hits.chunk_by(|a, b| (a.0, a.1) == (b.0, b.1)) {
        let (ri, ui, _) = group[0];
        let rule = &rules.rules()[ri];
        if rule.kind == RuleKind::Pattern {
            let pats = group.iter().map(|h| h.2);
            unit_rule(doc, ri, rule, ui, pats, &mut out);
        }
    }
    for (ri, rule) in rules.rules().iter().enumerate() {
        if rule.kind == RuleKind::Document {
            document_rule(doc, ri, rule, &mut out);
        }
    }
    out.sort_by_key(|c| (c.clean.start, c.rule));
    out
}

/// Non-empty matches of `re` inside unit `ui`, with the text before the
/// unit in view for look-behind (`\b`, `^`).
fn unit_matches(doc: &Document, re: &regex::Regex, ui: usize, into: &mut Vec<Range<usize>>) {
    let span = doc.units[ui].clean.clone();
    let hay = &doc.text()[..span.end];
    let mut at = span.start;
    while at < span.end {
        let Some(m) = re.find_at(hay, at) else { break };
        if m.end() > m.start() {
            into.push(m.range());
        }
        at = m.end().max(m.start() + 1);
        while at < span.end && !hay.is_char_boundary(at) {
            at += 1;
        }
    }
}

/// Judges the matches of `rule`'s patterns `pats` in unit `ui`: one finding
/// per rule per unit, the first match that survives context.
fn unit_rule(
    doc: &Document,
    ri: usize,
    rule: &Rule,
    ui: usize,
    pats: impl Iterator<Item = usize>,
    out: &mut Vec<Candidate>,
) {
    let mut ms = Vec::new();
    for pi in pats {
        unit_matches(doc, &rule.patterns[pi], ui, &mut ms);
    }
    ms.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
    let unit = &doc.units[ui];
    let sentence = doc.unit_text(ui);
    let base = unit.clean.start;
    for m in ms {
        let rel = m.start - base..m.end - base;
        let Some(j) = judge(rule, sentence, rel, unit.hint) else {
            continue;
        };
        let severity = rule
            .severity
            .get(j.strength)
            .map(|s| match (j.lowered, j.softened) {
                (true, _) => Severity::Info,
                (false, true) => s.lower(),
                (false, false) => s,
            });
        if let Some(severity) = severity {
            out.push(Candidate {
                rule: ri,
                clean: m,
                strength: j.strength,
                severity,
            });
            return;
        }
    }
}

/// Regex matches in in-scope units (headings included), not negated.
fn present(
    doc: &Document,
    rule: &Rule,
    res: &[regex::Regex],
    negation: bool,
) -> Option<Range<usize>> {
    let text = doc.text();
    for re in res {
        for m in re.find_iter(text) {
            let Some(ui) = doc.unit_at(m.start()) else {
                continue;
            };
            let unit = &doc.units[ui];
            if m.end() > unit.clean.end || !rule.in_scope(unit.section) {
                continue;
            }
            if negation {
                let s = &text[unit.clean.clone()];
                let (a, b) = (m.start() - unit.clean.start, m.end() - unit.clean.start);
                let w = window(s, &(a..b));
                if negated(&s[w.start..a], &s[b..w.end]) {
                    continue;
                }
            }
            return Some(m.range());
        }
    }
    None
}

fn document_rule(doc: &Document, ri: usize, rule: &Rule, out: &mut Vec<Candidate>) {
    let Some(severity) = rule.severity.unspecified.or(rule.severity.max()) else {
        return;
    };
    let Some(at) = first_when(doc, rule) else {
        return;
    };
    if present(doc, rule, &rule.absent, rule.context.negation).is_some() {
        return;
    }
    out.push(Candidate {
        rule: ri,
        clean: at,
        strength: Strength::Unspecified,
        severity,
    });
}

/// The earliest `when` match in the posting.
fn first_when(doc: &Document, rule: &Rule) -> Option<Range<usize>> {
    rule.when
        .iter()
        .filter_map(|re| present(doc, rule, std::slice::from_ref(re), false))
        .min_by_key(|r| r.start)
}
