//! `driftlint audit`: lint many public listings at once (Markdown and text
//! files, HTML pages, Word documents, JSON Lines and CSV dumps) and report
//! how common each kind of drift is, per posting and per employer or region.
//!
//! This is [`check_stream`] with three additions: listing dumps are
//! expanded record by record with the chosen fields ([`DumpOptions`]), an
//! HTML report can be written alongside the main output, and a progress bar
//! can be drawn on standard error.

use std::io::{self, Write};
use std::path::PathBuf;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::Linter;
use crate::check::{ReadOptions, check_stream};
use crate::report::{FileReport, HtmlReport, Reporter, Summary};
use crate::source::{self, DumpOptions, Input};

/// What an audit does besides linting.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// Fields read from listing dumps.
    pub dump: DumpOptions,
    /// Also write a self-contained HTML report here.
    pub report: Option<PathBuf>,
    /// Draw a progress bar on standard error (the caller checks that it is a
    /// terminal and that the run is not `--quiet`).
    pub progress: bool,
}

/// Lints `inputs` (dumps expanded record by record), hands each result to
/// `reporter` (and the HTML report) and then to `each`, and returns the
/// totals. The HTML report file is created before anything is linted, so an
/// unwritable path fails at once.
pub fn run(
    linter: &Linter,
    inputs: Vec<Input>,
    read: &ReadOptions,
    opts: &AuditOptions,
    reporter: Box<dyn Reporter>,
    out: &mut dyn Write,
    mut each: impl FnMut(&FileReport),
) -> io::Result<Summary> {
    let mut reporters = vec![reporter];
    if let Some(path) = &opts.report {
        reporters.push(Box::new(HtmlReport::create(path)?));
    }
    let mut tee = Tee(reporters);
    let bar = opts.progress.then(|| progress_bar(&inputs));
    let inputs = source::expand(inputs, &opts.dump);
    let Some(bar) = bar else {
        return check_stream(linter, inputs, read, &mut tee, out, None, each);
    };
    let mut shown = Suspended {
        bar: &bar,
        out,
        buf: Vec::new(),
    };
    let hook = |n: usize| bar.inc(n as u64);
    let result = check_stream(
        linter,
        inputs,
        read,
        &mut tee,
        &mut shown,
        Some(&hook),
        |r| bar.suspend(|| each(r)),
    );
    let flushed = shown.flush();
    bar.finish_and_clear();
    let summary = result?;
    flushed?;
    Ok(summary)
}

/// A bar when the number of postings is known (no dumps), else a counter.
fn progress_bar(inputs: &[Input]) -> ProgressBar {
    let has_dump = inputs
        .iter()
        .any(|i| matches!(i, Input::File(p) if source::dump::is_dump(p)));
    let (bar, template) = if has_dump {
        (
            ProgressBar::new_spinner(),
            "{spinner} {pos} postings read · {rate} · {elapsed}",
        )
    } else {
        (
            ProgressBar::new(inputs.len() as u64),
            "{spinner} [{bar:32}] {pos}/{len} postings · {rate} · {eta} left",
        )
    };
    let style = ProgressStyle::with_template(template)
        .expect("valid progress template")
        .with_key(
            "rate",
            |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let _ = write!(w, "{:.0}/s", s.per_sec());
            },
        )
        .progress_chars("=> ");
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}

/// Sends every result to several reporters.
struct Tee(Vec<Box<dyn Reporter>>);

impl Reporter for Tee {
    fn file(&mut self, out: &mut dyn Write, report: &FileReport) -> io::Result<()> {
        for r in &mut self.0 {
            r.file(out, report)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        for r in &mut self.0 {
            r.finish(out, summary)?;
        }
        Ok(())
    }
}

/// Output that hides the progress bar while it writes, in chunks, so
/// findings and the bar do not overwrite each other on a terminal.
struct Suspended<'a> {
    bar: &'a ProgressBar,
    out: &'a mut dyn Write,
    buf: Vec<u8>,
}

impl Suspended<'_> {
    const CHUNK: usize = 16 * 1024;
}

impl Write for Suspended<'_> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= Self::CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        let (out, buf) = (&mut self.out, &mut self.buf);
        self.bar.suspend(|| {
            out.write_all(buf)?;
            buf.clear();
            out.flush()
        })
    }
}
