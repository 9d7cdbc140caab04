//! Reading and validating rule files. Every problem names the file, the rule
//! and the field, so an organisation's own rule file is easy to fix.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use rayon::prelude::*;
use regex::{Regex, RegexBuilder};
use serde::Deserialize;

use super::ascii::ascii_classes;
use super::pattern::Pattern;
use super::{
    BUILTIN, CATEGORIES, Citation, ContextSettings, Examples, Registry, Rule, RuleKind, RuleSet,
    Severity, SeverityMap,
};
use crate::Linter;
use crate::document::{Format, SectionKind};

/// A broken rule or registry file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub path: String,
    pub rule: Option<String>,
    pub field: Option<String>,
    pub message: String,
}

impl RuleError {
    pub fn new(
        path: &str,
        rule: Option<&str>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        RuleError {
            path: path.to_string(),
            rule: rule.map(str::to_string),
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path)?;
        if let Some(rule) = &self.rule {
            write!(f, ": rule {rule}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": field `{field}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl std::error::Error for RuleError {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<RuleDef>,
}

/// A rule file read loosely, only to find which rule an error is in.
#[derive(Deserialize)]
struct RuleTables {
    #[serde(default)]
    rule: Vec<toml::Spanned<toml::Table>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RuleDef {
    id: String,
    name: String,
    category: String,
    summary: String,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    scope: Vec<String>,
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    lower_if: Vec<String>,
    #[serde(default)]
    when: Vec<String>,
    #[serde(default)]
    absent: Vec<String>,
    severity: SeverityDef,
    message: String,
    rationale: String,
    suggestion: String,
    citations: Vec<String>,
    #[serde(default)]
    context: ContextDef,
    #[serde(default)]
    examples: ExamplesDef,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeverityDef {
    required: Option<String>,
    preferred: Option<String>,
    unspecified: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ContextDef {
    #[serde(default = "yes")]
    negation: bool,
    #[serde(default = "yes")]
    subject: bool,
    #[serde(default = "yes")]
    offered: bool,
    #[serde(default)]
    occasional: bool,
}

fn yes() -> bool {
    true
}

impl Default for ContextDef {
    fn default() -> Self {
        ContextDef {
            negation: true,
            subject: true,
            offered: true,
            occasional: false,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ExamplesDef {
    #[serde(default)]
    fire: Vec<String>,
    #[serde(default)]
    pass: Vec<String>,
}

/// Loads the rules shipped in the binary.
pub fn load_builtin() -> Result<Vec<Rule>, RuleError> {
    let registry = builtin_registry()?;
    let files = BUILTIN
        .iter()
        .filter(|(name, _)| *name != "statement.toml")
        .map(|(name, text)| Ok((format!("lints/{name}"), text.to_string())));
    parse_files(files, &registry, &mut HashSet::new())
}

fn builtin_registry() -> Result<Registry, RuleError> {
    let text = BUILTIN
        .iter()
        .find(|(n, _)| *n == "statement.toml")
        .map(|(_, t)| *t)
        .ok_or_else(|| RuleError::new("lints/statement.toml", None, None, "missing"))?;
    Registry::parse(text).map_err(|e| RuleError::new("lints/statement.toml", None, None, e))
}

/// The built-in citation registry.
pub fn registry() -> Result<Registry, RuleError> {
    builtin_registry()
}

/// Loads user rule files (`--rules`), checked against the built-in ids so a
/// user rule cannot reuse one. Folders are read for `*.toml`, in name order.
pub fn load_files(paths: &[impl AsRef<Path>], existing: &[Rule]) -> Result<Vec<Rule>, RuleError> {
    let registry = builtin_registry()?;
    let mut seen: HashSet<String> = existing
        .iter()
        .flat_map(|r| [r.id.clone(), r.name.clone()])
        .collect();
    let mut files: Vec<Result<(String, String), RuleError>> = Vec::new();
    for p in paths {
        let p = p.as_ref();
        let mut found = Vec::new();
        if p.is_dir() {
            match std::fs::read_dir(p) {
                Ok(entries) => {
                    for e in entries.flatten() {
                        let path = e.path();
                        if path.extension().is_some_and(|x| x == "toml") {
                            found.push(path);
                        }
                    }
                }
                Err(e) => {
                    let shown = p.display().to_string();
                    files.push(Err(RuleError::new(&shown, None, None, e.to_string())));
                    break;
                }
            }
            found.sort();
        } else {
            found.push(p.to_path_buf());
        }
        for f in found {
            let shown = f.display().to_string();
            files.push(
                std::fs::read_to_string(&f)
                    .map(|text| (shown.clone(), text))
                    .map_err(|e| RuleError::new(&shown, None, None, format!("cannot read: {e}"))),
            );
        }
    }
    parse_files(files, &registry, &mut seen)
}

/// [`load_files`], then [`check_examples`] on every rule it loaded: a user
/// rule file has no test suite of its own, so its examples are checked as it
/// is loaded (the built-in rules' examples are run by `cargo test` instead).
pub fn load_files_checked(
    paths: &[impl AsRef<Path>],
    existing: &[Rule],
) -> Result<Vec<Rule>, RuleError> {
    let rules = load_files(paths, existing)?;
    for rule in &rules {
        check_examples(rule)?;
    }
    Ok(rules)
}

/// Runs a rule's own examples with that rule alone, as tests/rule_examples.rs
/// does for the built-in rules: each example is a small Markdown posting,
/// every `fire` example must make the rule fire and no `pass` example may.
/// The first example that does not hold is the error, naming the rule's
/// file, the rule and the field.
pub fn check_examples(rule: &Rule) -> Result<(), RuleError> {
    let err =
        |field: &str, msg: String| RuleError::new(&rule.origin, Some(&rule.id), Some(field), msg);
    let linter = Linter::new(RuleSet::new(vec![rule.clone()]).map_err(|e| err("patterns", e))?);
    for ex in &rule.examples.fire {
        let found = linter.check(ex, Format::Markdown);
        if !found.iter().any(|f| f.rule == rule.id) {
            return Err(err("examples.fire", format!("does not fire on {ex:?}")));
        }
    }
    for ex in &rule.examples.pass {
        let found = linter.check(ex, Format::Markdown);
        if let Some(f) = found.iter().find(|f| f.rule == rule.id) {
            return Err(err(
                "examples.pass",
                format!("fires on {ex:?} (matched {:?})", f.matched),
            ));
        }
    }
    Ok(())
}

/// Parses rule files in order. `seen` holds ids and names already taken.
///
/// Files are read and their rules' ids and names claimed in order; the
/// regexes, the slow part, then compile in parallel across all files. The
/// error reported is the first in file order, as if each rule were compiled
/// in turn.
pub(crate) fn parse_files(
    files: impl IntoIterator<Item = Result<(String, String), RuleError>>,
    registry: &Registry,
    seen: &mut HashSet<String>,
) -> Result<Vec<Rule>, RuleError> {
    // A rule ready to compile, or the error it (or its file) stops at.
    let mut staged: Vec<Result<(String, RuleDef), RuleError>> = Vec::new();
    for file in files {
        let parsed = file.and_then(|(path, text)| {
            toml::from_str::<RuleFile>(&text)
                .map(|f| (path.clone(), f))
                .map_err(|e| rule_file_error(&path, &text, &e))
        });
        match parsed {
            Ok((path, file)) => {
                for def in file.rule {
                    staged.push(claim(&path, &def, seen).map(|()| (path.clone(), def)));
                }
            }
            Err(e) => {
                // Nothing after the first unreadable file is reported.
                staged.push(Err(e));
                break;
            }
        }
    }
    let compiled: Vec<Result<Rule, RuleError>> = staged
        .into_par_iter()
        .map(|s| s.and_then(|(path, def)| compile(&path, def, registry)))
        .collect();
    compiled.into_iter().collect()
}

/// A rule file the TOML reader refused (a missing or unknown field, a value
/// of the wrong type), pinned to the rule and the field the error is in.
fn rule_file_error(path: &str, text: &str, e: &toml::de::Error) -> RuleError {
    let message = toml_error(text, e);
    let Some(at) = e.span().map(|s| s.start) else {
        return RuleError::new(path, None, None, message);
    };
    // The last rule that starts at or before the error, by id, else name,
    // else its place in the file.
    let rule = toml::from_str::<RuleTables>(text).ok().and_then(|file| {
        let (i, table) = file
            .rule
            .iter()
            .enumerate()
            .rfind(|(_, t)| t.span().start <= at)?;
        let named = ["id", "name"]
            .iter()
            .find_map(|k| table.get_ref().get(*k).and_then(toml::Value::as_str));
        Some(named.map_or_else(|| format!("#{}", i + 1), str::to_string))
    });
    // The field the message names, else the key on the error's line.
    let msg = e.message();
    let field = msg
        .strip_prefix("missing field `")
        .or_else(|| msg.strip_prefix("unknown field `"))
        .and_then(|rest| rest.split('`').next())
        .map(str::to_string)
        .or_else(|| {
            let start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
            let (key, _) = text.get(start..at)?.split_once('=')?;
            let key = key.trim().trim_start_matches('{').trim();
            (!key.is_empty()).then(|| key.to_string())
        });
    RuleError::new(path, rule.as_deref(), field.as_deref(), message)
}

/// 1-based line of byte `at` in `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()[..at.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The checks on a rule's id and name, which must be unique across files.
fn claim(path: &str, def: &RuleDef, seen: &mut HashSet<String>) -> Result<(), RuleError> {
    let err = |field: &str, msg: String| RuleError::new(path, Some(&def.id), Some(field), msg);
    let valid_id = def.id.len() == 5
        && def.id.starts_with("DL")
        && def.id[2..].bytes().all(|b| b.is_ascii_digit());
    if !valid_id {
        return Err(err(
            "id",
            "must be DL followed by three digits, such as DL101".into(),
        ));
    }
    if def.name.is_empty()
        || !def
            .name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(err("name", format!("`{}` must be kebab-case", def.name)));
    }
    if !seen.insert(def.id.clone()) {
        return Err(err("id", "is used by another rule".into()));
    }
    if !seen.insert(def.name.clone()) {
        return Err(err(
            "name",
            format!("`{}` is used by another rule", def.name),
        ));
    }
    Ok(())
}

/// Everything else about a rule: category, scope, regexes, severity, citations.
fn compile(path: &str, def: RuleDef, registry: &Registry) -> Result<Rule, RuleError> {
    let id = def.id.clone();
    let err = |field: &str, msg: String| RuleError::new(path, Some(&id), Some(field), msg);

    if !CATEGORIES.contains(&def.category.as_str()) {
        return Err(err(
            "category",
            format!(
                "unknown category `{}` (expected one of: {})",
                def.category,
                CATEGORIES.join(", ")
            ),
        ));
    }
    for (field, value) in [
        ("summary", &def.summary),
        ("message", &def.message),
        ("rationale", &def.rationale),
        ("suggestion", &def.suggestion),
    ] {
        if value.trim().is_empty() {
            return Err(err(field, "must not be empty".into()));
        }
    }
    let kind = match def.kind.as_deref() {
        None | Some("pattern") => RuleKind::Pattern,
        Some("document") => RuleKind::Document,
        Some(other) => {
            return Err(err(
                "kind",
                format!("unknown kind `{other}` (pattern or document)"),
            ));
        }
    };
    let scope = if def.scope.is_empty() || def.scope.iter().any(|s| s == "any") {
        SectionKind::ALL.to_vec()
    } else {
        def.scope
            .iter()
            .map(|s| {
                SectionKind::parse(s).ok_or_else(|| {
                    let names: Vec<_> = SectionKind::ALL.iter().map(|k| k.as_str()).collect();
                    err(
                        "scope",
                        format!(
                            "unknown section `{s}` (expected any or one of: {})",
                            names.join(", ")
                        ),
                    )
                })
            })
            .collect::<Result<_, _>>()?
    };
    let compile_one = |field: &str, p: &str, limit: usize| -> Result<Pattern, RuleError> {
        let source = ascii_classes(p);
        Pattern::new(&source, limit, super::DFA_CACHE).map_err(|meta| {
            // The regex crate explains a syntax error best; ask it.
            let reason = RegexBuilder::new(&source)
                .case_insensitive(true)
                .size_limit(limit)
                .build()
                .err()
                .map_or(meta, |e| regex_reason(p, &e));
            err(field, format!("bad regex `{p}`: {reason}"))
        })
    };
    let compile_all = |field: &str, pats: &[String]| -> Result<Vec<Pattern>, RuleError> {
        pats.iter()
            .map(|p| compile_one(field, p, 32 << 20))
            .collect()
    };
    let patterns = compile_all("patterns", &def.patterns)?;
    // `unless` and `lower-if` are only ever asked "does any of them match",
    // so each list is compiled as one alternation. Only when that fails is
    // each pattern compiled alone, to name the one at fault.
    let any_of = |field: &str, list: &[String]| -> Result<Option<Pattern>, RuleError> {
        if list.is_empty() {
            return Ok(None);
        }
        let alts: Vec<String> = list
            .iter()
            .map(|p| format!("(?:{})", ascii_classes(p)))
            .collect();
        Pattern::new(&alts.join("|"), 64 << 20, super::DFA_CACHE)
            .map(Some)
            .or_else(|combined| {
                compile_all(field, list)?;
                Err(err(
                    field,
                    format!("cannot combine the patterns: {combined}"),
                ))
            })
    };
    let unless_any = any_of("unless", &def.unless)?;
    let lower_if_any = any_of("lower-if", &def.lower_if)?;
    let when = compile_all("when", &def.when)?;
    let absent = compile_all("absent", &def.absent)?;
    match kind {
        RuleKind::Pattern if patterns.is_empty() => {
            return Err(err("patterns", "a rule needs at least one pattern".into()));
        }
        RuleKind::Document if when.is_empty() || absent.is_empty() => {
            return Err(err(
                "when",
                "a document rule needs `when` and `absent` patterns".into(),
            ));
        }
        _ => {}
    }
    let sev = |field: &str, v: &Option<String>| -> Result<Option<Severity>, RuleError> {
        match v.as_deref() {
            None | Some("off") => Ok(None),
            Some(s) => Severity::parse(s).map(Some).ok_or_else(|| {
                err(
                    field,
                    format!("unknown severity `{s}` (error, warning, info or off)"),
                )
            }),
        }
    };
    let severity = SeverityMap {
        required: sev("severity.required", &def.severity.required)?,
        preferred: sev("severity.preferred", &def.severity.preferred)?,
        unspecified: sev("severity.unspecified", &def.severity.unspecified)?,
    };
    if severity.max().is_none() {
        return Err(err("severity", "is off at every strength".into()));
    }
    if def.citations.is_empty() {
        return Err(err("citations", "a rule must cite the statement".into()));
    }
    let citations: Vec<Citation> = def
        .citations
        .iter()
        .map(|c| {
            registry.get(c).cloned().ok_or_else(|| {
                err(
                    "citations",
                    format!("unknown citation id `{c}` (see lints/statement.toml)"),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    Ok(Rule {
        id: def.id,
        name: def.name,
        category: def.category,
        summary: def.summary.trim().to_string(),
        kind,
        scope,
        patterns,
        unless: def.unless,
        lower_if: def.lower_if,
        unless_any,
        lower_if_any,
        when,
        absent,
        severity,
        message: def.message.trim().to_string(),
        rationale: def.rationale.trim().to_string(),
        suggestion: def.suggestion.trim().to_string(),
        citations: citations.into(),
        context: ContextSettings {
            negation: def.context.negation,
            subject: def.context.subject,
            offered: def.context.offered,
            occasional: def.context.occasional,
        },
        examples: Examples {
            fire: def.examples.fire,
            pass: def.examples.pass,
        },
        origin: path.to_string(),
    })
}

/// A regex error in one line, about the pattern as written: the loader
/// compiles a rewritten copy (see `ascii_classes`), whose text would only
/// confuse.
fn regex_reason(pattern: &str, compiled: &regex::Error) -> String {
    let original = Regex::new(pattern)
        .err()
        .filter(|e| matches!(e, regex::Error::Syntax(_)));
    let e = original.as_ref().unwrap_or(compiled);
    let regex::Error::Syntax(s) = e else {
        return e
            .to_string()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
    };
    // "regex parse error:\n    PATTERN\n    ^^^\nerror: unclosed group"
    let what = s
        .lines()
        .rev()
        .find_map(|l| l.strip_prefix("error: "))
        .unwrap_or(s.as_str());
    let caret = s
        .lines()
        .find(|l| l.contains('^') && l.trim_start().chars().all(|c| c == '^'))
        .map(|l| l.len() - l.trim_start().len());
    match caret {
        Some(col) if !pattern.contains('\n') && col >= 4 => {
            format!("{what} (at character {})", col - 3)
        }
        _ => what.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

/// A TOML error as one line: `line 3: unknown field `bogus`, expected ...`.
pub fn toml_error(text: &str, e: &toml::de::Error) -> String {
    match e.span() {
        Some(span) => format!("line {}: {}", line_of(text, span.start), e.message()),
        None => e.message().to_string(),
    }
}
