//! Finding rule matches in a document: one pass of the shared prefilter over
//! the whole text, then each candidate rule's own regexes in the units where
//! they match, judged in context.

use std::ops::Range;

use super::context::{judge, negated, window};
use super::scan::{Hit, List};
use super::{Pattern, Rule, RuleKind, RuleSet, Severity};
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
/// The shared prefilter names the units each rule regex matches in; only
/// those regexes are then searched, and only in those units. A unit is
/// searched with the text before it in view, so `\b` and `^` see what
/// precedes it.
pub fn find(doc: &Document, rules: &RuleSet) -> Vec<Candidate> {
    find_many(&[doc], rules).pop().unwrap_or_default()
}

/// [`find`] for several documents at once, with the same results. The work
/// is done rule by rule across the documents rather than document by
/// document, so each rule's regexes are used many times in a row while
/// their automata are still in the processor's caches.
pub fn find_many(docs: &[&Document], rules: &RuleSet) -> Vec<Vec<Candidate>> {
    let hits: Vec<Vec<Hit>> = docs.iter().map(|d| rules.scanner().hits(d)).collect();
    let mut out = vec![Vec::new(); docs.len()];
    // (rule, document, unit, pattern): pattern rules never match in headings.
    let mut pattern_hits: Vec<(usize, usize, usize, usize)> = Vec::new();
    for (di, (doc, hits)) in docs.iter().zip(&hits).enumerate() {
        pattern_hits.extend(
            hits.iter()
                .filter(|h| h.owner.list == List::Pattern)
                .filter(|h| {
                    let unit = &doc.units[h.unit];
                    !doc.blocks[unit.block].is_heading()
                        && rules.rules()[h.owner.rule].in_scope(unit.section)
                })
                .map(|h| (h.owner.rule, di, h.unit, h.owner.index)),
        );
    }
    sort_hits(&mut pattern_hits);
    for group in pattern_hits.chunk_by(|a, b| (a.0, a.1, a.2) == (b.0, b.1, b.2)) {
        let (ri, di, ui, _) = group[0];
        let rule = &rules.rules()[ri];
        if rule.kind == RuleKind::Pattern {
            let pats = group.iter().map(|h| h.3);
            unit_rule(docs[di], ri, rule, ui, pats, &mut out[di]);
        }
    }
    for (ri, rule) in rules.rules().iter().enumerate() {
        if rule.kind != RuleKind::Document {
            continue;
        }
        for (di, (doc, hits)) in docs.iter().zip(&hits).enumerate() {
            let start = hits.partition_point(|h| h.owner.rule < ri);
            let end = hits.partition_point(|h| h.owner.rule <= ri);
            document_rule(doc, ri, rule, &hits[start..end], &mut out[di]);
        }
    }
    for candidates in &mut out {
        candidates.sort_by_key(|c| (c.clean.start, c.rule));
    }
    out
}

/// Non-empty matches of `re` inside unit `ui`, in text order, with the text
/// before the unit in view for look-behind (`\b`, `^`). Lazy: judging
/// usually stops at the first match, and the search for the next is skipped.
struct UnitMatches<'a> {
    re: &'a Pattern,
    hay: &'a str,
    at: usize,
}

impl<'a> UnitMatches<'a> {
    fn new(doc: &'a Document, re: &'a Pattern, ui: usize) -> UnitMatches<'a> {
        let span = doc.units[ui].clean.clone();
        UnitMatches {
            re,
            hay: &doc.text()[..span.end],
            at: span.start,
        }
    }
}

impl Iterator for UnitMatches<'_> {
    type Item = Range<usize>;

    fn next(&mut self) -> Option<Range<usize>> {
        while self.at < self.hay.len() {
            let m = self.re.find_at(self.hay, self.at)?;
            self.at = m.end.max(m.start + 1);
            while self.at < self.hay.len() && !self.hay.is_char_boundary(self.at) {
                self.at += 1;
            }
            if m.end > m.start {
                return Some(m);
            }
        }
        None
    }
}

/// Sorts (rule, document, unit, pattern) tuples. Packed into one number
/// each (when every part fits in 32 bits, as in any real batch) they sort
/// several times faster than as tuples.
fn sort_hits(hits: &mut [(usize, usize, usize, usize)]) {
    let pack = |&(r, d, u, p): &(usize, usize, usize, usize)| -> Option<u128> {
        let f = |x: usize| u32::try_from(x).ok().map(u128::from);
        Some(f(r)? << 96 | f(d)? << 64 | f(u)? << 32 | f(p)?)
    };
    let Some(mut keys) = hits.iter().map(pack).collect::<Option<Vec<u128>>>() else {
        hits.sort_unstable();
        return;
    };
    keys.sort_unstable();
    let part = |k: u128, shift: u32| (k >> shift) as u32 as usize;
    for (h, k) in hits.iter_mut().zip(keys) {
        *h = (part(k, 96), part(k, 64), part(k, 32), part(k, 0));
    }
}

/// Judges the matches of `rule`'s patterns `pats` in unit `ui`: one finding
/// per rule per unit, the first match that survives context. Matches are
/// taken in order of start (longest first) across the patterns.
fn unit_rule(
    doc: &Document,
    ri: usize,
    rule: &Rule,
    ui: usize,
    pats: impl Iterator<Item = usize>,
    out: &mut Vec<Candidate>,
) {
    let mut streams: Vec<std::iter::Peekable<UnitMatches>> = pats
        .map(|pi| UnitMatches::new(doc, &rule.patterns[pi], ui).peekable())
        .collect();
    let unit = &doc.units[ui];
    let sentence = doc.unit_text(ui);
    let base = unit.clean.start;
    loop {
        let next = streams
            .iter_mut()
            .enumerate()
            .filter_map(|(i, s)| s.peek().map(|m| (m.start, std::cmp::Reverse(m.end), i)))
            .min();
        let Some((_, _, i)) = next else { return };
        let Some(m) = streams[i].next() else { return };
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

/// The first match of a `list` regex in an in-scope unit (headings
/// included), not negated, going by `hits` (one rule's, sorted).
fn present(
    doc: &Document,
    rule: &Rule,
    hits: &[Hit],
    list: List,
    negation: bool,
) -> Option<Range<usize>> {
    let res = match list {
        List::When => &rule.when,
        List::Absent => &rule.absent,
        List::Pattern => &rule.patterns,
    };
    let text = doc.text();
    let mut found: Option<Range<usize>> = None;
    for h in hits.iter().filter(|h| h.owner.list == list) {
        let unit = &doc.units[h.unit];
        if !rule.in_scope(unit.section) || found.as_ref().is_some_and(|f| f.end <= unit.clean.start)
        {
            continue;
        }
        for m in UnitMatches::new(doc, &res[h.owner.index], h.unit) {
            if negation {
                let s = &text[unit.clean.clone()];
                let (a, b) = (m.start - unit.clean.start, m.end - unit.clean.start);
                let w = window(s, &(a..b));
                if negated(&s[w.start..a], &s[b..w.end]) {
                    continue;
                }
            }
            if found.as_ref().is_none_or(|f| m.start < f.start) {
                found = Some(m);
            }
            break;
        }
    }
    found
}

fn document_rule(doc: &Document, ri: usize, rule: &Rule, hits: &[Hit], out: &mut Vec<Candidate>) {
    let Some(severity) = rule.severity.unspecified.or(rule.severity.max()) else {
        return;
    };
    let Some(at) = present(doc, rule, hits, List::When, false) else {
        return;
    };
    if present(doc, rule, hits, List::Absent, rule.context.negation).is_some() {
        return;
    }
    out.push(Candidate {
        rule: ri,
        clean: at,
        strength: Strength::Unspecified,
        severity,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;

    /// The lazy DFA pass and the unit-by-unit fallback find the same
    /// candidates in every shipped fixture and in text built to cross units.
    #[test]
    fn fallback_scan_finds_the_same() {
        let rules = RuleSet::builtin().expect("built-in rules");
        let fallback = rules.with_scanner(rules.scanner().without_dfa());
        let mut texts: Vec<(String, Format)> = Vec::new();
        for entry in std::fs::read_dir("fixtures").expect("fixtures") {
            let path = entry.expect("entry").path();
            let name = path.to_string_lossy().to_string();
            if name.ends_with(".md") || name.ends_with(".txt") {
                let text = std::fs::read_to_string(&path).expect("fixture");
                texts.push((text, Format::from_path(&name)));
            }
        }
        texts.push((
            "## Duties\n- Monitor medication\n- compliance and drive clients\n\n\
             Degree\nrequired. Police\ncheck is not required.\n"
                .to_string(),
            Format::Markdown,
        ));
        assert!(texts.len() > 10);
        for (text, format) in &texts {
            let doc = Document::parse(text, *format);
            let a = find(&doc, &rules);
            let b = find(&doc, &fallback);
            assert_eq!(a, b, "{text}");
        }
    }

    /// Matching many postings together, rule by rule, finds for each what
    /// matching it alone finds.
    #[test]
    fn packed_sort_sorts_like_tuples() {
        let mut hits = vec![
            (3, 0, 9, 1),
            (1, 2, 0, 0),
            (1, 0, 5, 2),
            (1, 0, 5, 0),
            (0, 7, 1, 1),
        ];
        let mut expected = hits.clone();
        expected.sort_unstable();
        sort_hits(&mut hits);
        assert_eq!(hits, expected);
        let mut big = vec![(1, 0, usize::MAX, 0), (0, 0, 0, 0)];
        sort_hits(&mut big);
        assert_eq!(big, vec![(0, 0, 0, 0), (1, 0, usize::MAX, 0)]);
    }

    #[test]
    fn many_at_once_finds_the_same_as_one_by_one() {
        let rules = RuleSet::builtin().expect("built-in rules");
        let mut docs = Vec::new();
        for entry in std::fs::read_dir("fixtures").expect("fixtures") {
            let path = entry.expect("entry").path();
            let name = path.to_string_lossy().to_string();
            if name.ends_with(".md") || name.ends_with(".txt") {
                let text = std::fs::read_to_string(&path).expect("fixture");
                docs.push(Document::parse(&text, Format::from_path(&name)));
            }
        }
        let refs: Vec<&Document> = docs.iter().collect();
        let together = find_many(&refs, &rules);
        assert_eq!(together.len(), docs.len());
        assert!(together.iter().filter(|c| !c.is_empty()).count() > 10);
        for (doc, found) in docs.iter().zip(&together) {
            assert_eq!(&find(doc, &rules), found);
        }
    }
}
