//! `--report FILE.html`: one self-contained HTML page summarising an audit,
//! for people who will not read CSV: summary figures, bar charts (inline
//! SVG) of the share of postings per category and per employer, tables per
//! meta field, the most frequent flagged phrases, and every posting's
//! findings with their citations.
//!
//! The page loads nothing: no scripts, fonts, images or style sheets from
//! anywhere, and its Content-Security-Policy forbids them. Listings are
//! untrusted input: every piece of their text (paths, ids, meta values,
//! matched phrases, error messages) goes through [`escape_html`].
//!
//! A posting *has drift* in a category when it has an error or a warning in
//! it; info-level hints are listed with the posting but not counted.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::{FileReport, Reporter, Summary};
use crate::rules::CATEGORIES;
use crate::{Finding, Severity};

/// Escapes text for HTML element content and quoted attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// At most `max` characters of `s`, with an ellipsis when cut.
fn truncate(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// A category's name for people.
fn category_label(cat: &str) -> &str {
    match cat {
        "credential" => "Credentials",
        "police-check" => "Police and background checks",
        "abstinence" => "Abstinence and drug testing",
        "clinician-supervision" => "Reporting to clinicians",
        "clinical-duty" => "Clinical duties",
        "menial-duty" => "Menial duties",
        "lived-experience-missing" => "Lived experience not asked for",
        "deficit-language" => "Deficit language",
        "peer-certification" => "Peer certification required",
        other => other,
    }
}

/// Meta field names taken as the employer, for the employer chart.
const EMPLOYER_FIELDS: [&str; 6] = [
    "employer",
    "company",
    "organization",
    "organisation",
    "hiring_organization",
    "employer_name",
];

struct Posting {
    path: String,
    meta: Vec<(String, String)>,
    error: Option<String>,
    findings: Vec<Finding>,
}

impl Posting {
    fn is_drift(f: &Finding) -> bool {
        f.severity >= Severity::Warning
    }

    fn drift_categories(&self) -> BTreeSet<&str> {
        self.findings
            .iter()
            .filter(|f| Posting::is_drift(f))
            .map(|f| f.category.as_str())
            .collect()
    }

    fn meta(&self, field: &str) -> &str {
        self.meta
            .iter()
            .find(|(k, _)| k == field)
            .map_or("", |(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Phrase {
    findings: usize,
    postings: usize,
    categories: BTreeMap<String, usize>,
}

/// Collects every posting, then writes the page at the end of the run.
pub struct HtmlReport {
    file: Option<(PathBuf, io::BufWriter<File>)>,
    postings: Vec<Posting>,
    phrases: HashMap<String, Phrase>,
    meta_fields: Vec<String>,
    /// When the page says it was made (UTC).
    pub generated: String,
}

impl Default for HtmlReport {
    fn default() -> Self {
        HtmlReport::new()
    }
}

impl HtmlReport {
    /// A report kept in memory: see [`HtmlReport::render`].
    pub fn new() -> HtmlReport {
        HtmlReport {
            file: None,
            postings: Vec::new(),
            phrases: HashMap::new(),
            meta_fields: Vec::new(),
            generated: today(),
        }
    }

    /// A report written to `path` when the run finishes. The file is created
    /// now, so an unwritable path fails before a long run, not after.
    pub fn create(path: &Path) -> io::Result<HtmlReport> {
        let f = File::create(path).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "cannot write the report {}: {}",
                    crate::source::display_path(path),
                    crate::source::io_reason(&e)
                ),
            )
        })?;
        Ok(HtmlReport {
            file: Some((path.to_path_buf(), io::BufWriter::new(f))),
            ..HtmlReport::new()
        })
    }

    fn add(&mut self, r: &FileReport) {
        for (k, _) in &r.meta {
            if !self.meta_fields.contains(k) {
                self.meta_fields.push(k.clone());
            }
        }
        let mut seen = BTreeSet::new();
        for f in r.findings.iter().filter(|f| Posting::is_drift(f)) {
            let key = normalise_phrase(&f.matched);
            if key.is_empty() {
                continue;
            }
            let p = self.phrases.entry(key.clone()).or_default();
            p.findings += 1;
            *p.categories.entry(f.category.clone()).or_default() += 1;
            if seen.insert(key) {
                p.postings += 1;
            }
        }
        self.postings.push(Posting {
            path: r.path.clone(),
            meta: r.meta.clone(),
            error: r.error.clone(),
            findings: r.findings.clone(),
        });
    }

    /// The whole page.
    pub fn render(&self, summary: &Summary) -> String {
        let mut h = String::with_capacity(64 * 1024);
        let read: Vec<&Posting> = self.postings.iter().filter(|p| p.error.is_none()).collect();
        let with_drift = read
            .iter()
            .filter(|p| !p.drift_categories().is_empty())
            .count();
        let _ = write!(
            h,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
             <title>Peer support job postings: drift audit</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        );
        let _ = writeln!(
            h,
            "<header><p class=\"kicker\">driftlint audit report</p>\
             <h1>Drift from peer support values in job postings</h1>\
             <p class=\"sub\">{} postings read · generated {} · driftlint {}</p></header>",
            summary.files,
            escape_html(&self.generated),
            env!("CARGO_PKG_VERSION"),
        );

        // Summary figures.
        let pct = |n: usize, d: usize| {
            if d == 0 {
                0.0
            } else {
                100.0 * n as f64 / d as f64
            }
        };
        let _ = writeln!(
            h,
            "<section class=\"cards\">\
             <div class=\"card\"><div class=\"big\">{}</div><div>postings read</div></div>\
             <div class=\"card accent\"><div class=\"big\">{:.0}%</div><div>{} postings with drift</div></div>\
             <div class=\"card\"><div class=\"big\">{}</div><div>findings: {} errors, {} warnings, {} info</div></div>\
             <div class=\"card\"><div class=\"big\">{}</div><div>could not be read</div></div>\
             </section>",
            read.len(),
            pct(with_drift, read.len()),
            with_drift,
            summary.findings,
            summary.error,
            summary.warning,
            summary.info,
            summary.unreadable,
        );

        // Share of postings per category.
        let rows: Vec<Bar> = CATEGORIES
            .iter()
            .map(|cat| {
                let n = read
                    .iter()
                    .filter(|p| p.drift_categories().contains(cat))
                    .count();
                Bar {
                    label: category_label(cat).to_string(),
                    title: (*cat).to_string(),
                    share: pct(n, read.len()) / 100.0,
                    value: format!("{:.0}% ({n})", pct(n, read.len())),
                }
            })
            .collect();
        let _ = writeln!(
            h,
            "<section><h2>Share of postings per category</h2>\
             <p class=\"note\">Postings with at least one error or warning in the category, out of {} postings read.</p>{}</section>",
            read.len(),
            bar_chart(&rows, "Share of postings per category")
        );

        // Per employer chart, then a table per meta field.
        let employer = self
            .meta_fields
            .iter()
            .find(|f| EMPLOYER_FIELDS.contains(&f.to_ascii_lowercase().as_str()));
        if let Some(field) = employer {
            let groups = group_by(&read, field);
            let top: Vec<Bar> = groups
                .iter()
                .take(20)
                .map(|g| Bar {
                    label: shown_value(&g.value),
                    title: g.value.clone(),
                    share: pct(g.with_drift, g.postings) / 100.0,
                    value: format!("{:.0}% of {}", pct(g.with_drift, g.postings), g.postings),
                })
                .collect();
            let more = if groups.len() > 20 {
                format!(
                    " The 20 with the most postings of {} are shown.",
                    groups.len()
                )
            } else {
                String::new()
            };
            let _ = writeln!(
                h,
                "<section><h2>Share of each employer&#39;s postings with drift</h2>\
                 <p class=\"note\">By the <code>{}</code> field.{more}</p>{}</section>",
                escape_html(field),
                bar_chart(&top, "Share of each employer's postings with drift")
            );
        }
        for field in &self.meta_fields {
            self.meta_table(&mut h, &read, field);
        }

        self.phrase_table(&mut h);
        self.postings_table(&mut h);
        self.details(&mut h);

        let _ = write!(
            h,
            "<footer><h2>How to read this report</h2>\
             <p>Each posting was read by driftlint, which flags requirements and duties that pull a peer support role away from its values \
             (degrees and professional registration, police checks, abstinence, reporting to clinicians, clinical and menial duties, deficit language) \
             and says how firmly the posting asks for them. An <b>error</b> is a hard requirement or an assigned duty; a <b>warning</b> is the same asked as a preference, or softer drift; \
             <b>info</b> is a hint and is not counted as drift here. Automated reading makes mistakes in both directions: check the quoted wording before citing a single posting.</p>\
             <p>Citations refer to PeerWorks (2024), <i>Drift from Peer Support Values and Standards: A Position Statement and Call for Action</i>, \
             Lee de Bie and Emily Michetti-Wilson, http://hdl.handle.net/11375/32586.</p></footer>\n\
             </main>\n</body>\n</html>\n"
        );
        h
    }

    fn meta_table(&self, h: &mut String, read: &[&Posting], field: &str) {
        const SHOWN: usize = 50;
        let groups = group_by(read, field);
        let _ = write!(
            h,
            "<section><h2>By {}</h2><table><thead><tr><th>{}</th><th class=\"num\">postings</th>\
             <th class=\"num\">with drift</th><th class=\"num\">share</th><th>most frequent categories</th></tr></thead><tbody>",
            escape_html(field),
            escape_html(field)
        );
        for g in groups.iter().take(SHOWN) {
            let mut cats: Vec<_> = g.categories.iter().collect();
            cats.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let cats: Vec<String> = cats
                .iter()
                .take(3)
                .map(|(c, n)| format!("{} ({n})", escape_html(category_label(c))))
                .collect();
            let share = if g.postings == 0 {
                0.0
            } else {
                100.0 * g.with_drift as f64 / g.postings as f64
            };
            let _ = write!(
                h,
                "<tr><td class=\"text\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{share:.0}%</td><td>{}</td></tr>",
                escape_html(&truncate(&shown_value(&g.value), 120)),
                g.postings,
                g.with_drift,
                cats.join(", ")
            );
        }
        h.push_str("</tbody></table>");
        if groups.len() > SHOWN {
            let _ = write!(
                h,
                "<p class=\"note\">… and {} more values, in the CSV and statistics output.</p>",
                groups.len() - SHOWN
            );
        }
        h.push_str("</section>\n");
    }

    fn phrase_table(&self, h: &mut String) {
        let mut phrases: Vec<_> = self.phrases.iter().collect();
        phrases.sort_by(|a, b| b.1.findings.cmp(&a.1.findings).then(a.0.cmp(b.0)));
        h.push_str(
            "<section><h2>Most frequent flagged phrases</h2>\
             <p class=\"note\">Wording flagged as an error or warning, lower-cased with spacing and quotes normalised; top 20.</p>",
        );
        if phrases.is_empty() {
            h.push_str("<p>No phrase was flagged.</p></section>\n");
            return;
        }
        h.push_str(
            "<table><thead><tr><th>phrase</th><th class=\"num\">times</th><th class=\"num\">postings</th><th>category</th></tr></thead><tbody>",
        );
        for (phrase, p) in phrases.iter().take(20) {
            let cat = p
                .categories
                .iter()
                .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
                .map_or("", |(c, _)| category_label(c));
            let _ = write!(
                h,
                "<tr><td class=\"text\"><q>{}</q></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                escape_html(&truncate(phrase, 160)),
                p.findings,
                p.postings,
                escape_html(cat)
            );
        }
        h.push_str("</tbody></table></section>\n");
    }

    fn postings_table(&self, h: &mut String) {
        let prefix = common_folder(self.postings.iter().map(|p| p.path.as_str()));
        h.push_str("<section id=\"postings\"><h2>Postings</h2>");
        if !prefix.is_empty() {
            let _ = write!(
                h,
                "<p class=\"note\">All in <code>{}</code>.</p>",
                escape_html(&truncate(prefix, 200))
            );
        }
        h.push_str("<table><thead><tr><th class=\"num\">#</th><th>posting</th>");
        for f in &self.meta_fields {
            let _ = write!(h, "<th>{}</th>", escape_html(f));
        }
        h.push_str(
            "<th class=\"num\">errors</th><th class=\"num\">warnings</th><th class=\"num\">info</th><th>drift in</th></tr></thead><tbody>",
        );
        for (i, p) in self.postings.iter().enumerate() {
            // Lines may break before a record's id rather than inside it.
            let name = truncate(&p.path[prefix.len()..], 120)
                .split('#')
                .map(escape_html)
                .collect::<Vec<_>>()
                .join("<wbr>#");
            let link = if p.findings.is_empty() && p.error.is_none() {
                name
            } else {
                format!("<a href=\"#p-{}\">{name}</a>", i + 1)
            };
            let _ = write!(
                h,
                "<tr><td class=\"num\">{}</td><td class=\"text path\">{link}</td>",
                i + 1
            );
            for f in &self.meta_fields {
                let _ = write!(
                    h,
                    "<td class=\"text\">{}</td>",
                    escape_html(&truncate(p.meta(f), 80))
                );
            }
            let count = |s: Severity| p.findings.iter().filter(|f| f.severity == s).count();
            let drift = match &p.error {
                Some(_) => "<span class=\"err\">could not be read</span>".to_string(),
                None => p
                    .drift_categories()
                    .iter()
                    .map(|c| escape_html(category_label(c)))
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let _ = write!(
                h,
                "<td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{drift}</td></tr>",
                count(Severity::Error),
                count(Severity::Warning),
                count(Severity::Info)
            );
        }
        h.push_str("</tbody></table></section>\n");
    }

    fn details(&self, h: &mut String) {
        h.push_str("<section><h2>Findings by posting</h2>");
        for (i, p) in self.postings.iter().enumerate() {
            if p.findings.is_empty() && p.error.is_none() {
                continue;
            }
            let _ = write!(
                h,
                "<article class=\"posting\" id=\"p-{}\"><h3><span class=\"n\">{}</span> {}</h3>",
                i + 1,
                i + 1,
                escape_html(&truncate(&p.path, 200))
            );
            if !p.meta.is_empty() {
                let meta: Vec<String> = p
                    .meta
                    .iter()
                    .map(|(k, v)| {
                        format!(
                            "{}: <b>{}</b>",
                            escape_html(k),
                            escape_html(&truncate(&shown_value(v), 120))
                        )
                    })
                    .collect();
                let _ = write!(h, "<p class=\"meta\">{}</p>", meta.join(" · "));
            }
            if let Some(e) = &p.error {
                let _ = write!(
                    h,
                    "<p class=\"err\">Could not be read: {}</p>",
                    escape_html(&truncate(e, 500))
                );
            }
            if !p.findings.is_empty() {
                h.push_str("<ol class=\"findings\">");
                for f in &p.findings {
                    finding(h, f);
                }
                h.push_str("</ol>");
            }
            h.push_str(
                "<p class=\"back\"><a href=\"#postings\">back to the postings</a></p></article>\n",
            );
        }
        h.push_str("</section>\n");
    }
}

fn finding(h: &mut String, f: &Finding) {
    let sev = f.severity.as_str();
    let element = f
        .element
        .as_deref()
        .map(|e| {
            format!(
                " · <code class=\"el\">{}</code>",
                escape_html(&truncate(e, 200))
            )
        })
        .unwrap_or_default();
    let strength = f.strength.as_str();
    let _ = write!(
        h,
        "<li class=\"{sev}\"><div class=\"fh\"><span class=\"badge {sev}\">{sev}</span> \
         <b>{}</b> {} · {} · {} · line {}:{}{element}</div>\
         <blockquote>{}</blockquote><p>{}</p><p class=\"help\">Instead: {}</p>",
        escape_html(&f.rule),
        escape_html(&f.name),
        escape_html(category_label(&f.category)),
        escape_html(strength),
        f.line,
        f.column,
        escape_html(&truncate(&f.matched, 300)),
        escape_html(&f.message),
        escape_html(&f.suggestion),
    );
    if !f.citations.is_empty() {
        h.push_str("<ul class=\"cites\">");
        for c in f.citations.iter() {
            let _ = write!(h, "<li>{}</li>", escape_html(&c.display()));
        }
        h.push_str("</ul>");
    }
    h.push_str("</li>");
}

/// The folder (ending in `/`) that every path is in, or "".
fn common_folder<'a>(mut paths: impl Iterator<Item = &'a str>) -> &'a str {
    let Some(first) = paths.next() else {
        return "";
    };
    let mut len = first.rfind('/').map_or(0, |i| i + 1);
    for p in paths {
        while len > 0 && !p.starts_with(&first[..len]) {
            len = first[..len - 1].rfind('/').map_or(0, |i| i + 1);
        }
    }
    &first[..len]
}

/// An empty meta value, shown.
fn shown_value(v: &str) -> String {
    if v.is_empty() {
        "(not given)".to_string()
    } else {
        v.to_string()
    }
}

/// Matched text as a phrase key: lower case, one space between words,
/// straight quotes and hyphens, no punctuation at the ends.
fn normalise_phrase(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        })
        .collect::<String>()
        .to_lowercase();
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    s.trim_matches(|c: char| !c.is_alphanumeric()).to_string()
}

struct Group {
    value: String,
    postings: usize,
    with_drift: usize,
    categories: BTreeMap<String, usize>,
}

/// Postings grouped by a meta field's value, the most postings first.
fn group_by(read: &[&Posting], field: &str) -> Vec<Group> {
    let mut groups: BTreeMap<&str, Group> = BTreeMap::new();
    for p in read {
        let v = p.meta(field);
        let g = groups.entry(v).or_insert_with(|| Group {
            value: v.to_string(),
            postings: 0,
            with_drift: 0,
            categories: BTreeMap::new(),
        });
        g.postings += 1;
        let cats = p.drift_categories();
        g.with_drift += usize::from(!cats.is_empty());
        for c in cats {
            *g.categories.entry(c.to_string()).or_default() += 1;
        }
    }
    let mut v: Vec<Group> = groups.into_values().collect();
    v.sort_by(|a, b| b.postings.cmp(&a.postings).then(a.value.cmp(&b.value)));
    v
}

struct Bar {
    label: String,
    /// Shown on hover.
    title: String,
    /// 0.0 to 1.0.
    share: f64,
    value: String,
}

/// A horizontal bar chart as inline SVG.
fn bar_chart(rows: &[Bar], title: &str) -> String {
    const WIDTH: f64 = 880.0;
    const LABEL: f64 = 270.0;
    const BAR: f64 = 470.0;
    const ROW: f64 = 30.0;
    let height = ROW * rows.len() as f64 + 34.0;
    let mut s = String::new();
    let _ = write!(
        s,
        "<svg class=\"chart\" viewBox=\"0 0 {WIDTH} {height}\" width=\"100%\" role=\"img\" aria-label=\"{}\" xmlns=\"http://www.w3.org/2000/svg\">",
        escape_html(title)
    );
    for tick in [0, 25, 50, 75, 100] {
        let x = LABEL + BAR * f64::from(tick) / 100.0;
        let _ = write!(
            s,
            "<line x1=\"{x}\" y1=\"4\" x2=\"{x}\" y2=\"{}\" class=\"grid\"/><text x=\"{x}\" y=\"{}\" class=\"tick\" text-anchor=\"middle\">{tick}%</text>",
            height - 24.0,
            height - 8.0
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = 6.0 + ROW * i as f64;
        let w = (BAR * r.share.clamp(0.0, 1.0)).max(if r.share > 0.0 { 2.0 } else { 0.0 });
        let _ = write!(
            s,
            "<g><title>{}: {}</title>\
             <text x=\"{}\" y=\"{}\" class=\"label\" text-anchor=\"end\">{}</text>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{BAR}\" height=\"20\" class=\"track\"/>\
             <rect x=\"{LABEL}\" y=\"{y}\" width=\"{w:.1}\" height=\"20\" class=\"bar\"/>\
             <text x=\"{}\" y=\"{}\" class=\"value\">{}</text></g>",
            escape_html(&truncate(&r.title, 200)),
            escape_html(&r.value),
            LABEL - 10.0,
            y + 15.0,
            escape_html(&truncate(&r.label, 38)),
            LABEL + BAR + 8.0,
            y + 15.0,
            escape_html(&r.value),
        );
    }
    s.push_str("</svg>");
    s
}

/// Today's date (UTC) as YYYY-MM-DD.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

impl Reporter for HtmlReport {
    fn file(&mut self, _out: &mut dyn Write, r: &FileReport) -> io::Result<()> {
        self.add(r);
        Ok(())
    }

    fn finish(&mut self, _out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let page = self.render(summary);
        if let Some((path, mut f)) = self.file.take() {
            f.write_all(page.as_bytes())
                .and_then(|()| f.flush())
                .map_err(|e| {
                    io::Error::new(
                        e.kind(),
                        format!(
                            "cannot write the report {}: {}",
                            crate::source::display_path(&path),
                            crate::source::io_reason(&e)
                        ),
                    )
                })?;
        }
        Ok(())
    }
}

const CSS: &str = r#"
:root{--ink:#1d2b36;--muted:#5b6b78;--line:#d9e1e7;--bar:#2f6f8f;--track:#edf2f5;--err:#b3261e;--warn:#9a6700;--info:#3b6ea5;--bg:#fbfcfd}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1040px;margin:0 auto;padding:32px 28px 64px}
header{border-bottom:3px solid var(--bar);padding-bottom:14px;margin-bottom:22px}
.kicker{margin:0;text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:var(--muted)}
h1{font-size:28px;line-height:1.2;margin:4px 0 6px}
h2{font-size:20px;margin:34px 0 8px}
h3{font-size:16px;margin:0 0 6px;overflow-wrap:anywhere}
.sub,.note{color:var(--muted);margin:4px 0 10px}
.cards{display:grid;grid-template-columns:repeat(4,1fr);gap:14px}
.card{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px}
.card .big{font-size:30px;font-weight:700;line-height:1.1}
.card.accent{border-top:4px solid var(--err)}
.chart{display:block;width:100%;background:#fff;border:1px solid var(--line);border-radius:8px;padding:6px 0}
.chart .label{font-size:13px;fill:var(--ink)}
.chart .value{font-size:12px;fill:var(--muted)}
.chart .tick{font-size:11px;fill:var(--muted)}
.chart .grid{stroke:var(--line);stroke-width:1}
.chart .track{fill:var(--track)}
.chart .bar{fill:var(--bar)}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);font-size:14px}
th,td{padding:6px 10px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#f1f5f8;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.text{overflow-wrap:anywhere;max-width:380px;min-width:110px}
td.path{min-width:170px}
a{color:#1f5f99}
.posting{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 18px;margin:14px 0}
.posting .n{color:var(--muted);font-weight:400}
.meta{color:var(--muted);margin:0 0 8px;overflow-wrap:anywhere}
.findings{padding-left:20px;margin:6px 0}
.findings>li{margin:0 0 14px;padding-left:4px}
.fh{font-size:13px;color:var(--muted);overflow-wrap:anywhere}
.fh b{color:var(--ink)}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:12px;font-weight:600;color:#fff}
.badge.error{background:var(--err)}.badge.warning{background:var(--warn)}.badge.info{background:var(--info)}
blockquote{margin:6px 0;padding:4px 12px;border-left:4px solid var(--line);background:#f7f9fa;overflow-wrap:anywhere;font-style:italic}
.findings p{margin:4px 0}
.help{color:#2d5a27}
.cites{margin:4px 0;padding-left:18px;font-size:13px;color:var(--muted)}
.err{color:var(--err);overflow-wrap:anywhere}
.back{margin:4px 0 0;font-size:13px}
code{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
footer{margin-top:40px;border-top:1px solid var(--line);color:var(--muted);font-size:14px}
footer h2{color:var(--ink)}
@media (max-width:760px){.cards{grid-template-columns:repeat(2,1fr)}}
@media print{body{background:#fff}.posting,.card,table,.chart{break-inside:avoid}}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_quotes_and_ampersands() {
        assert_eq!(
            escape_html(r#"<script>alert("x")</script> & 'y'"#),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        assert_eq!(
            escape_html(r#"" onmouseover="alert(1)"#),
            "&quot; onmouseover=&quot;alert(1)"
        );
        assert_eq!(escape_html("&amp;"), "&amp;amp;");
        let long = "<".repeat(100_000);
        assert_eq!(escape_html(&long).len(), 400_000);
    }

    #[test]
    fn truncates_on_character_boundaries() {
        assert_eq!(truncate("ééé", 2), "éé…");
        assert_eq!(truncate("ab", 2), "ab");
    }

    #[test]
    fn phrases_are_normalised() {
        assert_eq!(
            normalise_phrase("  Police\n  Check\u{2019}s. "),
            "police check's"
        );
    }

    #[test]
    fn common_folders() {
        let paths = ["a/b/x.jsonl#1", "a/b/y.html", "a/bc.md"];
        assert_eq!(common_folder(paths.iter().copied()), "a/");
        assert_eq!(common_folder(["a/b/x", "a/b/y"].into_iter()), "a/b/");
        assert_eq!(common_folder(["x", "a/y"].into_iter()), "");
    }

    #[test]
    fn dates_are_civil() {
        let d = today();
        assert_eq!(d.len(), 10);
        assert!(d.starts_with("20"));
    }
}
