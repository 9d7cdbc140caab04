//! Plain-text postings: headings and bullets are recognised by their look,
//! as a person skimming the text would.

use std::sync::LazyLock;

use regex::Regex;

use super::sections;
use super::{BlockKind, MappedBuilder, MappedText, RawBlock, close_block};

/// A bullet or number at the start of a line, with the blanks after it.
static BULLET: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*(?:[-*+\u{2022}\u{25CF}\u{25E6}\u{25AA}\u{25AB}\u{2023}\u{00B7}\u{2043}\u{2013}\u{2014}\u{25A0}\u{25A1}\u{2713}\u{2714}\u{27A2}\u{F0B7}o]|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)])[ \t]+")
        .expect("static regex")
});

/// Where the content of a bulleted line starts, if the line is a bullet
/// followed by some text.
fn bullet_content(line: &str) -> Option<usize> {
    if !may_be_bullet(line) {
        return None;
    }
    let at = BULLET.find(line)?.end();
    let next = line[at..].chars().next()?;
    (!next.is_whitespace()).then_some(at)
}

/// A cheap necessary condition for [`BULLET`]: most lines fail it on their
/// first character, which spares them the capturing search.
fn may_be_bullet(line: &str) -> bool {
    let mut chars = line.trim_start_matches([' ', '\t']).chars();
    match chars.next() {
        Some(c) if !c.is_ascii() || c.is_ascii_digit() => true,
        Some('-' | '*' | '+' | 'o' | '(') => true,
        Some(c) if c.is_ascii_alphabetic() => matches!(chars.next(), Some('.' | ')')),
        _ => false,
    }
}

/// `Label: value` lines such as `Reports to: Clinical Manager`.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[ \t]*[A-Za-z][A-Za-z /&'()\-]{1,40}:[ \t]+\S").expect("static regex")
});

/// Whether `line` starts with a label such as `Reports to:`. A label is at
/// most 41 characters after leading blanks, so a line with no colon near its
/// start is not one: most lines are settled by that byte search alone.
pub(crate) fn is_label(line: &str) -> bool {
    colon_near_start(line.trim_start_matches([' ', '\t'])) && LABEL.is_match(line)
}

/// Whether a `:` comes within the first 42 bytes of `text`.
pub(crate) fn colon_near_start(text: &str) -> bool {
    let head = &text.as_bytes()[..text.len().min(42)];
    memchr::memchr(b':', head).is_some()
}

/// Splits text into lines with their byte offsets, accepting `\n`, `\r\n` and `\r`.
fn lines(src: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = src.as_bytes();
    let mut ends = memchr::memchr2_iter(b'\n', b'\r', bytes);
    let mut start = 0;
    std::iter::from_fn(move || {
        loop {
            let Some(i) = ends.next() else {
                // The last line, if the text does not end with a line break.
                let last = (start < src.len()).then(|| (start, &src[start..]));
                start = src.len();
                return last;
            };
            if bytes[i] == b'\n' && i > 0 && bytes[i - 1] == b'\r' && i == start {
                // The "\n" of a "\r\n" whose "\r" ended the line already.
                start = i + 1;
                continue;
            }
            let line = (start, &src[start..i]);
            start = i + 1;
            return Some(line);
        }
    })
}

/// Whether a line reads as a heading.
fn is_heading(line: &str) -> bool {
    let t = line.trim();
    // A line of prose usually ends like one: settle it before counting.
    let hash = t.starts_with('#');
    if t.is_empty() || (!hash && t.ends_with(['.', ',', ';', '!', '?'])) {
        return false;
    }
    if !sections::short_enough_for_heading(t) {
        return false;
    }
    if hash || t.ends_with(':') {
        return true;
    }
    // All capitals (at least three letters): "QUALIFICATIONS", "WHAT YOU'LL DO".
    let mut letters = 0;
    if t.chars().filter(|c| c.is_alphabetic()).all(|c| {
        letters += 1;
        !c.is_lowercase()
    }) && letters >= 3
    {
        return true;
    }
    sections::is_heading_phrase(t)
}

pub(crate) fn parse(src: &str) -> (MappedText, Vec<RawBlock>, Vec<(String, String)>) {
    let mut b = MappedBuilder::with_capacity(src.len());
    let mut blocks = Vec::new();
    // The open block: its kind and where it starts in the normalised text.
    let mut open: Option<(BlockKind, usize)> = None;
    let mut last_end = 0;

    for (start, line) in lines(src) {
        let end = start + line.len();
        if line.trim().is_empty() || crate::suppress::is_plain_directive(line) {
            if let Some((kind, s)) = open.take() {
                close_block(&mut b, &mut blocks, kind, s, false, last_end);
            }
            continue;
        }
        if let Some(at) = bullet_content(line) {
            let content = at..line.len();
            if let Some((kind, s)) = open.take() {
                close_block(&mut b, &mut blocks, kind, s, false, last_end);
            }
            open = Some((BlockKind::ListItem, b.len()));
            b.push_source(&line[content.clone()], start + content.start);
        } else if is_heading(line) {
            if let Some((kind, s)) = open.take() {
                close_block(&mut b, &mut blocks, kind, s, false, last_end);
            }
            let text = line.trim_start_matches([' ', '\t', '#']);
            let offset = line.len() - text.len();
            let s = b.len();
            b.push_source(text, start + offset);
            close_block(&mut b, &mut blocks, BlockKind::Heading(2), s, false, end);
        } else if is_label(line) || open.is_none() {
            if let Some((kind, s)) = open.take() {
                close_block(&mut b, &mut blocks, kind, s, false, last_end);
            }
            open = Some((BlockKind::Paragraph, b.len()));
            b.push_source(line, start);
        } else {
            // A continuation line of the open paragraph or list item.
            b.mark_break();
            b.push_synthetic(" ", start);
            b.push_source(line, start);
        }
        last_end = end;
    }
    if let Some((kind, s)) = open.take() {
        close_block(&mut b, &mut blocks, kind, s, false, last_end);
    }
    (b.finish(), blocks, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_by_look() {
        assert!(is_heading("QUALIFICATIONS"));
        assert!(is_heading("What you'll bring:"));
        assert!(is_heading("Responsibilities"));
        assert!(!is_heading("Police check required"));
        assert!(!is_heading("Must have a degree."));
        assert!(!is_heading("Peer Support Worker"));
    }

    #[test]
    fn bullets() {
        for l in [
            "- item",
            "* item",
            "\u{2022} item",
            "1. item",
            "2) item",
            "a) item",
        ] {
            assert_eq!(bullet_content(l), l.find("item"), "{l}");
            assert!(may_be_bullet(l), "{l}");
        }
        assert_eq!(bullet_content("-item"), None);
        assert_eq!(bullet_content("- "), None);
        assert_eq!(bullet_content("-\u{A0}\u{A0}x"), None);
        assert_eq!(bullet_content("  12)\tTwelve"), Some(6));
        for l in [
            "- a",
            "* a",
            "\u{2022} a",
            "o a",
            "1. a",
            "12) a",
            "(a) a",
            "b. a",
            "  - a",
        ] {
            assert!(may_be_bullet(l), "{l}");
        }
        assert!(!may_be_bullet("Item one"));
        assert_eq!(bullet_content("Item"), None);
    }

    #[test]
    fn labels() {
        assert!(is_label("Reports to: Clinical Manager"));
        assert!(is_label("  Education: none required"));
        let longest = format!("A{}: value", "b".repeat(40));
        assert!(is_label(&longest));
        assert!(!is_label(&format!("A{}: value", "b".repeat(41))));
        assert!(!is_label(
            "We are hiring a peer support worker for our team: apply"
        ));
        assert!(!is_label("No colon here"));
    }

    #[test]
    fn crlf_and_cr_lines() {
        let l: Vec<_> = lines("a\r\nb\rc\nd").collect();
        assert_eq!(l, vec![(0, "a"), (3, "b"), (5, "c"), (7, "d")]);
        let l: Vec<_> = lines("\r\n\r\nx\n\ny\r").collect();
        assert_eq!(l, vec![(0, ""), (2, ""), (4, "x"), (6, ""), (7, "y")]);
        assert_eq!(lines("").count(), 0);
        assert_eq!(lines("\n").collect::<Vec<_>>(), vec![(0, "")]);
    }
}
