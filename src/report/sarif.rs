//! SARIF 2.1.0 for code scanning services: one run, the active rule set as
//! the driver's rules, one result per finding, unreadable files as tool
//! execution notifications.
//!
//! The output is deterministic (no timestamps, no absolute paths added) and
//! each result carries a `driftlint/v1` partial fingerprint that does not
//! depend on line numbers, so a result keeps its identity when unrelated text
//! is added above it. Field order is fixed by the structs below.

use std::collections::HashMap;
use std::io::{self, Write};

use serde::Serialize;

use super::{FileReport, Reporter, Summary};
use crate::rules::{Citation, RuleSet};
use crate::{Finding, Severity};

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The `partialFingerprints` key; bump the suffix if the recipe changes.
pub const FINGERPRINT_KEY: &str = "driftlint/v1";

/// SARIF's name for a severity.
fn level(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

#[derive(Serialize)]
struct Text {
    text: String,
}

fn text(s: &str) -> Text {
    Text {
        text: s.to_string(),
    }
}

#[derive(Serialize)]
struct CitationProp {
    id: String,
    title: String,
    section: String,
}

#[derive(Serialize)]
struct RuleProperties {
    category: String,
    citations: Vec<CitationProp>,
    tags: Vec<String>,
}

/// `reportingConfiguration`; a rule that is off at every strength is disabled.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct DefaultConfiguration {
    #[serde(skip_serializing_if = "Option::is_none")]
    enabled: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<&'static str>,
}

impl DefaultConfiguration {
    fn new(max: Option<Severity>) -> DefaultConfiguration {
        DefaultConfiguration {
            enabled: max.is_none().then_some(false),
            level: max.map(level),
        }
    }
}

/// A `reportingDescriptor`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    id: String,
    name: String,
    short_description: Text,
    full_description: Text,
    help: Text,
    default_configuration: DefaultConfiguration,
    properties: RuleProperties,
}

fn citation(c: &Citation) -> CitationProp {
    CitationProp {
        id: c.id.clone(),
        title: c.title.clone(),
        section: c.section.clone(),
    }
}

#[derive(Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    char_offset: usize,
    char_length: usize,
    snippet: Text,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Serialize)]
struct ResultProperties {
    strength: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    partial_fingerprints: Fingerprints,
    properties: ResultProperties,
}

/// `partialFingerprints`; the key is [`FINGERPRINT_KEY`].
#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "driftlint/v1")]
    v1: String,
}

#[derive(Serialize)]
struct Notification {
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Invocation {
    execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tool_execution_notifications: Vec<Notification>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    rules: &'a [Descriptor],
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool<'a>,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: &'a [SarifResult],
}

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

/// Collects every file's results and prints one SARIF log at the end.
pub struct Sarif {
    rules: Vec<Descriptor>,
    index: HashMap<String, usize>,
    results: Vec<SarifResult>,
    notifications: Vec<Notification>,
    failed: bool,
}

impl Sarif {
    /// A reporter describing `rules`, the rule set the run uses.
    pub fn new(rules: &RuleSet) -> Sarif {
        let descriptors: Vec<Descriptor> = rules
            .rules()
            .iter()
            .map(|r| Descriptor {
                id: r.id.clone(),
                name: r.name.clone(),
                short_description: text(&r.summary),
                full_description: text(r.rationale.trim()),
                help: text(&r.suggestion),
                default_configuration: DefaultConfiguration::new(r.severity.max()),
                properties: RuleProperties {
                    category: r.category.clone(),
                    citations: r.citations.iter().map(citation).collect(),
                    tags: vec![r.category.clone()],
                },
            })
            .collect();
        let index = descriptors
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        Sarif {
            rules: descriptors,
            index,
            results: Vec::new(),
            notifications: Vec::new(),
            failed: false,
        }
    }
}

/// Character offsets of byte offsets, counted on from the last one asked
/// for, so a file's findings (which come in order) cost one pass.
///
/// Characters, not bytes: driftlint's byte offsets are into the decoded UTF-8
/// text, which differs from the file's bytes when it had a byte order mark or
/// was UTF-16, so SARIF's `byteOffset` is left out.
struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    fn new(text: &'a str) -> CharCounter<'a> {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }

    fn at(&mut self, byte: usize) -> usize {
        let mut byte = byte.min(self.text.len());
        while !self.text.is_char_boundary(byte) {
            byte -= 1;
        }
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

fn file_location(uri: &str) -> Location {
    Location {
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: uri.to_string(),
            },
            region: None,
        },
    }
}

impl Reporter for Sarif {
    fn file(&mut self, _out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        let uri = artifact_uri(&r.path);
        if let Some(err) = &r.error {
            self.failed = true;
            self.notifications.push(Notification {
                level: "error",
                message: text(&format!("{}: cannot read: {err}", r.path)),
                locations: vec![file_location(&uri)],
            });
            return Ok(());
        }
        for note in &r.notes {
            self.notifications.push(Notification {
                level: "warning",
                message: text(&format!("{}: {note}", r.path)),
                locations: vec![file_location(&uri)],
            });
        }
        let mut chars = CharCounter::new(&r.text);
        for (f, fingerprint) in r.findings.iter().zip(fingerprints(&uri, &r.findings)) {
            let char_offset = chars.at(f.byte_start);
            let char_length = chars.at(f.byte_end).saturating_sub(char_offset);
            self.results.push(SarifResult {
                rule_id: f.rule.clone(),
                rule_index: self.index.get(&f.rule).copied(),
                level: level(f.severity),
                message: text(&f.message),
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri.clone() },
                        region: Some(Region {
                            start_line: f.line,
                            start_column: f.column,
                            end_line: f.end_line,
                            end_column: f.end_column,
                            char_offset,
                            char_length,
                            snippet: text(&f.matched),
                        }),
                    },
                }],
                partial_fingerprints: Fingerprints { v1: fingerprint },
                properties: ResultProperties {
                    strength: f.strength.as_str(),
                },
            });
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _summary: &Summary) -> io::Result<()> {
        let log = Log {
            schema: SCHEMA,
            version: "2.1.0",
            runs: vec![Run {
                tool: Tool {
                    driver: Driver {
                        name: "driftlint",
                        version: env!("CARGO_PKG_VERSION"),
                        rules: &self.rules,
                    },
                },
                invocations: vec![Invocation {
                    execution_successful: !self.failed,
                    tool_execution_notifications: std::mem::take(&mut self.notifications),
                }],
                column_kind: "unicodeCodePoints",
                results: &self.results,
            }],
        };
        serde_json::to_writer_pretty(&mut *out, &log)?;
        writeln!(out)?;
        self.results.clear();
        Ok(())
    }
}

/// A display path as a relative (or `file:`) URI reference: forward slashes,
/// and everything but unreserved characters, `/` and sub-delimiters
/// percent-encoded (spaces, `%`, `#`, `?`, `:`, non-ASCII as UTF-8 bytes).
pub fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let bytes = path.as_bytes();
    let drive = bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && &bytes[1..3] == b":/";
    let mut out = String::new();
    if path.starts_with('/') {
        out.push_str("file://");
    } else if drive {
        out.push_str("file:///");
    }
    for (i, &b) in bytes.iter().enumerate() {
        let keep =
            b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=@".contains(&b) || (drive && i == 1);
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// FNV-1a, 64 bits: small, and the same on every platform and Rust version.
/// Parts are hashed with a separator between them.
fn fnv1a64(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            // A separator no part can contain keeps ("ab", "c") apart from ("a", "bc").
            h ^= 0xff;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for &b in *part {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// MurmurHash3's 64-bit finaliser: spreads a one-byte difference (such as
/// the occurrence index) over every bit, so near inputs do not give near hashes.
fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Matched text as the fingerprint sees it: lower case, typographic quotes
/// and dashes plain, runs of whitespace one space.
fn normalise(matched: &str) -> String {
    let plain: String = matched
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{2032}' => '\'',
            '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            c => c,
        })
        .collect();
    plain
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The `driftlint/v1` fingerprint of each finding of one file, in order: a
/// hash (FNV-1a 64, then `fmix64`) of the rule id, the artifact URI, the normalised matched text and
/// how many findings of the same rule on the same text come before it. Line
/// numbers are left out so edits elsewhere in the file do not change it.
pub fn fingerprints(uri: &str, findings: &[Finding]) -> Vec<String> {
    let mut seen: HashMap<(&str, String), usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let norm = normalise(&f.matched);
            let n = seen.entry((f.rule.as_str(), norm.clone())).or_insert(0);
            let occurrence = n.to_string();
            *n += 1;
            let h = fnv1a64(&[
                f.rule.as_bytes(),
                uri.as_bytes(),
                norm.as_bytes(),
                occurrence.as_bytes(),
            ]);
            format!("{:016x}", fmix64(h))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv_matches_the_reference_values() {
        assert_eq!(fnv1a64(&[b""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a64(&[b"a"]), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a64(&[b"foobar"]), 0x8594_4171_f739_67e8);
        assert_eq!(fmix64(0), 0);
        assert_ne!(fmix64(1) >> 32, fmix64(2) >> 32);
    }

    #[test]
    fn uris() {
        assert_eq!(artifact_uri("fixtures/a b.md"), "fixtures/a%20b.md");
        assert_eq!(artifact_uri("dir\\x#1?.md"), "dir/x%231%3F.md");
        assert_eq!(artifact_uri("a:b/100%.md"), "a%3Ab/100%25.md");
        assert_eq!(artifact_uri("/tmp/é.md"), "file:///tmp/%C3%A9.md");
        assert_eq!(artifact_uri("C:\\Jobs\\p.md"), "file:///C:/Jobs/p.md");
        assert_eq!(artifact_uri("-"), "-");
    }

    #[test]
    fn char_offsets() {
        let mut c = CharCounter::new("a\u{e9}b\u{e9}c");
        assert_eq!(c.at(0), 0);
        assert_eq!(c.at(3), 2);
        assert_eq!(c.at(6), 4);
        assert_eq!(c.at(1), 1);
        assert_eq!(c.at(99), 5);
    }

    #[test]
    fn normalised_text() {
        assert_eq!(
            normalise("Bachelor\u{2019}s \n  Degree\u{2013}x"),
            "bachelor's degree-x"
        );
    }
}
