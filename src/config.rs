//! `driftlint.toml`: a repository's settings, found by walking up from the
//! working directory. Command-line flags win over the file.
//!
//! ```toml
//! select = ["credential", "DL201"]      # only these rules (ids, names, categories)
//! ignore = ["deficit-language"]         # never these
//! extend-rules = ["lints/org"]          # the organisation's own rule files
//! exclude = ["drafts/**"]               # paths not linted (globs)
//! fail-on = "warning"                   # error | warning | info
//! allow = ["registered charity"]        # wording the organisation has accepted
//!
//! [per-file-ignores]
//! "archive/**" = ["deficit-language"]
//!
//! [severity]
//! DL101 = "warning"                     # or a category; "off" disables
//! ```

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use globset::{Glob, GlobMatcher, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};

use crate::rules::{Rule, Severity};

/// The config file name looked for in the working directory and its parents.
pub const FILE_NAME: &str = "driftlint.toml";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub select: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ignore: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extend_rules: Vec<PathBuf>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub allow: Vec<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub severity: BTreeMap<String, String>,
    /// Where the file was found (not a setting).
    #[serde(skip)]
    pub path: Option<PathBuf>,
}

/// A config problem, naming the file and the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

impl std::error::Error for ConfigError {}

impl Config {
    /// Finds `driftlint.toml` in `start` or the nearest parent folder.
    pub fn discover(start: &Path) -> Option<PathBuf> {
        start
            .ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|p| p.is_file())
    }

    /// Reads and parses a config file. Relative paths in it (`extend-rules`)
    /// are taken relative to the file's folder.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let shown = crate::source::display_path(path);
        let err = |message: String| ConfigError {
            path: shown.clone(),
            message,
        };
        let text = std::fs::read_to_string(path)
            .map_err(|e| err(format!("cannot read: {}", crate::source::io_reason(&e))))?;
        let mut cfg: Config =
            toml::from_str(&text).map_err(|e| err(crate::rules::toml_error(&text, &e)))?;
        let base = path.parent().unwrap_or(Path::new(""));
        cfg.extend_rules = cfg.extend_rules.iter().map(|p| base.join(p)).collect();
        cfg.path = Some(path.to_path_buf());
        if let Some(f) = &cfg.fail_on
            && Severity::parse(f).is_none()
        {
            return Err(err(format!(
                "key `fail-on`: unknown level `{f}` (error, warning or info)"
            )));
        }
        for (key, level) in &cfg.severity {
            if level != "off" && Severity::parse(level).is_none() {
                return Err(err(format!(
                    "key `severity.{key}`: unknown severity `{level}` (error, warning, info or off)"
                )));
            }
        }
        for (key, pats) in [("exclude", &cfg.exclude)] {
            for p in pats {
                Glob::new(p).map_err(|e| err(format!("key `{key}`: bad glob `{p}`: {e}")))?;
            }
        }
        for pat in cfg.per_file_ignores.keys() {
            Glob::new(pat)
                .map_err(|e| err(format!("key `per-file-ignores`: bad glob `{pat}`: {e}")))?;
        }
        Ok(cfg)
    }

    /// Checks every rule selector in the file against the loaded rules.
    pub fn validate_selectors(&self, rules: &[Rule]) -> Result<(), ConfigError> {
        let known = |s: &str| rules.iter().any(|r| r.matches_selector(s));
        let check = |key: String, sel: &str| {
            if known(sel) {
                Ok(())
            } else {
                Err(ConfigError {
                    path: self.shown_path(),
                    message: format!("key `{key}`: `{sel}` names no rule, rule name or category"),
                })
            }
        };
        for s in &self.select {
            check("select".into(), s)?;
        }
        for s in &self.ignore {
            check("ignore".into(), s)?;
        }
        for (glob, sels) in &self.per_file_ignores {
            for s in sels {
                check(format!("per-file-ignores.\"{glob}\""), s)?;
            }
        }
        for s in self.severity.keys() {
            check(format!("severity.{s}"), s)?;
        }
        Ok(())
    }

    fn shown_path(&self) -> String {
        self.path
            .as_deref()
            .map_or_else(|| FILE_NAME.to_string(), crate::source::display_path)
    }

    /// Applies `[severity]` overrides: a rule's reported levels become the
    /// given one (an id or name wins over a category); `off` silences it.
    pub fn apply_severity(&self, rules: &mut Vec<Rule>) {
        if self.severity.is_empty() {
            return;
        }
        rules.retain_mut(|r| {
            let level = self
                .severity
                .iter()
                .filter(|(k, _)| r.matches_selector(k))
                .max_by_key(|(k, _)| **k != r.category)
                .map(|(_, v)| v.as_str());
            match level {
                None => true,
                Some("off") => false,
                Some(l) => {
                    let sev = Severity::parse(l);
                    for slot in [
                        &mut r.severity.required,
                        &mut r.severity.preferred,
                        &mut r.severity.unspecified,
                    ] {
                        if slot.is_some() {
                            *slot = sev;
                        }
                    }
                    true
                }
            }
        });
    }

    /// Paths matching `exclude`.
    pub fn exclude_set(&self) -> GlobSet {
        let mut b = GlobSetBuilder::new();
        for p in &self.exclude {
            if let Ok(g) = Glob::new(p) {
                b.add(g);
                if !p.contains('/') {
                    // A bare name also matches in any folder, as in .gitignore.
                    if let Ok(g) = Glob::new(&format!("**/{p}")) {
                        b.add(g);
                    }
                }
            }
        }
        b.build().unwrap_or_else(|_| GlobSet::empty())
    }

    /// `per-file-ignores` as matchers.
    pub fn per_file_ignores(&self) -> Vec<(GlobMatcher, Vec<String>)> {
        self.per_file_ignores
            .iter()
            .filter_map(|(g, sels)| Some((Glob::new(g).ok()?.compile_matcher(), sels.clone())))
            .collect()
    }

    /// The effective configuration as TOML, for `driftlint config`.
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, text: &str) -> PathBuf {
        std::fs::create_dir_all(dir).unwrap();
        let p = dir.join(FILE_NAME);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn discovers_in_parent_folders() {
        let root = std::env::temp_dir().join(format!("driftlint-cfg-{}", std::process::id()));
        let p = write(&root, "select = [\"credential\"]\n");
        let deep = root.join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(Config::discover(&deep), Some(p.clone()));
        let cfg = Config::load(&p).unwrap();
        assert_eq!(cfg.select, vec!["credential"]);
    }

    #[test]
    fn unknown_keys_and_levels_name_the_key() {
        let root = std::env::temp_dir().join(format!("driftlint-cfg-bad-{}", std::process::id()));
        let p = write(&root, "selcet = [\"credential\"]\n");
        let e = Config::load(&p).unwrap_err();
        assert!(e.message.contains("selcet"), "{e}");
        let p = write(&root, "fail-on = \"loud\"\n");
        assert!(Config::load(&p).unwrap_err().message.contains("fail-on"));
        let p = write(&root, "[severity]\nDL101 = \"fatal\"\n");
        assert!(
            Config::load(&p)
                .unwrap_err()
                .message
                .contains("severity.DL101")
        );
    }
}
