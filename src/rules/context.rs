//! Judging a match in its context, as a careful reader would: is it negated,
//! is it someone else's duty, is it on offer rather than asked for, and how
//! firmly is it asked for?
//!
//! The cue lists live here once; rules switch checks on or off but never copy
//! them. All checks look outside the match itself, so a rule can spell a
//! negation out in its own pattern ("no criminal record") and still fire.

use std::cell::RefCell;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use regex_automata::{Input, MatchKind, PatternSet, meta};

use super::Rule;
use crate::document::Strength;

fn re(pattern: &str) -> Regex {
    regex::RegexBuilder::new(&super::ascii_classes(&format!("(?i){pattern}")))
        .dfa_size_limit(super::DFA_CACHE)
        .build()
        .expect("static regex")
}

/// Where one clause ends and the next begins inside a sentence.
const CLAUSE_BREAK_P: &str = r";|\bbut\b|\bhowever\b|\balthough\b|\bthough\b|\bwhile\b|\bwhereas\b|\s-\s|\bexcept\b|\bonce\b";
static CLAUSE_BREAK: LazyLock<Regex> = LazyLock::new(|| re(CLAUSE_BREAK_P));

/// Negation before the match (searched in the last words of its clause).
const NEG_BEFORE_P: &str = r"\b(?:no|not|never|without|neither|nor|none|regardless|irrespective|cannot|can't|won't|don't|doesn't|didn't|isn't|aren't|wasn't|shouldn't|needn't|exempt|instead\s+of|rather\s+than|no\s+longer)\b";
static NEG_BEFORE: LazyLock<Regex> = LazyLock::new(|| re(NEG_BEFORE_P));

/// Phrases with a negation word that do not negate what follows.
static NEG_FALSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\bnot\s+only\b|\bno\s+(?:later|more|less|fewer|sooner)\s+than\b|\bif\s+not\b|\bnot\s+limited\s+to\b",
    )
});

/// After "without X": "... will be required to obtain one" keeps X a requirement.
static WITHOUT_THEN_REQUIRED: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\W*(?:[\w'/-]+\W+){0,6}?(?:will\s+(?:be\s+)?(?:need|needs|needed|required|asked|expected)|must|(?:is|are)\s+(?:required|expected))\b",
    )
});

/// A negation that covers the rest of its clause, however long the list
/// after it: "you will not be asked to monitor medications, ... or restraints".
const NEG_SCOPED_P: &str = r"\b(?:(?:not|never)\s+(?:be\s+)?(?:asked|expected|required|responsible|involved|permitted|allowed|part\s+of)|won't\s+(?:be\s+)?(?:asked|expected|required|involved)|(?:does|do|will)\s+not\s+(?:include|involve)|doesn't\s+(?:include|involve)|no\s+(?:involvement|role|part)\s+in)\b";
static NEG_SCOPED: LazyLock<Regex> = LazyLock::new(|| re(NEG_SCOPED_P));

/// A staff word that names a meeting or a way of working, not a person:
/// "treatment team meetings", "the team's recommendations".
static STAFF_AS_MODIFIER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:'s?\b|\s+(?:meetings?|rounds|huddles?|conferences?|reviews?|discussions?|approach|model|settings?|environment|based|members?)\b)",
    )
});

/// Negation right after the match: "... is not required", "... optional".
static NEG_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^\W*(?:[\w'/-]+\W+){0,4}?(?:(?:(?:is|are|was|will\s+be|would\s+be|be)\s+)?(?:not|never)\s+(?:(?:a|an|the|at\s+all)\s+)?(?:required|requirement|necessary|needed|mandatory|condition|expected|essential|compulsory|obligatory|part\s+of|asked|barrier|considered|prerequisite|a\s+must|something\s+we)|(?:isn't|aren't|won't\s+be|doesn't|don't)\b|optional\b|unnecessary\b|not\s+needed\b|waived\b|(?:is|are)\s+not\W*$)",
    )
});

/// Other staff as the doer of a duty or holder of a credential.
const STAFF_P: &str = r"\b(?:nurses?|rns|rpns|nps|nurse\s+practitioners?|physicians?|doctors?|psychiatrists?|psychologists?|psychotherapists?|social\s+workers?|clinicians?|clinical\s+(?:staff|team|lead|leads|manager|managers|director)|counsell?ors?|therapists?|case\s+managers?|pharmacists?|pharmacy|medical\s+(?:staff|team)|health\s*care\s+(?:providers?|professionals?|team)|staff|team|colleagues|professionals|prescribers?|security(?:\s+staff|\s+guards?)?|housekeeping|custodial\s+staff|custodians?|janitors?|janitorial\s+(?:staff|contractors?|company|team)|cleaners|cleaning\s+(?:staff|contractors?|company|crew|team)|contractors?|receptionists?|administrative\s+(?:assistants?|staff|team)|admin\s+(?:assistants?|staff|team)|office\s+(?:staff|manager|administrators?)|volunteers|porters?|cooks?|chefs?|kitchen\s+staff|drivers)\b";
static STAFF: LazyLock<Regex> = LazyLock::new(|| re(STAFF_P));

/// The peer worker (or the reader being addressed) as the doer.
const PEER_P: &str = r"\b(?:you|you'll|all\s+(?:new\s+|of\s+our\s+|our\s+)?(?:staff|employees|team\s+members|hires|workers|personnel|positions)|(?:staff|employees)\s+and\s+volunteers|team\s+members|new\s+hires|employees|the\s+(?:successful\s+)?(?:candidates?|applicants?|incumbent)|successful\s+(?:candidates?|applicants?)|(?:the\s+)?peer\s+(?:support\s+)?(?:workers?|specialists?|supporters?|mentors?|navigators?|facilitators?|coach(?:es)?|staff|team\s+members?)|(?:this|the)\s+(?:role|position)|(?:he|she|they)\s+will|incumbent|employee)\b";
static PEER: LazyLock<Regex> = LazyLock::new(|| re(PEER_P));

/// Words before a staff or peer word that make it an object, not the subject.
static NOT_SUBJECT_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:with|alongside|to|by|from|of|for|under|join|joining|support|supporting|supports|assist|assisting|assists|help|helping|helps|between|among|amongst|and|or|like|including|as|within|on|in|into|at|beside|than|via|through|who|whom|toward|towards|against|about|inform|notify|consult|consulting|refer|referring|liaise|liaising|collaborate|collaborating|partner|partnering|accompany|shadow|shadowing|observe|observing|direction|supervision|guidance)\s+(?:(?:our|the|a|an|other|all|registered|licensed|qualified|clinical|medical|multidisciplinary|interdisciplinary|interprofessional|care|program|agency|unit|hospital|team|treatment|support|health)\s+){0,3}$",
    )
});

/// The employer offering something rather than asking for it.
const OFFERED_P: &str = r"\b(?:tuition|education(?:al)?|professional\s+development|learning|training)\s+(?:support|reimbursement|assistance|subsidy|subsidies|allowance|funds?|funding|budget|bursar(?:y|ies)|benefits?)\b|\bwe(?:'ll|\s+will)?\s+(?:offer|provide|pay\s+for|cover|reimburse|fund|sponsor|support\s+you)\b|\b(?:paid|covered|reimbursed|funded)\s+by\s+(?:us|the\s+(?:employer|organi[sz]ation|agency))\b|\bat\s+no\s+cost\b|\bopportunit(?:y|ies)\s+to\s+(?:pursue|complete|obtain|earn|gain|further)\b|\bsupport\s+(?:you|staff|employees)\s+(?:to|in)\s+(?:pursue|pursuing|complete|completing|obtain|obtaining|earn|earning)\b";
static OFFERED: LazyLock<Regex> = LazyLock::new(|| re(OFFERED_P));

const REQUIRED_P: &str = r"\b(?:must|required|requires?|requirements?|mandatory|minimum|essential|conditions?\s+of\s+(?:employment|hire|offer|the\s+offer)|conditional\s+(?:up)?on|contingent\s+(?:up)?on|subject\s+to|prior\s+to\s+(?:hire|hiring|start|starting|employment|your\s+start|the\s+start|commencing|commencement)|before\s+(?:your\s+)?(?:first\s+day|start(?:ing)?\s+date|hire|starting|employment)|need(?:s)?\s+to|will\s+need|you\s+will|you'll|responsible\s+for|obligatory|compulsory|necessary|prerequisite|expected\s+to|shall|ha(?:ve|s)\s+to|will\s+be\s+asked\s+to|(?:are|is)\s+asked\s+to|successful\s+completion)\b";
static REQUIRED: LazyLock<Regex> = LazyLock::new(|| re(REQUIRED_P));

const PREFERRED_P: &str = r"\b(?:assets?|preferred|preference|prefer|nice[\s-]to[\s-]have|advantage|advantageous|desirable|desired|ideally|ideal|considered|bonus|a\s+plus|beneficial|helpful|would\s+be\s+great|welcomed?)\b";
static PREFERRED: LazyLock<Regex> = LazyLock::new(|| re(PREFERRED_P));

/// Work that is only occasional or stand-in: a softer signal than a main duty.
const OCCASIONAL_P: &str = r"\b(?:occasional(?:ly)?|as\s+(?:needed|required|necessary)|(?:when|if|where)\s+(?:needed|required|necessary)|from\s+time\s+to\s+time|periodically|on\s+occasion|at\s+times|(?:on\s+an\s+)?as[-\s]needed(?:\s+basis)?|ad[-\s]hoc|back[-\s]?up|in\s+a\s+pinch|during\s+(?:staff\s+)?(?:breaks|lunch(?:es)?|absences|vacations?|staff\s+shortages)|when\s+(?:staff|the\s+\w+)\s+(?:is|are)\s+(?:away|absent|unavailable|on\s+(?:break|vacation|leave)))\b";

/// An explicit equivalent route through lived experience or peer training.
const EQUIVALENT_P: &str = r"\bequivalen(?:t|cy)\b.{0,80}?\b(?:lived|living|personal)\s+experience|\b(?:lived|living|personal)\s+experience\b.{0,60}?\b(?:in\s+lieu|instead|in\s+place|substitut\w*|equivalen\w*|considered\s+as)\b|\bpeer\s+(?:support\s+)?(?:training|certification|work)\b.{0,40}?\b(?:equivalen\w*|in\s+lieu|instead)\b|\bequivalen(?:t|cy)\b.{0,60}?\bpeer\s+(?:support\s+)?(?:training|certification|work|experience)";

/// Which cues a judged sentence holds at all, found in one search so
/// that the position of a cue is only looked for when it is there.
#[derive(Clone, Copy)]
enum Cue {
    ClauseBreak,
    NegBefore,
    NegScoped,
    Staff,
    Peer,
    Offered,
    Required,
    Preferred,
    Equivalent,
    Occasional,
}

const CUE_COUNT: usize = 10;

/// All cue regexes in one automaton: one pass says which are present.
static CUES: LazyLock<meta::Regex> = LazyLock::new(|| {
    let pats: [&str; CUE_COUNT] = [
        CLAUSE_BREAK_P,
        NEG_BEFORE_P,
        NEG_SCOPED_P,
        STAFF_P,
        PEER_P,
        OFFERED_P,
        REQUIRED_P,
        PREFERRED_P,
        EQUIVALENT_P,
        OCCASIONAL_P,
    ];
    let pats = pats.map(|p| super::ascii_classes(&format!("(?i){p}")));
    meta::Regex::builder()
        .configure(
            meta::Config::new()
                .match_kind(MatchKind::All)
                .utf8_empty(true)
                .hybrid_cache_capacity(super::DFA_CACHE),
        )
        .build_many(&pats)
        .expect("static regex set")
});

/// The cues present in a text; a cue absent from a sentence is absent from
/// every part of it, so its regex need not run on those parts.
#[derive(Clone, Copy)]
struct Cues(u32);

impl Cues {
    fn of(text: &str) -> Cues {
        // One set of pattern ids per thread, cleared for each text.
        thread_local!(static FOUND: RefCell<PatternSet> = RefCell::new(PatternSet::new(CUE_COUNT)));
        FOUND.with_borrow_mut(|found| {
            found.clear();
            CUES.which_overlapping_matches(&Input::new(text), found);
            Cues(found.iter().fold(0, |bits, id| bits | 1 << id.as_u32()))
        })
    }

    /// Every cue marked present: for callers without a sentence to scan.
    const ALL: Cues = Cues(u32::MAX);

    fn has(self, cue: Cue) -> bool {
        self.0 & (1 << cue as u32) != 0
    }
}

/// Context is read at most this many bytes either side of a match. A real
/// sentence is shorter, so this changes nothing for it; but a run-on
/// "sentence" of thousands of words (a scraped listing with no punctuation)
/// would otherwise make judging each of its matches cost the whole text,
/// which is quadratic: 100 KB of "our nurses monitor medication, " took
/// minutes.
pub const WINDOW: usize = 1024;

/// The part of `sentence` that match `m` is judged in: `sentence` itself
/// when it is short, else up to [`WINDOW`] bytes either side of the match,
/// cut at a space so no word is split.
pub fn window(sentence: &str, m: &Range<usize>) -> Range<usize> {
    let mut lo = m.start.saturating_sub(WINDOW);
    let mut hi = m.end.saturating_add(WINDOW).min(sentence.len());
    while !sentence.is_char_boundary(lo) {
        lo += 1;
    }
    while !sentence.is_char_boundary(hi) {
        hi -= 1;
    }
    if lo > 0
        && let Some(sp) = sentence[lo..m.start].find(' ')
    {
        lo += sp + 1;
    }
    if hi < sentence.len()
        && let Some(sp) = sentence[m.end..hi].rfind(' ')
    {
        hi = m.end + sp;
    }
    lo..hi
}

/// What the context says about one match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Judgement {
    pub strength: Strength,
    /// An equivalent route exists: report as info.
    pub lowered: bool,
    /// Occasional or stand-in work: one severity step lower.
    pub softened: bool,
}

/// The clause of `sentence` holding `m` (both relative to the sentence).
fn clause(sentence: &str, m: &Range<usize>, cues: Cues) -> Range<usize> {
    let mut start = 0;
    let mut end = sentence.len();
    if !cues.has(Cue::ClauseBreak) {
        return start..end;
    }
    for b in CLAUSE_BREAK.find_iter(sentence) {
        if b.end() <= m.start {
            start = b.end();
        } else if b.start() >= m.end {
            end = b.start();
            break;
        }
    }
    start..end
}

/// The last `n` words of `text`, as a suffix slice.
fn last_words(text: &str, n: usize) -> &str {
    let mut count = 0;
    let mut in_word = false;
    for (i, c) in text.char_indices().rev() {
        let w = c.is_alphanumeric() || c == '\'';
        if w && !in_word {
            count += 1;
            if count > n {
                return &text[i + c.len_utf8()..];
            }
        }
        in_word = w;
    }
    text
}

/// Whether the match is negated in its clause.
pub fn negated(before: &str, after: &str) -> bool {
    negated_with(before, after, Cues::ALL)
}

fn negated_with(before: &str, after: &str, cues: Cues) -> bool {
    let window = last_words(before, 10);
    let pre = cues.has(Cue::NegBefore)
        && NEG_BEFORE.find_iter(window).any(|n| {
            // Skip "not only", "no later than", ...
            let false_cue = NEG_FALSE
                .find_iter(window)
                .any(|f| f.start() <= n.start() && n.end() <= f.end());
            let without_required =
                n.as_str().eq_ignore_ascii_case("without") && WITHOUT_THEN_REQUIRED.is_match(after);
            !false_cue && !without_required
        });
    pre || (cues.has(Cue::NegScoped) && NEG_SCOPED.is_match(before)) || NEG_AFTER.is_match(after)
}

/// Whether the nearest subject before the match is other staff.
fn someone_else(before: &str, present: Cues) -> bool {
    if !present.has(Cue::Staff) {
        // Without other staff the nearest subject cannot be someone else.
        return false;
    }
    let peers = present
        .has(Cue::Peer)
        .then(|| PEER.find_iter(before))
        .into_iter()
        .flatten();
    let mut cues: Vec<(usize, usize, bool)> = STAFF
        .find_iter(before)
        .filter(|m| !STAFF_AS_MODIFIER.is_match(&before[m.end()..]))
        .map(|m| (m.start(), m.end(), false))
        .chain(peers.map(|m| (m.start(), m.end(), true)))
        .collect();
    // Nearest first; of two cues ending together the longer ("all staff"
    // over "staff") decides.
    cues.sort_by_key(|c| (std::cmp::Reverse(c.1), c.0));
    for (start, _, is_peer) in cues {
        if NOT_SUBJECT_BEFORE.is_match(&before[..start]) {
            continue;
        }
        return !is_peer;
    }
    false
}

/// The strength cue nearest the match in `text` (match relative to `text`).
fn nearest_strength(text: &str, m: &Range<usize>, cues: Cues) -> Option<Strength> {
    let distance = |s: usize, e: usize| {
        if e <= m.start {
            m.start - e
        } else {
            s.saturating_sub(m.end)
        }
    };
    let nearest = |cue: Cue, re: &Regex| {
        if !cues.has(cue) {
            return None;
        }
        re.find_iter(text)
            .map(|c| distance(c.start(), c.end()))
            .min()
    };
    let req = nearest(Cue::Required, &REQUIRED);
    let pref = nearest(Cue::Preferred, &PREFERRED);
    match (req, pref) {
        (Some(r), Some(p)) if p < r => Some(Strength::Preferred),
        (Some(_), _) => Some(Strength::Required),
        (None, Some(_)) => Some(Strength::Preferred),
        (None, None) => None,
    }
}

/// Judges match `m` of `rule` in `sentence` (offsets relative to the sentence).
/// `None` means the match is not this role's requirement or duty.
pub fn judge(
    rule: &Rule,
    sentence: &str,
    m: Range<usize>,
    hint: Option<Strength>,
) -> Option<Judgement> {
    let w = window(sentence, &m);
    let sentence = &sentence[w.clone()];
    let m = m.start - w.start..m.end - w.start;
    if rule
        .unless_any
        .as_ref()
        .is_some_and(|u| u.is_match(sentence))
    {
        return None;
    }
    let cues = Cues::of(sentence);
    let c = clause(sentence, &m, cues);
    let before = &sentence[c.start..m.start];
    let after = &sentence[m.end..c.end.max(m.end)];
    if rule.context.negation && negated_with(before, after, cues) {
        return None;
    }
    if rule.context.subject && someone_else(before, cues) {
        return None;
    }
    let clause_text = &sentence[c.clone()];
    if rule.context.offered && cues.has(Cue::Offered) && OFFERED.is_match(clause_text) {
        return None;
    }
    let in_clause = m.start - c.start..m.end - c.start;
    let strength = nearest_strength(clause_text, &in_clause, cues)
        .or_else(|| nearest_strength(sentence, &m, cues))
        .or(hint)
        .unwrap_or(Strength::Unspecified);
    let lowered = cues.has(Cue::Equivalent)
        || rule
            .lower_if_any
            .as_ref()
            .is_some_and(|l| l.is_match(sentence));
    let softened = rule.context.occasional && cues.has(Cue::Occasional);
    Some(Judgement {
        strength,
        lowered,
        softened,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neg(s: &str, word: &str) -> bool {
        let at = s.find(word).unwrap();
        negated(&s[..at], &s[at + word.len()..])
    }

    #[test]
    fn negation_cues() {
        assert!(neg("No degree required", "degree"));
        assert!(neg("A police check is not required", "police check"));
        assert!(neg("We do not require a degree", "degree"));
        assert!(neg("Degree: not required", "Degree"));
        assert!(neg("You will never be asked to clean", "clean"));
        assert!(neg("Applicants without a degree are welcome", "degree"));
        assert!(neg("regardless of criminal record", "criminal record"));
        assert!(neg("A degree is optional", "degree"));
        assert!(neg(
            "You will not be asked to monitor medications, do drug screens, search belongings or take part in restraints",
            "restraints"
        ));
        assert!(neg(
            "We will not ask about your criminal record or conduct a police check",
            "police check"
        ));
        assert!(!neg(
            "Candidates without a current police check will be required to obtain one",
            "police check"
        ));
        assert!(!neg(
            "You will not only run groups but also drive clients",
            "drive clients"
        ));
        assert!(!neg(
            "Police check dated no later than 6 months",
            "Police check"
        ));
        assert!(!neg("Bachelor's degree required", "degree"));
        assert!(!neg(
            "Criminal record check, not older than 6 months",
            "Criminal record check"
        ));
    }

    fn someone_else_any(before: &str) -> bool {
        someone_else(before, Cues::of(before))
    }

    #[test]
    fn subjects() {
        assert!(someone_else_any("Our nurses "));
        assert!(someone_else_any("Our team of nurses provides "));
        assert!(!someone_else_any("You will work alongside nurses to "));
        assert!(!someone_else_any(
            "The Peer Support Worker will assist nurses with "
        ));
        assert!(!someone_else_any("Peer workers and nurses "));
        assert!(!someone_else_any(""));
        assert!(!someone_else_any("All staff must complete a "));
        assert!(!someone_else_any(
            "All staff and volunteers are required to provide a "
        ));
        assert!(!someone_else_any("Team members must be "));
        assert!(!someone_else_any(
            "Reinforce the team's recommendations and support "
        ));
        assert!(!someone_else_any(
            "Participate in treatment team meetings and contribute to "
        ));
    }

    #[test]
    fn strength() {
        let s = "A degree in social work is required, experience an asset";
        let m = 2..8;
        assert_eq!(nearest_strength(s, &m, Cues::ALL), Some(Strength::Required));
        let s = "Degree preferred";
        assert_eq!(
            nearest_strength(s, &(0..6), Cues::ALL),
            Some(Strength::Preferred)
        );
        assert_eq!(
            nearest_strength("Degree in social work", &(0..6), Cues::ALL),
            None
        );
    }

    #[test]
    fn clauses() {
        let s = "No degree needed; a police check is required";
        let at = s.find("police").unwrap();
        let c = clause(s, &(at..at + 12), Cues::of(s));
        assert_eq!(&s[c], " a police check is required");
    }
}
