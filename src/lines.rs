//! Byte offsets to 1-based lines and columns (columns count characters).

/// Line starts of a text; `\n`, `\r\n` and a lone `\r` all end a line.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        LineIndex { starts }
    }

    /// Line (1-based) and column (1-based, in characters) of byte `at`.
    pub fn position(&self, text: &str, at: usize) -> (usize, usize) {
        let at = at.min(text.len());
        let line = self.starts.partition_point(|&s| s <= at) - 1;
        let start = self.starts[line];
        let col = text
            .get(start..at)
            .map_or(at - start, |s| s.chars().count());
        (line + 1, col + 1)
    }

    /// Line (1-based) of byte `at`.
    pub fn line(&self, at: usize) -> usize {
        self.starts.partition_point(|&s| s <= at)
    }

    /// Byte offset where line `line` (1-based) starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).copied()
    }

    /// Number of lines (a final line ending starts an empty last line).
    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// The text of line `line` (1-based) without its line ending.
    pub fn line_text<'a>(&self, text: &'a str, line: usize) -> &'a str {
        let Some(&start) = self.starts.get(line.saturating_sub(1)) else {
            return "";
        };
        let end = self.starts.get(line).copied().unwrap_or(text.len());
        text.get(start..end)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}

/// Positions of many spans, taken in text order. [`LineIndex::position`]
/// counts a line's characters from its start, which is quadratic for
/// thousands of findings on one 50 MB line; this counts on from the last
/// position asked for on the same line instead.
#[derive(Debug)]
pub struct Positions<'a> {
    index: &'a LineIndex,
    text: &'a str,
    /// The last start asked for: line (1-based), byte, column (1-based).
    last: Option<(usize, usize, usize)>,
}

impl<'a> Positions<'a> {
    pub fn new(index: &'a LineIndex, text: &'a str) -> Positions<'a> {
        Positions {
            index,
            text,
            last: None,
        }
    }

    /// Line and column of `start` and of `end`, as [`LineIndex::position`]
    /// gives them.
    pub fn span(&mut self, start: usize, end: usize) -> ((usize, usize), (usize, usize)) {
        let text = self.text;
        let chars = |from: usize, to: usize| text.get(from..to).map(|s| s.chars().count());
        let start = start.min(text.len());
        let line = self.index.line(start);
        let counted = match self.last {
            Some((l, b, c)) if l == line && b <= start => chars(b, start).map(|n| (line, c + n)),
            _ => None,
        };
        let from = counted.unwrap_or_else(|| self.index.position(text, start));
        self.last = Some((from.0, start, from.1));
        // The end: counted on from the start on the same line, else from
        // its own line's start, which the match began before.
        let end = end.clamp(start, text.len());
        let to = match chars(start, end) {
            Some(n) if self.index.line(end) == line => (line, from.1 + n),
            _ => self.index.position(text, end),
        };
        (from, to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let t = "ab\r\nc\u{e9}d\re";
        let idx = LineIndex::new(t);
        assert_eq!(idx.position(t, 0), (1, 1));
        assert_eq!(idx.position(t, 4), (2, 1));
        assert_eq!(idx.position(t, 7), (2, 3)); // after the two-byte é
        assert_eq!(idx.position(t, 9), (3, 1));
        assert_eq!(idx.line_text(t, 1), "ab");
        assert_eq!(idx.line_text(t, 2), "c\u{e9}d");
    }

    #[test]
    fn positions_agree_with_position() {
        let t = "ab\r\nc\u{e9}d\u{e9}f\re\n\u{1F600}x y\r\n";
        let idx = LineIndex::new(t);
        let offsets: Vec<usize> = (0..=t.len()).filter(|&i| t.is_char_boundary(i)).collect();
        // In order, backwards, and spans over line ends.
        let mut pos = Positions::new(&idx, t);
        for order in [offsets.clone(), offsets.iter().rev().copied().collect()] {
            for &a in &order {
                for &b in offsets.iter().filter(|&&b| b >= a).take(4) {
                    assert_eq!(
                        pos.span(a, b),
                        (idx.position(t, a), idx.position(t, b)),
                        "{a}..{b}"
                    );
                }
            }
        }
    }
}
