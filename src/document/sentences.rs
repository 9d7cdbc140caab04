//! Cutting blocks into units: sentences, and lines that stand on their own.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::plain::{colon_near_start, is_label};
use super::sections::classify;
use super::{Block, MappedText, Unit};

/// Words after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "e.g", "i.e", "etc", "dr", "mr", "mrs", "ms", "st", "no", "vs", "approx", "incl", "inc", "ltd",
    "jr", "sr", "min", "max", "dept", "ext", "hrs", "yrs", "sq", "ave", "mt", "ft", "b.a", "b.sc",
    "m.a", "m.sc", "ph.d", "u.s", "u.k", "b.s.w", "m.s.w", "cert", "dip", "assoc", "govt",
];

/// The start of a label such as `Reports to:` (used to open a new unit at a line break).
static LABEL_START: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z][A-Za-z /&'()\-]{1,40}:\s").expect("static regex"));

/// Sentence ends inside `text` (exclusive offsets, relative to `text`),
/// into `ends`. `breaks` are line breaks at `base + offset in text`.
fn sentence_ends(text: &str, breaks: &[usize], base: usize, ends: &mut Vec<usize>) {
    let bytes = text.as_bytes();
    ends.clear();
    for i in memchr::memchr3_iter(b'.', b'!', b'?', bytes) {
        let c = bytes[i];
        // Closing quotes and brackets belong to the sentence they end.
        let mut end = i + 1;
        while end < bytes.len() && matches!(bytes[end], b'"' | b'\'' | b')' | b']') {
            end += 1;
        }
        if end < bytes.len() && bytes[end] != b' ' {
            continue;
        }
        let rest = text[end..].trim_start();
        let Some(next) = rest.chars().next() else {
            continue;
        };
        if !(next.is_uppercase()
            || next.is_ascii_digit()
            || matches!(next, '"' | '\'' | '(' | '-' | '*'))
        {
            continue;
        }
        if c == b'.' {
            let word_start = text[..i]
                .rfind(|ch: char| ch.is_whitespace() || ch == '(')
                .map_or(0, |p| p + 1);
            let word = &text[word_start..i];
            if ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
                || (word.len() == 1 && word.chars().all(|ch| ch.is_alphabetic()))
            {
                continue;
            }
        }
        ends.push(end);
    }
    // A line break ends a unit when the line before ends like a sentence or a
    // label, or when the next line starts a label of its own.
    for at in breaks.iter().map(|b| b - base) {
        if at == 0 || at >= text.len() {
            continue;
        }
        let before = text[..at].trim_end();
        let after = text[at..].trim_start();
        if before.ends_with(['.', '!', '?', ':', ';'])
            || (colon_near_start(after) && LABEL_START.is_match(after))
        {
            ends.push(at);
        }
    }
    ends.sort_unstable();
    ends.dedup();
}

/// Splits every non-heading block into units; headings are one unit each.
pub(crate) fn units(mapped: &MappedText, blocks: &[Block]) -> Vec<Unit> {
    let text = &mapped.text;
    let mut out = Vec::new();
    let mut ends = Vec::new();
    for (bi, block) in blocks.iter().enumerate() {
        let range = block.clean.clone();
        let btext = &text[range.clone()];
        let lo = mapped.breaks.partition_point(|&b| b < range.start);
        let hi = mapped.breaks.partition_point(|&b| b < range.end);
        if block.is_heading() {
            ends.clear();
        } else {
            sentence_ends(btext, &mapped.breaks[lo..hi], range.start, &mut ends);
        }
        let mut start = 0;
        for &end in ends.iter().chain(std::iter::once(&btext.len())) {
            if let Some(r) = trimmed(btext, start..end) {
                out.push(unit(
                    text,
                    range.start + r.start..range.start + r.end,
                    bi,
                    block,
                ));
            }
            start = end;
        }
    }
    out
}

fn trimmed(text: &str, r: Range<usize>) -> Option<Range<usize>> {
    let s = &text[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    (r.start + lead < r.end - trail).then(|| r.start + lead..r.end - trail)
}

fn unit(text: &str, clean: Range<usize>, block: usize, b: &Block) -> Unit {
    let mut u = Unit {
        clean: clean.clone(),
        block,
        section: b.section,
        hint: b.hint,
    };
    // `Reports to: ...`, `Education: ...`: the label names the section.
    if !b.is_heading()
        && is_label(&text[clean.clone()])
        && let Some((label, _)) = text[clean].split_once(':')
        && let Some((section, hint)) = classify(label)
    {
        u.section = section;
        u.hint = hint;
    }
    u
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut ends = Vec::new();
        sentence_ends(text, &[], 0, &mut ends);
        for end in ends.into_iter().chain([text.len()]) {
            out.push(text[start..end].trim());
            start = end;
        }
        out
    }

    #[test]
    fn sentences() {
        assert_eq!(
            split(
                "You will run groups. A B.A. is not required! Is it? Yes (e.g. Dr. Smith) 3.5 hours."
            ),
            vec![
                "You will run groups.",
                "A B.A. is not required!",
                "Is it?",
                "Yes (e.g. Dr. Smith) 3.5 hours."
            ]
        );
    }

    #[test]
    fn labels_and_sentence_lines_split_at_breaks() {
        let t = "Position: Peer Worker Reports to: Manager";
        let at = t.find("Reports").unwrap() - 1;
        let mut ends = Vec::new();
        sentence_ends(t, &[at + 100], 100, &mut ends);
        assert_eq!(ends, vec![at]);
        let t = "support peers in their own goals and choices";
        sentence_ends(t, &[8], 0, &mut ends);
        assert!(ends.is_empty());
    }
}
