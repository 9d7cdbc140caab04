//! `--statistics`: counts per rule and per category instead of findings.

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

/// Counts findings; prints a table, or JSON when `json` is set.
#[derive(Default)]
pub struct Statistics {
    json: bool,
    rules: BTreeMap<String, Count>,
    categories: BTreeMap<String, (usize, usize)>,
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
        let mut seen_rules = std::collections::BTreeSet::new();
        let mut seen_cats = std::collections::BTreeSet::new();
        for f in &r.findings {
            let c = self.rules.entry(f.rule.clone()).or_default();
            c.name.clone_from(&f.name);
            c.category.clone_from(&f.category);
            c.findings += 1;
            if seen_rules.insert(&f.rule) {
                c.files += 1;
            }
            let cat = self.categories.entry(f.category.clone()).or_default();
            cat.0 += 1;
            if seen_cats.insert(&f.category) {
                cat.1 += 1;
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
            serde_json::to_writer_pretty(
                &mut *out,
                &json!({"rules": rules, "categories": cats, "summary": s}),
            )?;
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
        Ok(())
    }
}
