//! Linting many inputs: read, lint and report each in order, in parallel
//! chunks so memory stays bounded by the chunks in flight, not the whole
//! corpus. Inputs may come from an iterator ([`check_stream`]), so a listing
//! dump is read a chunk of records at a time.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, mpsc};

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

/// [`check_all`] over an iterator of inputs, linted in chunks of 256 (see
/// [`Linter::check_many`]) on [`rayon::current_num_threads`] workers.
/// `progress`, when given, is called with the number of inputs done, as a
/// chunk of them is done (from worker threads, in any order).
///
/// A thread walks the inputs and deals out chunks; each worker takes the
/// next chunk as soon as it is free, so no worker waits for another; this
/// thread reports chunks in input order as they complete. At most eight
/// chunks are read, linted or waiting to be reported at once, so memory
/// stays bounded however long the run.
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
    let mut summary = Summary::default();
    let mut inputs = inputs.into_iter();
    let workers = rayon::current_num_threads().max(1);
    type Done = std::thread::Result<Vec<FileReport>>;
    std::thread::scope(|scope| -> io::Result<()> {
        // A chunk may be dealt only with a ticket; a ticket comes back when
        // the chunk is reported. This bounds the chunks held at once.
        let (ticket_tx, ticket_rx) = mpsc::sync_channel::<()>(IN_FLIGHT);
        for _ in 0..IN_FLIGHT {
            let _ = ticket_tx.send(());
        }
        let (work_tx, work_rx) = mpsc::sync_channel::<(usize, Vec<Input>)>(workers);
        let (done_tx, done_rx) = mpsc::channel::<(usize, Done)>();
        scope.spawn(move || {
            for seq in 0.. {
                let chunk: Vec<Input> = inputs.by_ref().take(CHUNK).collect();
                // Stop when done, or when the reporting side has gone (an error).
                if chunk.is_empty()
                    || ticket_rx.recv().is_err()
                    || work_tx.send((seq, chunk)).is_err()
                {
                    break;
                }
            }
        });
        let work_rx = Arc::new(Mutex::new(work_rx));
        for _ in 0..workers {
            let (work_rx, done_tx) = (Arc::clone(&work_rx), done_tx.clone());
            scope.spawn(move || {
                loop {
                    let next = match work_rx.lock() {
                        Ok(rx) => rx.recv(),
                        Err(_) => break,
                    };
                    let Ok((seq, chunk)) = next else { break };
                    // A panic is handed to the reporting thread, which
                    // re-raises it: otherwise it would wait for the chunk forever.
                    let reports = std::panic::catch_unwind(AssertUnwindSafe(|| {
                        check_inputs(linter, &chunk, opts)
                    }));
                    if let (Some(p), Ok(_)) = (progress, &reports) {
                        p(chunk.len());
                    }
                    if done_tx.send((seq, reports)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);
        let mut waiting: BTreeMap<usize, Vec<FileReport>> = BTreeMap::new();
        let mut next = 0;
        for (seq, reports) in done_rx {
            match reports {
                Ok(reports) => waiting.insert(seq, reports),
                Err(panic) => std::panic::resume_unwind(panic),
            };
            while let Some(reports) = waiting.remove(&next) {
                for r in &reports {
                    each(r);
                    summary.add(r);
                    reporter.file(out, r)?;
                }
                next += 1;
                let _ = ticket_tx.send(());
            }
        }
        Ok(())
    })?;
    reporter.finish(out, &summary)?;
    Ok(summary)
}

/// Postings linted together (see [`Linter::check_many`]). On 100,000
/// postings with two workers, interleaved runs: chunks of 256 took
/// 5.8-8.0 s, of 128 6.2-8.3 s, of 64 7.4-8.3 s; 512 was no faster than 256
/// and held 12 MB more.
const CHUNK: usize = 256;

/// Chunks read, being linted or waiting to be reported, at most.
const IN_FLIGHT: usize = 8;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Record;

    fn record(i: usize) -> Input {
        let text = if i.is_multiple_of(5) {
            "## Qualifications\n- Bachelor's degree in Social Work required\n"
        } else {
            "## About\nPeer support.\n"
        };
        Input::Record(Box::new(Record {
            path: format!("dump.jsonl#{i}"),
            text: text.to_string(),
            meta: Vec::new(),
            notes: Vec::new(),
        }))
    }

    /// Collects what it is handed; fails on file `fail_at`.
    struct Collect {
        paths: Vec<String>,
        fail_at: Option<usize>,
    }

    impl Reporter for Collect {
        fn file(&mut self, _: &mut dyn Write, r: &FileReport) -> io::Result<()> {
            if self.fail_at == Some(self.paths.len()) {
                return Err(io::Error::other("closed"));
            }
            self.paths.push(r.path.clone());
            Ok(())
        }
        fn finish(&mut self, _: &mut dyn Write, _: &Summary) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn reports_come_in_input_order_across_many_chunks() {
        let linter = Linter::builtin().unwrap();
        let n = CHUNK * IN_FLIGHT * 3 + 7;
        let mut rep = Collect {
            paths: Vec::new(),
            fail_at: None,
        };
        let mut flagged = 0;
        let summary = check_stream(
            &linter,
            (0..n).map(record),
            &ReadOptions::default(),
            &mut rep,
            &mut io::sink(),
            None,
            |r| flagged += usize::from(!r.findings.is_empty()),
        )
        .unwrap();
        let expected: Vec<String> = (0..n).map(|i| format!("dump.jsonl#{i}")).collect();
        assert_eq!(rep.paths, expected);
        assert_eq!(flagged, n.div_ceil(5));
        assert_eq!(summary.files, n);
    }

    #[test]
    fn a_failing_reporter_stops_the_run_with_its_error() {
        let linter = Linter::builtin().unwrap();
        let mut rep = Collect {
            paths: Vec::new(),
            fail_at: Some(300),
        };
        let inputs = (0..CHUNK * IN_FLIGHT * 10).map(record);
        let err = check_stream(
            &linter,
            inputs,
            &ReadOptions::default(),
            &mut rep,
            &mut io::sink(),
            None,
            |_| {},
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "closed");
        assert_eq!(rep.paths.len(), 300);
    }
}
