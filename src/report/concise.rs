//! One line per finding, `path:line:col: severity DL101 message`, for
//! editors, grep and quick looks; the summary line is the human report's.

use std::io::{self, Write};

use super::{FileReport, Human, Reporter, Summary};

pub struct Concise;

impl Reporter for Concise {
    fn file(&mut self, out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        if let Some(err) = &r.error {
            writeln!(out, "{}: error: {err}", r.path)?;
        }
        for f in &r.findings {
            writeln!(
                out,
                "{}:{}:{}: {} {} {}",
                r.path, f.line, f.column, f.severity, f.rule, f.message
            )?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        Human::new(false).finish(out, summary)
    }
}
