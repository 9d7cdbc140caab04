//! rustc-style output for people: each finding with its source line, the
//! match underlined, the statement citations and a suggestion.
//!
//! Written by hand rather than with a snippet crate: a finding always sits on
//! one line of prose, and the `= cite:` lines are driftlint's own.

use std::io::{self, Write};

use super::{FileReport, Reporter, Summary, plural};
use crate::Severity;
use crate::lines::LineIndex;

pub struct Human {
    color: bool,
    quiet: bool,
}

impl Human {
    pub fn new(color: bool) -> Human {
        Human {
            color,
            quiet: false,
        }
    }

    /// Findings only: no summary line.
    pub fn quiet(mut self, quiet: bool) -> Human {
        self.quiet = quiet;
        self
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    fn severity_code(sev: Severity) -> &'static str {
        match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Info => "1;36",
        }
    }
}

/// Replaces tabs so the underline lines up; returns display text.
fn display_line(line: &str) -> String {
    line.replace('\t', "    ")
}

/// Characters of context shown either side of a match on a long line.
const CONTEXT: usize = 50;

/// The part of `line` around the match at bytes `start..end`, with `...`
/// where it is cut, and the match's character offset in it. Only the
/// characters near the match are looked at, so thousands of findings on one
/// 50 MB line cost no more than their snippets.
fn window(line: &str, start: usize, end: usize) -> (String, usize) {
    let (head, tail) = (&line[..start], &line[end..]);
    // Counted up to a little past what decides whether the line is cut.
    let cap = 2 * CONTEXT + 21;
    let before = head.chars().rev().take(cap).count();
    let after = tail.chars().take(cap).count();
    if before + after <= 2 * CONTEXT + 20 {
        return (line.to_string(), before);
    }
    let from = head
        .char_indices()
        .rev()
        .take(CONTEXT)
        .last()
        .map_or(head.len(), |(i, _)| i);
    let to = tail
        .char_indices()
        .nth(CONTEXT)
        .map_or(tail.len(), |(i, _)| i);
    let mut shown = String::new();
    let mut offset = before.min(CONTEXT);
    if from > 0 {
        shown.push_str("...");
        offset += 3;
    }
    shown.push_str(&head[from..]);
    shown.push_str(&line[start..end]);
    shown.push_str(&tail[..to]);
    if to < tail.len() {
        shown.push_str("...");
    }
    (shown, offset)
}

fn display_width(s: &str) -> usize {
    s.chars().map(|c| if c == '\t' { 4 } else { 1 }).sum()
}

impl Reporter for Human {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        if r.findings.is_empty() {
            return Ok(());
        }
        let lines = LineIndex::new(&r.text);
        for f in &r.findings {
            let code = Self::severity_code(f.severity);
            let head = format!("{}[{} {}]", f.severity, f.rule, f.name);
            writeln!(
                out,
                "{}{} {}",
                self.paint(code, &head),
                self.paint("1", ":"),
                self.paint("1", &f.message)
            )?;
            let gutter = f.line.to_string().len();
            let pad = " ".repeat(gutter);
            let bar = self.paint("1;34", "|");
            writeln!(
                out,
                "{pad}{} {}:{}:{}",
                self.paint("1;34", "-->"),
                r.path,
                f.line,
                f.column
            )?;
            writeln!(out, "{pad} {bar}")?;
            let line = lines.line_text(&r.text, f.line);
            // The match's bytes in its line (to the line's end when it goes on).
            let line_start = lines.line_start(f.line).unwrap_or(0);
            let in_line = |at: usize| {
                let mut at = at.saturating_sub(line_start).min(line.len());
                while !line.is_char_boundary(at) {
                    at -= 1;
                }
                at
            };
            let start = in_line(f.byte_start);
            let end = if f.end_line == f.line {
                in_line(f.byte_end).max(start)
            } else {
                line.len()
            };
            let (shown, offset) = window(line, start, end);
            writeln!(
                out,
                "{} {bar} {}",
                self.paint("1;34", &f.line.to_string()),
                display_line(&shown)
            )?;
            let before: String = shown.chars().take(offset).collect();
            let marks = "^".repeat(display_width(&line[start..end]).max(1));
            writeln!(
                out,
                "{pad} {bar} {}{} {}",
                " ".repeat(display_width(&before)),
                self.paint(code, &marks),
                self.paint(code, f.strength.as_str())
            )?;
            for c in f.citations.iter() {
                writeln!(
                    out,
                    "{pad} {} cite: {}",
                    self.paint("1;34", "="),
                    c.display()
                )?;
            }
            writeln!(
                out,
                "{pad} {} help: {}",
                self.paint("1;34", "="),
                f.suggestion
            )?;
            writeln!(out)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        if self.quiet {
            return Ok(());
        }
        let mut line = if s.findings == 0 {
            format!("No drift found in {}", plural(s.files, "file"))
        } else {
            format!(
                "Found {}, {}, {} info in {}",
                plural(s.error, "error"),
                plural(s.warning, "warning"),
                s.info,
                plural(s.files, "file"),
            )
        };
        if s.unreadable > 0 {
            line.push_str(&format!(
                "; {} could not be read",
                plural(s.unreadable, "file")
            ));
        }
        writeln!(out, "{}", self.paint("1", &line))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(line: &str, m: &str) -> (String, usize) {
        let start = line.find(m).expect("match in line");
        window(line, start, start + m.len())
    }

    #[test]
    fn short_lines_are_shown_whole() {
        assert_eq!(
            cut("- Degree \u{e9} required", "Degree"),
            ("- Degree \u{e9} required".into(), 2)
        );
    }

    #[test]
    fn long_lines_are_cut_around_the_match() {
        let line = format!("{}Degree{}", "\u{e9}".repeat(200), "x".repeat(200));
        let (shown, offset) = cut(&line, "Degree");
        assert_eq!(
            shown,
            format!(
                "...{}Degree{}...",
                "\u{e9}".repeat(CONTEXT),
                "x".repeat(CONTEXT)
            )
        );
        assert_eq!(offset, CONTEXT + 3);
        // Near the start: nothing cut before the match.
        let line = format!("ab Degree{}", "x".repeat(200));
        let (shown, offset) = cut(&line, "Degree");
        assert_eq!(shown, format!("ab Degree{}...", "x".repeat(CONTEXT)));
        assert_eq!(offset, 3);
    }
}
