//! Linting many inputs: read, lint and report each in order, in parallel
//! batches so memory stays bounded by a batch, not the whole corpus. Inputs
//! may come from an iterator ([`check_stream`]), so a listing dump is read a
//! batch of records at a time.

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
    check_inputs(linter, std::slice::from_ref(input), opts)
        .pop()
        .unwrap_or_default()
}

/// Reads and lints several inputs, one report each, in order; the postings
/// are matched together (see [`Linter::check_many`]). Never fails: a
/// problem with one input becomes its report's `error`.
pub fn check_inputs(linter: &Linter, inputs: &[Input], opts: &ReadOptions) -> Vec<FileReport> {
    let stdin_name = opts.stdin_name.as_deref();
    let read: Vec<Result<source::Source, String>> = inputs
        .iter()
        .map(|input| source::read(input, stdin_name, opts.max_file_size))
        .collect();
    let postings: Vec<(&str, crate::document::Format)> = read
        .iter()
        .flatten()
        .map(|src| (src.text.as_str(), src.format))
        .collect();
    let mut findings = linter.check_many(&postings).into_iter();
    inputs
        .iter()
        .zip(read)
        .map(|(input, result)| match result {
            Ok(src) => {
                let mut findings = findings.next().unwrap_or_default();
                if !opts.per_file_ignores.is_empty() {
                    findings.retain(|f| !opts.ignored(&src.path, f));
                }
                if !src.elements.is_empty() {
                    for f in &mut findings {
                        f.element = src.element_at(f.byte_start).map(str::to_string);
                    }
                }
                FileReport {
                    path: src.path,
                    text: src.text,
                    findings,
                    error: None,
                    notes: src.notes,
                    meta: src.meta,
                }
            }
            Err(reason) => FileReport {
                path: input.display(stdin_name),
                error: Some(reason),
                meta: match input {
                    Input::Record(r) => r.meta.clone(),
                    _ => Vec::new(),
                },
                ..FileReport::default()
            },
        })
        .collect()
}

/// Lints every input and hands each result, in input order, to `reporter`
/// and then to `each` (for errors on stderr, exit codes). Returns the totals.
/// Listing dumps among `inputs` are read record by record with the default
/// fields (see [`source::expand`]).
pub fn check_all(
    linter: &Linter,
    inputs: &[Input],
    opts: &ReadOptions,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
    each: impl FnMut(&FileReport),
) -> io::Result<Summary> {
    let inputs = source::expand(inputs.iter().cloned(), &source::DumpOptions::default());
    check_stream(linter, inputs, opts, reporter, out, None, each)
}

/// [`check_all`] over an iterator of inputs, taken 512 at a time and matched
/// in chunks of 128 (see [`Linter::check_many`]).
/// `progress`, when given, is called with the number of inputs done, as a
/// chunk of them is done (from worker threads, in any order).
///
/// Three things overlap: a thread walks the inputs a batch ahead, the worker
/// threads lint a batch, and this thread reports the batch before it. At
/// most three batches are held at once, so memory stays bounded.
pub fn check_stream<I>(
    linter: &Linter,
    inputs: I,
    opts: &ReadOptions,
    reporter: &mut dyn Reporter,
    out: &mut dyn Write,
    progress: Option<&(dyn Fn(usize) + Sync)>,
    mut each: impl FnMut(&FileReport),
) -> io::Result<Summary>
where
    I: IntoIterator<Item = Input>,
    I::IntoIter: Send,
{
    const BATCH: usize = 512;
    let mut summary = Summary::default();
    let mut inputs = inputs.into_iter();
    // Postings are matched a chunk at a time (see Linter::check_many): on
    // 100,000 postings, chunks of 128 took 9.3-9.6 s, of 64 10.3-11.0 s, of
    // 16 11.9-17.2 s, one at a time 13.3 s.
    const CHUNK: usize = 128;
    let lint = |batch: Vec<Input>| -> Vec<FileReport> {
        let chunks: Vec<Vec<FileReport>> = batch
            .par_chunks(CHUNK)
            .map(|chunk| {
                let reports = check_inputs(linter, chunk, opts);
                if let Some(p) = progress {
                    p(chunk.len());
                }
                reports
            })
            .collect();
        chunks.into_iter().flatten().collect()
    };
    std::thread::scope(|scope| -> io::Result<()> {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Input>>(1);
        scope.spawn(move || {
            loop {
                let batch: Vec<Input> = inputs.by_ref().take(BATCH).collect();
                // Stop when done, or when the receiver has gone (an error).
                if batch.is_empty() || tx.send(batch).is_err() {
                    break;
                }
            }
        });
        let mut done: Vec<FileReport> = Vec::new();
        for batch in rx {
            let linting = scope.spawn(|| lint(batch));
            for r in done.drain(..) {
                each(&r);
                summary.add(&r);
                reporter.file(out, &r)?;
            }
            done = match linting.join() {
                Ok(reports) => reports,
                Err(panic) => std::panic::resume_unwind(panic),
            };
        }
        for r in done.drain(..) {
            each(&r);
            summary.add(&r);
            reporter.file(out, &r)?;
        }
        Ok(())
    })?;
    reporter.finish(out, &summary)?;
    Ok(summary)
}
