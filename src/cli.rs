//! The command line: argument parsing (clap derive) and the three commands.
//! Each command returns the process exit code; the library does the work.

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use driftlint::check::{ReadOptions, check_all};
use driftlint::config::Config;
use driftlint::report::{Human, OutputFormat, Reporter, Statistics};
use driftlint::rules::{self, Rule, RuleSet};
use driftlint::source::{self, DEFAULT_EXTENSIONS, Input};
use driftlint::{Linter, Severity};

/// Exit codes.
pub const CLEAN: u8 = 0;
pub const FINDINGS: u8 = 1;
pub const TROUBLE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "driftlint",
    version,
    about = "Lint peer support job postings for drift from peer support values",
    long_about = "Lint peer support job postings for requirements and duties that drift from peer support values, \
                  citing PeerWorks' 2024 position statement \"Drift from Peer Support Values and Standards\"."
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Lint postings (files, folders, or - for standard input)
    Check(CheckArgs),
    /// Audit many listings (also HTML, .docx, .jsonl and .csv dumps): one CSV row per posting
    Audit(AuditArgs),
    /// List every rule
    Rules(RulesArgs),
    /// Explain a rule: why it matters, citations, examples, what to write instead
    Explain(ExplainArgs),
    /// Print the effective configuration (driftlint.toml merged with defaults)
    Config(ConfigArgs),
    /// Open the linter as a web page on this computer (127.0.0.1 only)
    Serve(ServeArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailOn {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Args)]
struct RuleArgs {
    /// Extra rule files or folders of *.toml, added to the built-in rules
    #[arg(long = "rules", value_name = "PATH")]
    rules: Vec<PathBuf>,
}

#[derive(Args)]
struct CheckArgs {
    /// Files or folders to lint; - reads standard input [default: .]
    paths: Vec<PathBuf>,
    /// Output format
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// Exit with 1 when a finding is at or above this severity [default: warning]
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
    /// Exit 0 even when there are findings (2 is still used for errors)
    #[arg(long)]
    exit_zero: bool,
    /// Only these rules (ids, id prefixes such as DL1, names or categories; comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Vec<String>,
    /// Skip these rules (ids, names or categories; comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
    #[command(flatten)]
    rules: RuleArgs,
    /// Name standard input in output (and pick its format by extension)
    #[arg(long, value_name = "NAME")]
    stdin_filename: Option<String>,
    /// Skip files larger than this many bytes
    #[arg(long, value_name = "BYTES", default_value_t = source::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// When to colour output (never when NO_COLOR is set)
    #[arg(long, value_enum, default_value = "auto")]
    color: ColorChoice,
    /// Do not colour output (same as --color never)
    #[arg(long)]
    no_color: bool,
    #[command(flatten)]
    config: ConfigArgs,
    /// Ignore driftlint-disable directives in postings
    #[arg(long)]
    no_inline_config: bool,
    /// Print counts per rule and category instead of findings
    #[arg(long)]
    statistics: bool,
    /// Print findings only: no summary, no notes
    #[arg(long, short)]
    quiet: bool,
    /// List the files that would be linted, and lint nothing
    #[arg(long)]
    show_files: bool,
}

#[derive(Args)]
struct ConfigArgs {
    /// Use this config file instead of looking for driftlint.toml
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
    /// Ignore driftlint.toml files
    #[arg(long, conflicts_with = "config")]
    isolated: bool,
}

#[derive(Args)]
struct RulesArgs {
    /// Print the catalogue as JSON
    #[arg(long)]
    json: bool,
    /// Print the catalogue as a Markdown table (as in README.md)
    #[arg(long, conflicts_with = "json")]
    markdown: bool,
    /// Print every rule pattern as compiled, one per line (for grep -f / rg -f)
    #[arg(long, conflicts_with_all = ["json", "markdown"])]
    patterns: bool,
    #[command(flatten)]
    rules: RuleArgs,
}

#[derive(Args)]
struct ServeArgs {
    /// Port on 127.0.0.1; 0 picks a free port
    #[arg(long, default_value_t = driftlint::serve::DEFAULT_PORT)]
    port: u16,
    /// Largest posting accepted, in bytes (or with KiB, MiB)
    #[arg(long, value_name = "SIZE", default_value = "2MiB", value_parser = driftlint::serve::parse_size)]
    max_body: u64,
}

#[derive(Args)]
struct ExplainArgs {
    /// Rule id or name, such as DL101
    rule: String,
    #[command(flatten)]
    rules: RuleArgs,
}

impl Cli {
    pub fn run(self) -> u8 {
        let result = match self.command {
            Command::Check(a) => check(a),
            Command::Audit(a) => audit(a),
            Command::Rules(a) => list_rules(a),
            Command::Explain(a) => explain(a),
            Command::Config(a) => show_config(a),
            Command::Serve(a) => driftlint::serve::serve(&driftlint::serve::Options {
                port: a.port,
                max_body: a.max_body,
            })
            .map(|()| CLEAN),
        };
        match result {
            Ok(code) => code,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => CLEAN,
            Err(e) => {
                eprintln!("driftlint: error: {e}");
                TROUBLE
            }
        }
    }
}

/// The built-in rules plus `--rules` files; a broken file is reported on stderr.
fn load_rules(args: &RuleArgs) -> Result<RuleSet, String> {
    let mut all = rules::load_builtin().map_err(|e| e.to_string())?;
    if !args.rules.is_empty() {
        let extra = rules::load_files_checked(&args.rules, &all).map_err(|e| e.to_string())?;
        all.extend(extra);
    }
    RuleSet::new(all)
}

fn use_color(choice: ColorChoice, no_color: bool) -> bool {
    let env_off = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if no_color || env_off {
        return false;
    }
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => io::stdout().is_terminal(),
    }
}

/// The config file in force: `--config`, else the nearest driftlint.toml,
/// none with `--isolated`.
fn load_config(a: &ConfigArgs) -> Result<Config, String> {
    if a.isolated {
        return Ok(Config::default());
    }
    let path = match &a.config {
        Some(p) => Some(p.clone()),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| Config::discover(&d)),
    };
    match path {
        Some(p) => Config::load(&p).map_err(|e| e.to_string()),
        None => Ok(Config::default()),
    }
}

/// Everything `check` needs, with flags winning over the config file.
struct Settings {
    linter: Linter,
    fail_on: Severity,
    config: Config,
}

fn settings(a: &CheckArgs) -> Result<Settings, String> {
    let config = load_config(&a.config)?;
    let mut all = rules::load_builtin().map_err(|e| e.to_string())?;
    let extra_paths: Vec<PathBuf> = config
        .extend_rules
        .iter()
        .chain(&a.rules.rules)
        .cloned()
        .collect();
    if !extra_paths.is_empty() {
        let extra = rules::load_files_checked(&extra_paths, &all).map_err(|e| e.to_string())?;
        all.extend(extra);
    }
    config.validate_selectors(&all).map_err(|e| e.to_string())?;
    config.apply_severity(&mut all);
    let select = if a.select.is_empty() {
        &config.select
    } else {
        &a.select
    };
    let ignore: Vec<String> = config.ignore.iter().chain(&a.ignore).cloned().collect();
    let ruleset = RuleSet::new(rules::select_rules(all, select, &ignore)?)?;
    let fail_on = match a.fail_on {
        Some(FailOn::Error) => Severity::Error,
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Info) => Severity::Info,
        None => config
            .fail_on
            .as_deref()
            .and_then(Severity::parse)
            .unwrap_or(Severity::Warning),
    };
    let linter = Linter::new(ruleset)
        .inline_config(!a.no_inline_config)
        .allow(&config.allow);
    Ok(Settings {
        linter,
        fail_on,
        config,
    })
}

fn check(a: CheckArgs) -> io::Result<u8> {
    let s = match settings(&a) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("driftlint: error: {e}");
            return Ok(TROUBLE);
        }
    };
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        a.paths.clone()
    };
    let exclude = s.config.exclude_set();
    let inputs: Vec<Input> = source::collect(&paths, DEFAULT_EXTENSIONS)
        .into_iter()
        .filter(|i| !matches!(i, Input::File(p) if exclude.is_match(source::display_path(p))))
        .collect();
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    if a.show_files {
        for i in &inputs {
            writeln!(out, "{}", i.display(a.stdin_filename.as_deref()))?;
        }
        out.flush()?;
        return Ok(CLEAN);
    }
    let opts = ReadOptions {
        stdin_name: a.stdin_filename.clone(),
        max_file_size: a.max_file_size,
        per_file_ignores: s.config.per_file_ignores(),
    };
    let color = use_color(a.color, a.no_color);
    let mut reporter: Box<dyn Reporter> = if a.statistics {
        Box::new(Statistics::new(a.format != OutputFormat::Human))
    } else if a.format == OutputFormat::Human {
        Box::new(Human::new(color).quiet(a.quiet))
    } else {
        a.format.reporter(color, s.linter.rules())
    };
    let mut failed = false;
    let mut unreadable = false;
    check_all(
        &s.linter,
        &inputs,
        &opts,
        reporter.as_mut(),
        &mut out,
        |r| {
            if let Some(e) = &r.error {
                unreadable = true;
                eprintln!("driftlint: error: {}: {e}", r.path);
            }
            if !a.quiet {
                for n in &r.notes {
                    eprintln!("driftlint: warning: {}: {n}", r.path);
                }
            }
            failed |= r.findings.iter().any(|f| f.severity >= s.fail_on);
        },
    )?;
    out.flush()?;
    Ok(if unreadable {
        TROUBLE
    } else if failed && !a.exit_zero {
        FINDINGS
    } else {
        CLEAN
    })
}

/// `audit`: the options of `check`, with `--format csv` by default.
#[derive(Args)]
#[command(mut_arg("format", |a| a.default_value("csv")))]
struct AuditArgs {
    #[command(flatten)]
    check: CheckArgs,
    /// Field or column of a .jsonl/.csv dump holding a posting's text [default: description, text or body]
    #[arg(long, value_name = "NAME")]
    text_field: Option<String>,
    /// Field or column holding a posting's id [default: id, else its line number]
    #[arg(long, value_name = "NAME")]
    id_field: Option<String>,
    /// Fields or columns carried into the outputs, such as employer,region (comma-separated)
    #[arg(long, value_delimiter = ',', value_name = "NAME")]
    meta_field: Vec<String>,
    /// Also write a self-contained HTML report to this file
    #[arg(long, value_name = "FILE.html")]
    report: Option<PathBuf>,
}

fn audit(a: AuditArgs) -> io::Result<u8> {
    use driftlint::audit::{self, AuditOptions};
    use driftlint::report::Csv;
    use driftlint::source::{AUDIT_EXTENSIONS, DumpOptions};
    let c = &a.check;
    let s = match settings(c) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("driftlint: error: {e}");
            return Ok(TROUBLE);
        }
    };
    let paths = if c.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        c.paths.clone()
    };
    let exclude = s.config.exclude_set();
    let inputs: Vec<Input> = source::collect(&paths, AUDIT_EXTENSIONS)
        .into_iter()
        .filter(|i| !matches!(i, Input::File(p) if exclude.is_match(source::display_path(p))))
        .collect();
    let mut out = io::BufWriter::new(io::stdout().lock());
    if c.show_files {
        for i in &inputs {
            writeln!(out, "{}", i.display(c.stdin_filename.as_deref()))?;
        }
        out.flush()?;
        return Ok(CLEAN);
    }
    let opts = ReadOptions {
        stdin_name: c.stdin_filename.clone(),
        max_file_size: c.max_file_size,
        per_file_ignores: s.config.per_file_ignores(),
    };
    let color = use_color(c.color, c.no_color);
    let reporter: Box<dyn Reporter> = match c.format {
        _ if c.statistics => Box::new(Statistics::new(c.format != OutputFormat::Human)),
        OutputFormat::Csv => Box::new(Csv::new(a.meta_field.clone())),
        OutputFormat::Human => Box::new(Human::new(color).quiet(c.quiet)),
        f => f.reporter(color, s.linter.rules()),
    };
    let options = AuditOptions {
        dump: DumpOptions {
            text_field: a.text_field.clone(),
            id_field: a.id_field.clone(),
            meta_fields: a.meta_field.clone(),
        },
        report: a.report.clone(),
        progress: !c.quiet && io::stderr().is_terminal(),
    };
    let (mut failed, mut unreadable) = (false, false);
    let run = audit::run(
        &s.linter,
        inputs,
        &opts,
        &options,
        reporter,
        &mut out,
        |r| {
            if let Some(e) = &r.error {
                unreadable = true;
                eprintln!("driftlint: error: {}: {e}", r.path);
            }
            if !c.quiet {
                for n in &r.notes {
                    eprintln!("driftlint: warning: {}: {n}", r.path);
                }
            }
            failed |= r.findings.iter().any(|f| f.severity >= s.fail_on);
        },
    );
    if let Err(e) = run {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Err(e);
        }
        eprintln!("driftlint: error: {e}");
        return Ok(TROUBLE);
    }
    out.flush()?;
    Ok(if unreadable {
        TROUBLE
    } else if failed && !c.exit_zero {
        FINDINGS
    } else {
        CLEAN
    })
}

fn show_config(a: ConfigArgs) -> io::Result<u8> {
    let config = match load_config(&a) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("driftlint: error: {e}");
            return Ok(TROUBLE);
        }
    };
    let mut out = io::stdout().lock();
    match &config.path {
        Some(p) => writeln!(out, "# from {}", source::display_path(p))?,
        None => writeln!(out, "# no driftlint.toml found: defaults")?,
    }
    let fail_on = config.fail_on.clone().unwrap_or_else(|| "warning".into());
    writeln!(out, "fail-on = {fail_on:?}")?;
    let mut rest = config.clone();
    rest.fail_on = None;
    write!(out, "{}", rest.to_toml())?;
    Ok(CLEAN)
}

fn severity_summary(r: &Rule) -> String {
    let s = |v: Option<Severity>| v.map_or("off", |v| v.as_str());
    format!(
        "{} when required, {} when preferred, {} otherwise",
        s(r.severity.required),
        s(r.severity.preferred),
        s(r.severity.unspecified)
    )
}

fn list_rules(a: RulesArgs) -> io::Result<u8> {
    let set = match load_rules(&a.rules) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("driftlint: error: {e}");
            return Ok(TROUBLE);
        }
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    if a.json {
        let rows: Vec<_> = set
            .rules()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "name": r.name, "category": r.category,
                    "severity": r.severity.max().map(|s| s.as_str()),
                    "summary": r.summary,
                    "citations": r.citations,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
    } else if a.patterns {
        for r in set.rules() {
            for p in &r.patterns {
                // `\/` is an escape older regex engines (ripgrep 13) reject; `/` needs none.
                writeln!(out, "(?i){}", p.as_str().replace("\\/", "/"))?;
            }
        }
    } else if a.markdown {
        write!(out, "{}", markdown_table(&set))?;
    } else {
        for r in set.rules() {
            let sev = r.severity.max().map_or("off", |s| s.as_str());
            writeln!(
                out,
                "{:<6} {:<36} {:<24} {:<8} {}",
                r.id, r.name, r.category, sev, r.summary
            )?;
        }
    }
    out.flush()?;
    Ok(CLEAN)
}

/// The rule catalogue as a Markdown table.
fn markdown_table(set: &RuleSet) -> String {
    let mut t = String::from(
        "| id | name | category | default severity | what it flags |\n|---|---|---|---|---|\n",
    );
    for r in set.rules() {
        let s = |v: Option<Severity>| v.map_or("off", |v| v.as_str());
        let sev = format!("{} / {}", s(r.severity.required), s(r.severity.preferred));
        t.push_str(&format!(
            "| {} | `{}` | {} | {} | {} |\n",
            r.id,
            r.name,
            r.category,
            sev,
            r.summary.replace('|', "\\|")
        ));
    }
    t
}

fn explain(a: ExplainArgs) -> io::Result<u8> {
    let set = match load_rules(&a.rules) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("driftlint: error: {e}");
            return Ok(TROUBLE);
        }
    };
    let Some(r) = set.get(&a.rule) else {
        eprintln!(
            "driftlint: error: no rule `{}` (see `driftlint rules`)",
            a.rule
        );
        return Ok(TROUBLE);
    };
    let mut out = io::BufWriter::new(io::stdout().lock());
    let scope: Vec<_> = r.scope.iter().map(|s| s.as_str()).collect();
    writeln!(out, "# {} {} ({})\n", r.id, r.name, r.category)?;
    writeln!(out, "{}\n", r.summary)?;
    writeln!(
        out,
        "## What it does\n\n{}.",
        r.message.trim_end_matches('.')
    )?;
    writeln!(out, "Severity: {}.", severity_summary(r))?;
    writeln!(out, "Applies in: {}.\n", scope.join(", "))?;
    writeln!(out, "## Why this matters\n\n{}\n", r.rationale)?;
    writeln!(out, "## Citations\n")?;
    for c in r.citations.iter() {
        writeln!(out, "- {}", c.display())?;
    }
    writeln!(out, "\n## Use instead\n\n{}\n", r.suggestion)?;
    writeln!(out, "## Wording that fires\n")?;
    for e in &r.examples.fire {
        writeln!(out, "- {}", e.replace('\n', " / "))?;
    }
    writeln!(out, "\n## Wording that does not fire\n")?;
    for e in &r.examples.pass {
        writeln!(out, "- {}", e.replace('\n', " / "))?;
    }
    out.flush()?;
    Ok(CLEAN)
}
