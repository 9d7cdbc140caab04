//! rustc-style output for people: each finding with its source line, the
//! match underlined, the statement citations and a suggestion.
//!
//! Written by hand rather than with a snippet crate: a finding always sits on
//! one line of prose, and the `= cite:` lines are driftlint's own.

use std::io::{self, Write};

use super::{FileReport, Reporter, Summary};
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

/// The part of a long line around `start..end`, with `...` where it is cut,
/// and the match's character offset in it.
fn window(chars: &[char], start: usize, end: usize) -> (String, usize) {
    if chars.len() <= 2 * CONTEXT + (end - start) + 20 {
        return (chars.iter().collect(), start);
    }
    let from = start.saturating_sub(CONTEXT);
    let to = (end + CONTEXT).min(chars.len());
    let mut shown = String::new();
    let mut offset = start - from;
    if from > 0 {
        shown.push_str("...");
        offset += 3;
    }
    shown.extend(&chars[from..to]);
    if to < chars.len() {
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
            let chars: Vec<char> = line.chars().collect();
            let start = (f.column - 1).min(chars.len());
            let end = if f.end_line == f.line {
                (f.end_column - 1).clamp(start, chars.len())
            } else {
                chars.len()
            };
            let (shown, offset) = window(&chars, start, end);
            writeln!(
                out,
                "{} {bar} {}",
                self.paint("1;34", &f.line.to_string()),
                display_line(&shown)
            )?;
            let before: String = shown.chars().take(offset).collect();
            let matched: String = chars[start..end.max(start)].iter().collect();
            let marks = "^".repeat(display_width(&matched).max(1));
            writeln!(
                out,
                "{pad} {bar} {}{} {}",
                " ".repeat(display_width(&before)),
                self.paint(code, &marks),
                self.paint(code, f.strength.as_str())
            )?;
            for c in &f.citations {
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
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
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
