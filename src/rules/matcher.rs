//! Finding rule matches in a document: one pass of the shared prefilter over
//! the whole text, then each candidate rule's own patterns, judged in context.

use std::collections::BTreeMap;
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
pub fn find(doc: &Document, rules: &RuleSet) -> Vec<Candidate> {
    let text = doc.text();
    let mut out = Vec::new();
    // Patterns that match somewhere, grouped by rule.
    let mut hits: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for set_index in rules.prefilter().matches(text).iter() {
        let (ri, pi) = rules.owner(set_index);
        hits.entry(ri).or_default().push(pi);
    }
    for (ri, pats) in hits {
        let rule = &rules.rules()[ri];
        if rule.kind == RuleKind::Pattern {
            pattern_rule(doc, ri, rule, &pats, &mut out);
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

/// Matches of `rule`'s patterns, grouped by the unit that holds them.
///
/// Patterns run over the whole text once; a match that runs across a unit
/// boundary (`\s` also matches the line break between blocks) is searched
/// again inside each unit it touches, so it cannot hide a real match.
fn matches_by_unit(
    doc: &Document,
    rule: &Rule,
    pats: &[usize],
    headings: bool,
) -> BTreeMap<usize, Vec<Range<usize>>> {
    let text = doc.text();
    let mut by_unit: BTreeMap<usize, Vec<Range<usize>>> = BTreeMap::new();
    let mut keep = |ui: usize, m: Range<usize>| {
        let unit = &doc.units[ui];
        if (headings || !doc.blocks[unit.block].is_heading()) && rule.in_scope(unit.section) {
            by_unit.entry(ui).or_default().push(m);
        }
    };
    for &pi in pats {
        let re = &rule.patterns[pi];
        for m in re.find_iter(text) {
            if m.start() == m.end() {
                continue;
            }
            // Units the match touches: those ending after its start and
            // starting before its end.
            let first = doc.units.partition_point(|u| u.clean.end <= m.start());
            let last = doc.units.partition_point(|u| u.clean.start < m.end());
            if first >= last {
                continue;
            }
            let unit = &doc.units[first].clean;
            if unit.start <= m.start() && m.end() <= unit.end {
                keep(first, m.range());
                continue;
            }
            for ui in first..last {
                let span = doc.units[ui].clean.clone();
                let hay = &text[..span.end];
                let mut at = span.start;
                while at < span.end {
                    let Some(mm) = re.find_at(hay, at) else { break };
                    if mm.end() > mm.start() {
                        keep(ui, mm.range());
                    }
                    at = mm.end().max(mm.start() + 1);
                }
            }
        }
    }
    by_unit
}

fn pattern_rule(doc: &Document, ri: usize, rule: &Rule, pats: &[usize], out: &mut Vec<Candidate>) {
    for (ui, mut ms) in matches_by_unit(doc, rule, pats, false) {
        ms.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        let unit = &doc.units[ui];
        let sentence = doc.unit_text(ui);
        let base = unit.clean.start;
        // One finding per rule per unit: the first match that survives context.
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
                break;
            }
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
