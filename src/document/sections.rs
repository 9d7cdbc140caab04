//! Which part of a posting a block is in, judged from its heading.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::LazyLock;

use regex::{Regex, RegexSet};
use serde::Serialize;

use super::{Block, BlockKind, RawBlock};

/// The parts of a posting rules can be scoped to. The names are a public
/// interface (rule files use them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionKind {
    Summary,
    Duties,
    Qualifications,
    Conditions,
    Reporting,
    About,
    Benefits,
    Apply,
    Other,
}

impl SectionKind {
    pub const ALL: [SectionKind; 9] = [
        SectionKind::Summary,
        SectionKind::Duties,
        SectionKind::Qualifications,
        SectionKind::Conditions,
        SectionKind::Reporting,
        SectionKind::About,
        SectionKind::Benefits,
        SectionKind::Apply,
        SectionKind::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SectionKind::Summary => "summary",
            SectionKind::Duties => "duties",
            SectionKind::Qualifications => "qualifications",
            SectionKind::Conditions => "conditions",
            SectionKind::Reporting => "reporting",
            SectionKind::About => "about",
            SectionKind::Benefits => "benefits",
            SectionKind::Apply => "apply",
            SectionKind::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<SectionKind> {
        SectionKind::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// How firmly a posting asks for something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    Required,
    Preferred,
    Unspecified,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Required => "required",
            Strength::Preferred => "preferred",
            Strength::Unspecified => "unspecified",
        }
    }
}

/// Heading words for each section, tried in order: the first match wins, so
/// "About the role" is duties and "About you" qualifications before "About us".
/// The section words as one set: the first (lowest) matching entry decides.
static SECTION_WORDS: LazyLock<(Vec<SectionKind>, RegexSet)> = LazyLock::new(|| {
    let table: [(SectionKind, &str); 8] = [
        (
            SectionKind::Apply,
            r"how to apply|\bto apply\b|application (process|instructions|deadline)|\bapply (now|today|by)\b|accessibility|accommodation|equal (employment )?opportunit|\bequity\b|diversity|\beeo\b|inclusion statement|land acknowledg|closing date",
        ),
        (
            SectionKind::Benefits,
            r"benefit|compensation|salary|\bpay\b|\bwages?\b|rate of pay|what we offer|we offer|\bperks\b|why (join|work)|rewards|hourly rate|remuneration|total rewards",
        ),
        (
            SectionKind::Reporting,
            r"\breports? to\b|\breporting\b|supervis|accountab\w* to|line manager",
        ),
        (
            SectionKind::Conditions,
            r"conditions? of (employment|hire|offer)|pre-?employment|\bscreening\b|clearances?\b|before you start|\bchecks\b|employment conditions|working conditions",
        ),
        (
            SectionKind::Qualifications,
            r"qualif|requirement|\brequired\b|what you('ll| will)? (bring|have|need)|you bring|you have|who you are|\bskills\b|\bexperience\b|education|knowledge|abilit|competenc|\bassets?\b|nice to have|must[- ]haves?|\bpreferred\b|desirable|essential criteria|selection criteria|ideal candidate|looking for|eligib|about you|person specification|credentials",
        ),
        (
            SectionKind::Duties,
            r"responsibilit|duties|\bduty\b|what you('ll| will) do|day[- ]to[- ]day|key (tasks|activities|accountabilities)|the role\b|about the (role|position|job|opportunity)|role description|your role|\btasks\b|in this role|job description|\bactivities\b|accountabilities|what the job involves|position description",
        ),
        (
            SectionKind::About,
            r"\babout\b|who we are|\bour (organi[sz]ation|agency|team|program|programme|service|mission|story|values|hospital|clinic)|the (organi[sz]ation|agency|program|programme|team|employer)\b|\bcompany\b|mission|\bwho we serve\b",
        ),
        (
            SectionKind::Summary,
            r"summary|overview|purpose|introduction|\bposition\b|the opportunity|job title|\bintro\b",
        ),
    ];
    let kinds = table.iter().map(|(kind, _)| *kind).collect();
    let set =
        RegexSet::new(table.iter().map(|(_, pat)| format!("(?i){pat}"))).expect("static regex");
    (kinds, set)
});

static PREFERRED_HEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(assets?|preferred|nice[- ]to[- ]haves?|desirable|bonus|additional|advantage|plus|would be great)\b")
        .expect("static regex")
});

/// Short headings that carry no colon and no capitals in plain text.
static HEADING_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:key |main |major |primary |core |general |specific )?(?:responsibilities|duties|qualifications|requirements|benefits|compensation|salary|about us|about the (?:role|position|organi[sz]ation|agency|program|team)|about you|overview|summary|position summary|job summary|role summary|how to apply|skills|experience|education|assets|conditions of employment|reports to|reporting relationship|supervision|what you(?:'ll| will) (?:do|bring)|what we offer|who we are|who you are|nice to have|preferred qualifications|required qualifications|minimum qualifications|essential criteria|desirable criteria|selection criteria|skills and experience|skills and qualifications|knowledge and skills|the role|your role|job description|position description|working conditions)$")
        .expect("static regex")
});

/// Whether a whole short line is a well-known heading.
pub(crate) fn is_heading_phrase(line: &str) -> bool {
    HEADING_PHRASE.is_match(line.trim())
}

/// The section a heading (or a `Label:`) opens, with the strength it implies.
pub fn classify(heading: &str) -> Option<(SectionKind, Option<Strength>)> {
    let h = heading.trim().trim_end_matches(':').trim();
    // Postings reuse a small stock of headings ("Qualifications", "About
    // us"), so each thread remembers the ones it has classified.
    type Seen = HashMap<Box<str>, Option<(SectionKind, Option<Strength>)>>;
    thread_local!(static SEEN: RefCell<Seen> = RefCell::new(HashMap::new()));
    const REMEMBERED: usize = 4096;
    if h.len() > 80 {
        return classify_words(h);
    }
    SEEN.with(|seen| {
        if let Some(known) = seen.borrow().get(h) {
            return *known;
        }
        let found = classify_words(h);
        let mut seen = seen.borrow_mut();
        if seen.len() >= REMEMBERED {
            seen.clear();
        }
        seen.insert(h.into(), found);
        found
    })
}

fn classify_words(h: &str) -> Option<(SectionKind, Option<Strength>)> {
    let (kinds, set) = &*SECTION_WORDS;
    let kind = kinds[set.matches(h).iter().next()?];
    let hint = match kind {
        SectionKind::Qualifications if PREFERRED_HEADING.is_match(h) => Some(Strength::Preferred),
        SectionKind::Qualifications | SectionKind::Duties | SectionKind::Conditions => {
            Some(Strength::Required)
        }
        _ => None,
    };
    Some((kind, hint))
}

/// Whether a non-heading block reads as a heading: a short paragraph that is
/// all bold, or ends with a colon.
/// At most 60 characters and 8 words, as a heading is. Counting stops at
/// the limit: a paragraph of prose is not counted to its end.
pub(crate) fn short_enough_for_heading(t: &str) -> bool {
    // A character is at most 4 bytes: over 240 bytes is over 60 characters.
    let chars_ok = t.len() <= 60 || (t.len() <= 240 && t.chars().nth(60).is_none());
    chars_ok && t.split_whitespace().nth(8).is_none()
}

fn is_pseudo_heading(text: &str, raw: &RawBlock) -> bool {
    if raw.kind != BlockKind::Paragraph {
        return false;
    }
    let t = text.trim();
    (raw.all_bold || (t.ends_with(':') && !t[..t.len() - 1].contains(':')))
        && short_enough_for_heading(t)
}

/// Gives every block the section of the nearest heading above it.
pub(crate) fn assign(text: &str, raw: &[RawBlock]) -> Vec<Block> {
    let mut current = (SectionKind::Other, None::<Strength>, 0u8);
    raw.iter()
        .map(|r| {
            let t = &text[r.clean.clone()];
            let level = match r.kind {
                BlockKind::Heading(level) => Some(level),
                _ if is_pseudo_heading(t, r) => Some(7),
                _ => None,
            };
            let kind = match (r.kind, level) {
                (BlockKind::Paragraph, Some(_)) => BlockKind::Heading(7),
                (k, _) => k,
            };
            if let Some(level) = level {
                match classify(t) {
                    Some((section, hint)) => current = (section, hint, level),
                    // An unknown sub-heading stays in its parent's section.
                    None if level > current.2 && current.0 != SectionKind::Other => {}
                    None => current = (SectionKind::Other, None, level),
                }
            }
            Block {
                kind,
                clean: r.clean.clone(),
                section: current.0,
                hint: current.1,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(h: &str) -> Option<SectionKind> {
        classify(h).map(|(k, _)| k)
    }

    #[test]
    fn remembered_headings_keep_their_sections() {
        assert_eq!(kind("Qualifications"), Some(SectionKind::Qualifications));
        // More headings than are remembered: the memory is cleared, not wrong.
        for i in 0..5000 {
            assert_eq!(kind(&format!("Benefits {i}")), Some(SectionKind::Benefits));
        }
        assert_eq!(kind("Qualifications"), Some(SectionKind::Qualifications));
        assert_eq!(kind("Qualifications:"), Some(SectionKind::Qualifications));
        assert_eq!(
            classify("Assets").map(|(_, h)| h),
            Some(Some(Strength::Preferred))
        );
        assert_eq!(kind("Peer Support Worker"), None);
        assert_eq!(kind("Peer Support Worker"), None);
    }

    #[test]
    fn heading_length_limits() {
        assert!(short_enough_for_heading("What you will bring"));
        assert!(short_enough_for_heading(&"é".repeat(60)));
        assert!(!short_enough_for_heading(&"é".repeat(61)));
        assert!(short_enough_for_heading(&"a".repeat(60)));
        assert!(!short_enough_for_heading(&"a".repeat(61)));
        assert!(short_enough_for_heading(
            "one two three four five six seven eight"
        ));
        assert!(!short_enough_for_heading(
            "one two three four five six seven eight nine"
        ));
    }

    #[test]
    fn headings_map_to_sections() {
        assert_eq!(kind("Key Responsibilities"), Some(SectionKind::Duties));
        assert_eq!(kind("About the Role"), Some(SectionKind::Duties));
        assert_eq!(kind("About You"), Some(SectionKind::Qualifications));
        assert_eq!(kind("About Us"), Some(SectionKind::About));
        assert_eq!(kind("What you'll bring"), Some(SectionKind::Qualifications));
        assert_eq!(kind("Reports to"), Some(SectionKind::Reporting));
        assert_eq!(
            kind("Conditions of Employment"),
            Some(SectionKind::Conditions)
        );
        assert_eq!(kind("What we offer"), Some(SectionKind::Benefits));
        assert_eq!(kind("How to apply"), Some(SectionKind::Apply));
        assert_eq!(kind("Position Summary"), Some(SectionKind::Summary));
        assert_eq!(kind("Peer Support Worker"), None);
    }

    #[test]
    fn heading_strength() {
        assert_eq!(
            classify("Assets").and_then(|c| c.1),
            Some(Strength::Preferred)
        );
        assert_eq!(
            classify("Preferred Qualifications").and_then(|c| c.1),
            Some(Strength::Preferred)
        );
        assert_eq!(
            classify("Requirements").and_then(|c| c.1),
            Some(Strength::Required)
        );
        assert_eq!(
            classify("Duties").and_then(|c| c.1),
            Some(Strength::Required)
        );
        assert_eq!(classify("About us").and_then(|c| c.1), None);
    }
}
