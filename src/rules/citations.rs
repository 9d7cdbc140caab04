//! The citation registry (`lints/statement.toml`): the parts of the position
//! statement that rules cite, by id.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Citation {
    pub id: String,
    /// Statement or recommendation number and heading.
    pub title: String,
    /// Subsection, figure or point; empty for the whole statement.
    #[serde(default)]
    pub section: String,
}

impl Citation {
    /// One line for people: `Statement 7: ... (Peer Support Drift is a Legal Problem)`.
    pub fn display(&self) -> String {
        if self.section.is_empty() {
            self.title.clone()
        } else {
            format!("{} ({})", self.title, self.section)
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    pub publisher: String,
    pub year: u32,
    pub authors: String,
    pub handle: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registry {
    pub source: Source,
    #[serde(rename = "citation")]
    pub citations: Vec<Citation>,
}

impl Registry {
    pub fn parse(text: &str) -> Result<Registry, String> {
        let reg: Registry = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut seen = std::collections::HashSet::new();
        for c in &reg.citations {
            if !seen.insert(c.id.as_str()) {
                return Err(format!("citation id `{}` is defined twice", c.id));
            }
        }
        Ok(reg)
    }

    pub fn get(&self, id: &str) -> Option<&Citation> {
        self.citations.iter().find(|c| c.id == id)
    }
}
