//! `--statistics`: counts per rule and per category instead of findings.
//!
//! `files` and `share_of_files` count postings: each record of a listing dump
//! is a file here. When postings have meta fields (`--meta-field`), the JSON
//! form adds `meta`: for each field, each value's postings, how many have a
//! finding, and how many have one in each category.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::json;

use super::{FileReport, Reporter, Summary};

#[derive(Default)]
struct Count {
    name: String,
    category: String,
    findings: usize,
    files: usize,
}

/// Postings with one value of a meta field (such as one employer).
#[derive(Default)]
struct ValueCount {
    postings: usize,
    unreadable: usize,
    with_findings: usize,
    /// Postings with a finding in each category.
    categories: BTreeMap<String, usize>,
}

/// Counts findings; prints a table, or JSON when `json` is set.
#[derive(Default)]
pub struct Statistics {
    json: bool,
    rules: BTreeMap<String, Count>,
    categories: BTreeMap<String, (usize, usize)>,
    /// Meta field -> value -> counts, fields in the order first seen.
    meta: Vec<(String, BTreeMap<String, ValueCount>)>,
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

impl Statistics {
    pub fn new(json: bool) -> Statistics {
        Statistics {
            json,
            ..Statistics::default()
        }
    }
}

impl Reporter for Statistics {
    fn file(&mut self, _out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        // A posting has a handful of rules and categories: a short list
        // beats a tree here.
        let mut seen_rules: Vec<&str> = Vec::new();
        let mut seen_cats: Vec<&str> = Vec::new();
        for f in &r.findings {
            // Keys are cloned only the first time a rule or category is seen.
            if !self.rules.contains_key(&f.rule) {
                self.rules.insert(f.rule.clone(), Default::default());
            }
            let Some(c) = self.rules.get_mut(&f.rule) else {
                continue;
            };
            c.name.clone_from(&f.name);
            c.category.clone_from(&f.category);
            c.findings += 1;
            if !seen_rules.contains(&f.rule.as_str()) {
                seen_rules.push(&f.rule);
                c.files += 1;
            }
            if !self.categories.contains_key(&f.category) {
                self.categories
                    .insert(f.category.clone(), Default::default());
            }
            let Some(cat) = self.categories.get_mut(&f.category) else {
                continue;
            };
            cat.0 += 1;
            if !seen_cats.contains(&f.category.as_str()) {
                seen_cats.push(&f.category);
                cat.1 += 1;
            }
        }
        for (field, value) in &r.meta {
            let i = match self.meta.iter().position(|(f, _)| f == field) {
                Some(i) => i,
                None => {
                    self.meta.push((field.clone(), BTreeMap::new()));
                    self.meta.len() - 1
                }
            };
            let c = self.meta[i].1.entry(value.clone()).or_default();
            if r.error.is_some() {
                c.unreadable += 1;
                continue;
            }
            c.postings += 1;
            c.with_findings += usize::from(!r.findings.is_empty());
            for cat in &seen_cats {
                *c.categories.entry((*cat).to_string()).or_default() += 1;
            }
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, s: &Summary) -> io::Result<()> {
        let share = |files: usize| {
            if s.files == 0 {
                0.0
            } else {
                files as f64 / s.files as f64
            }
        };
        if self.json {
            let rules: Vec<_> = self
                .rules
                .iter()
                .map(|(id, c)| json!({"rule": id, "name": c.name, "category": c.category, "findings": c.findings, "files": c.files, "share_of_files": share(c.files)}))
                .collect();
            let cats: Vec<_> = self
                .categories
                .iter()
                .map(|(cat, (n, files))| json!({"category": cat, "findings": n, "files": files, "share_of_files": share(*files)}))
                .collect();
            let mut doc = json!({"rules": rules, "categories": cats, "summary": s});
            if !self.meta.is_empty() {
                let meta: serde_json::Map<String, serde_json::Value> = self
                    .meta
                    .iter()
                    .map(|(field, values)| {
                        let rows: Vec<_> = by_postings(values)
                            .into_iter()
                            .map(|(value, c)| {
                                let cats: Vec<_> = c
                                    .categories
                                    .iter()
                                    .map(|(cat, n)| json!({"category": cat, "postings": n, "share_of_postings": ratio(*n, c.postings)}))
                                    .collect();
                                json!({
                                    "value": value,
                                    "postings": c.postings,
                                    "unreadable": c.unreadable,
                                    "postings_with_findings": c.with_findings,
                                    "share_with_findings": ratio(c.with_findings, c.postings),
                                    "categories": cats,
                                })
                            })
                            .collect();
                        (field.clone(), json!(rows))
                    })
                    .collect();
                doc["meta"] = serde_json::Value::Object(meta);
            }
            serde_json::to_writer_pretty(&mut *out, &doc)?;
            return writeln!(out);
        }
        writeln!(
            out,
            "{:>8}  {:>6}  {:<6} {:<36} category",
            "findings", "files", "rule", "name"
        )?;
        for (id, c) in &self.rules {
            writeln!(
                out,
                "{:>8}  {:>6}  {:<6} {:<36} {}",
                c.findings, c.files, id, c.name, c.category
            )?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "{:>8}  {:>6}  category (share of {} files)",
            "findings", "files", s.files
        )?;
        for (cat, (n, files)) in &self.categories {
            writeln!(
                out,
                "{:>8}  {:>6}  {} ({:.0}%)",
                n,
                files,
                cat,
                100.0 * share(*files)
            )?;
        }
        for (field, values) in &self.meta {
            writeln!(out)?;
            writeln!(out, "{:>8}  {:>13}  {field}", "postings", "with findings")?;
            for (value, c) in by_postings(values) {
                let shown = if value.is_empty() { "(none)" } else { value };
                writeln!(
                    out,
                    "{:>8}  {:>6} ({:>3.0}%)  {shown}",
                    c.postings,
                    c.with_findings,
                    100.0 * ratio(c.with_findings, c.postings)
                )?;
            }
        }
        Ok(())
    }
}

/// Values with the most postings first, then by value.
fn by_postings(values: &BTreeMap<String, ValueCount>) -> Vec<(&str, &ValueCount)> {
    let mut v: Vec<_> = values.iter().map(|(k, c)| (k.as_str(), c)).collect();
    v.sort_by(|a, b| {
        (b.1.postings + b.1.unreadable)
            .cmp(&(a.1.postings + a.1.unreadable))
            .then(a.0.cmp(b.0))
    });
    v
}
