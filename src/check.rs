//! Linting many inputs: read, lint and report each in order, in parallel
//! batches so memory stays bounded by a batch, not the whole corpus.

use std::io::{self, Write};

use rayon::prelude::*;

use globset::GlobMatcher;

use crate::report::{FileReport, Reporter, Summary};
use crate::source::{self, Input};
use crate::{Finding, Linter};

/// How inputs are read and which findings are kept per file.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Name shown for standard input (and used to pick its format).
    pub stdin_name: Option<String>,
    pub max_file_size: u64,
    /// Rules (ids, names, categories) ignored in files matching a glob.
    pub per_file_ignores: Vec<(GlobMatcher, Vec<String>)>,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            stdin_name: None,
            max_file_size: source::DEFAULT_MAX_FILE_SIZE,
            per_file_ignores: Vec::new(),
        }
    }
}

impl ReadOptions {
    fn ignored(&self, path: &str, f: &Finding) -> bool {
        self.per_file_ignores.iter().any(|(glob, sels)| {
            glob.is_match(path)
                && sels
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(&f.rule) || *s == f.name || *s == f.category)
        })
    }
}

/// Reads and lints one input. Never fails: a problem becomes `error`.
pub fn check_input(linter: &Linter, input: &Input, opts: &ReadOptions) -> FileReport {
    let stdin_name = opts.stdin_name.as_deref();
    match source::read(input, stdin_name, opts.max_file_size) {
        Ok(src) => {
            let mut findings = linter.check(&src.text, src.format);
            if !opts.per_file_ignores.is_empty() {
                findings.retain(|f| !opts.ignored(&src.path, f));
            }
            FileReport {
                path: src.path,
                text: src.text,
                findings,
                error: None,
                notes: src.notes,
            }
        }
        Err(reason) => FileReport {
            path: input.display(stdin_name),
            text: String::new(),
            findings: Vec::new(),
            error: Some(reason),
            notes: Vec::new(),
        },
    }
}

/// Lints every input and hands each result, in input order, to `reporter`
/// and then to `each` (for errors on stderr, exit codes). Returns the totals.
pub fn check_all(
    linter: &Linter,
    inputs: &[Input],
    opts: &ReadOptions,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
    mut each: impl FnMut(&FileReport),
) -> io::Result<Summary> {
    const BATCH: usize = 256;
    let mut summary = Summary::default();
    for batch in inputs.chunks(BATCH) {
        let reports: Vec<FileReport> = batch
            .par_iter()
            .map(|i| check_input(linter, i, opts))
            .collect();
        for r in &reports {
            each(r);
            summary.add(r);
            reporter.file(out, r)?;
        }
    }
    reporter.finish(out, &summary)?;
    Ok(summary)
}
