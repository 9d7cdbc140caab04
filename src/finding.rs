//! A finding: one requirement or duty that drifts from the peer role, with
//! where it is, why it matters and what to write instead. Every reporter is a
//! view of this one type.

use std::sync::Arc;

use serde::Serialize;

use crate::document::Strength;
use crate::rules::{Citation, Severity};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id, such as `DL101`.
    pub rule: String,
    /// Rule name, such as `postsecondary-credential`.
    pub name: String,
    pub category: String,
    pub severity: Severity,
    pub strength: Strength,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_start: usize,
    pub byte_end: usize,
    /// The flagged text as it stands in the file.
    pub matched: String,
    pub message: String,
    pub suggestion: String,
    /// Shared with the rule: a finding costs no copy of them.
    pub citations: Arc<[Citation]>,
    /// For text extracted from HTML or DOCX, the element the finding is in
    /// (a CSS selector or a WordprocessingML path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub element: Option<String>,
}
