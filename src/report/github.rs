//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
//! annotation per finding, then a plain summary line (GitHub shows only the
//! first few annotations of a step, so the totals are printed too).

use std::io::{self, Write};

use super::{FileReport, Reporter, Summary, plural};
use crate::Severity;

/// Escapes a command's message (its data) as the Actions toolkit does.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value: as data, and `:` and `,` too.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

pub struct Github;

impl Reporter for Github {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        let file = escape_property(&r.path);
        if let Some(err) = &r.error {
            writeln!(
                out,
                "::error file={file}::{}",
                escape_data(&format!("cannot read: {err}"))
            )?;
        }
        for f in &r.findings {
            writeln!(
                out,
                "::{} file={file},line={},col={},endLine={},endColumn={},title={}::{}",
                command(f.severity),
                f.line,
                f.column,
                f.end_line,
                f.end_column,
                escape_property(&format!("{} {}", f.rule, f.name)),
                escape_data(&f.message)
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let mut line = format!(
            "driftlint: {}, {}, {} info in {}",
            plural(s.error, "error"),
            plural(s.warning, "warning"),
            s.info,
            plural(s.files, "file"),
        );
        if s.unreadable > 0 {
            line.push_str(&format!(
                " ({} could not be read)",
                plural(s.unreadable, "file")
            ));
        }
        writeln!(out, "{line}")
    }
}
