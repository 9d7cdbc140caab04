//! Writes a deterministic corpus of synthetic peer support postings for
//! benchmarks: `cargo run --release --example gen_corpus -- N OUT_DIR`.
//!
//! Each posting (about 2.5 KB) is assembled from varied parts: a title, an
//! introduction, duties, qualifications, conditions, reporting line, about
//! us, benefits and how to apply, some drifted and some values-aligned, in
//! Markdown or plain text. The same N always gives the same files.

use std::fs;
use std::io::Write;
use std::path::Path;

/// A small xorshift generator: deterministic without a crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

const TITLES: &[&str] = &[
    "Peer Support Worker",
    "Peer Support Specialist",
    "Peer Recovery Coach",
    "Peer Navigator - Housing",
    "Youth Peer Mentor",
    "Lived Experience Peer Worker",
    "Certified Peer Specialist",
];

const EMPLOYERS: &[&str] = &[
    "Riverside Community Health Centre",
    "Northgate General Hospital",
    "Harbour Peer Network",
    "Eastside Harm Reduction Society",
    "Maple Street Recovery House",
    "County Behavioral Health Services",
    "Coastal Mental Health Trust",
];

const INTROS: &[&str] = &[
    "We are looking for a warm, grounded person who draws on their own experience of mental health or substance use challenges to walk alongside people as an equal.",
    "Join a peer-run team that believes recovery looks different for everyone and that people are the experts in their own lives.",
    "The successful candidate will join our interdisciplinary inpatient team and support patients through admission, treatment and discharge.",
    "This is a full-time, permanent position with a unionized pay scale, based at our downtown drop-in and in the community.",
    "Our outreach program connects people who are unhoused with housing, income support and community, on their own terms.",
];

const DUTIES_DRIFT: &[&str] = &[
    "Monitor medication adherence and report non-compliance to the charge nurse",
    "Conduct urine drug screens and document results in the electronic health record",
    "Complete suicide risk assessments at intake",
    "Search client belongings for contraband on admission",
    "Assist nursing staff with restraint and seclusion when required",
    "Drive clients to medical appointments in the agency van",
    "Clean the kitchen and common areas at the end of each shift",
    "Answer phones and cover the front desk during staff breaks",
    "Maintain a caseload of 20 clients and develop treatment plans",
    "Prepare and serve lunch for program participants",
];

const DUTIES_CLEAN: &[&str] = &[
    "Build trusting, mutual relationships with people using our services",
    "Share your own story of recovery when it may help someone",
    "Co-facilitate peer support groups and wellness workshops",
    "Accompany people to appointments when they ask",
    "Support people to set and work toward their own goals",
    "Connect people with community resources, housing and income supports",
    "Offer phone and text check-ins on our warmline",
    "Bring a peer perspective to team meetings and advocate for people's choices",
    "Help people prepare questions for their doctor if they want to",
    "Take part in regular peer supervision and reflective practice",
];

const QUALS_DRIFT: &[&str] = &[
    "Bachelor's degree in Social Work or Psychology required",
    "Registration in good standing with the College of Nurses",
    "Minimum two years of continuous sobriety",
    "Diploma in Social Service Work or equivalent",
    "Certified Peer Specialist (CPS) credential required",
    "High school diploma or GED required",
    "A university degree is considered an asset",
    "Valid driver's licence and access to a reliable vehicle",
];

const QUALS_CLEAN: &[&str] = &[
    "Lived experience of mental health or substance use challenges, and willingness to share it",
    "Completion of peer support training, or willingness to complete it after hire (we pay)",
    "No degree or diploma is required",
    "Knowledge of harm reduction and trauma-informed approaches",
    "Lived experience of homelessness, poverty or the justice system is an asset",
    "Ability to keep brief notes with the person's consent",
];

const CONDITIONS_DRIFT: &[&str] = &[
    "Offer of employment is conditional upon a satisfactory Criminal Record Check with Vulnerable Sector Screening.",
    "Successful candidates must pass a pre-employment drug screen and a background check.",
    "An enhanced DBS check is required for this post.",
];

const CONDITIONS_CLEAN: &[&str] = &[
    "A police check is not required for this role.",
    "We do not ask about your substance use or require abstinence.",
    "Having a criminal record does not disqualify you.",
];

const REPORTING: &[&str] = &[
    "Reports to: Clinical Manager, Mental Health Services",
    "Reports to: Peer Support Coordinator",
    "The Peer Support Worker works under the direction of the Nurse Manager.",
    "You will receive weekly supervision from an experienced peer supervisor with lived experience.",
];

const ABOUT: &[&str] = &[
    "Our team includes nurses, social workers, a psychiatrist and two peer support workers. Our nurses provide medication management.",
    "We are a peer-run organization governed by people with lived experience, serving the region since 1987.",
    "Founded by people who use drugs, we run an overdose prevention site, drug checking and a drop-in.",
];

const BENEFITS: &[&str] = &[
    "Competitive salary, extended health and dental benefits, and tuition support toward a college diploma or degree.",
    "Paid peer supervision, a professional development fund, and three weeks of vacation.",
    "Hourly rate $24.50-$27.00, pension plan, and free parking.",
];

fn posting(rng: &mut Rng, markdown: bool) -> String {
    let drift = rng.next() % 3; // 0 clean, 1 mixed, 2 drifted
    let mut out = String::with_capacity(4096);
    let title = rng.pick(TITLES);
    let employer = rng.pick(EMPLOYERS);
    let heading = |out: &mut String, h: &str| {
        if markdown {
            out.push_str(&format!("\n## {h}\n\n"));
        } else {
            out.push_str(&format!("\n{}\n", h.to_uppercase()));
        }
    };
    let bullet = if markdown { "- " } else { "\u{2022} " };
    if markdown {
        out.push_str(&format!(
            "# {title}\n\n**{employer}** | Full-time | Permanent\n"
        ));
    } else {
        out.push_str(&format!(
            "{}\n{employer} - Full-time - Permanent\n",
            title.to_uppercase()
        ));
    }
    heading(&mut out, "Position Summary");
    for _ in 0..3 {
        out.push_str(rng.pick(INTROS));
        out.push(' ');
    }
    out.push('\n');
    heading(&mut out, "Key Responsibilities");
    for _ in 0..10 {
        let line = if drift > 0 && rng.chance(25 * drift) {
            rng.pick(DUTIES_DRIFT)
        } else {
            rng.pick(DUTIES_CLEAN)
        };
        out.push_str(&format!("{bullet}{line}\n"));
    }
    heading(&mut out, "Qualifications");
    for _ in 0..8 {
        let line = if drift > 0 && rng.chance(20 * drift) {
            rng.pick(QUALS_DRIFT)
        } else {
            rng.pick(QUALS_CLEAN)
        };
        out.push_str(&format!("{bullet}{line}\n"));
    }
    heading(&mut out, "Conditions of Employment");
    out.push_str(if drift == 2 {
        rng.pick(CONDITIONS_DRIFT)
    } else {
        rng.pick(CONDITIONS_CLEAN)
    });
    out.push('\n');
    heading(&mut out, "Reporting Relationship");
    out.push_str(rng.pick(REPORTING));
    out.push('\n');
    heading(&mut out, "About Us");
    out.push_str(rng.pick(ABOUT));
    out.push_str(" We welcome applications from Indigenous, Black and racialized people, people with disabilities, and 2SLGBTQIA+ people, and we provide accommodation at every stage of hiring on request.\n");
    heading(&mut out, "What We Offer");
    out.push_str(rng.pick(BENEFITS));
    out.push('\n');
    heading(&mut out, "How to Apply");
    out.push_str("Send a resume and a short letter about what draws you to peer support. Applications are reviewed as they arrive; we thank all applicants and will contact those selected for an interview.\n");
    out
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(1000);
    let dir = Path::new(args.get(2).map_or("target/corpus", String::as_str)).to_path_buf();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut bytes = 0usize;
    for i in 0..n {
        let markdown = i % 3 != 2;
        let text = posting(&mut rng, markdown);
        bytes += text.len();
        let sub = dir.join(format!("{:04}", i / 1000));
        if i % 1000 == 0 {
            fs::create_dir_all(&sub)?;
        }
        let name = format!("posting-{i:06}.{}", if markdown { "md" } else { "txt" });
        fs::File::create(sub.join(name))?.write_all(text.as_bytes())?;
    }
    eprintln!(
        "wrote {n} postings, {:.1} MB, to {}",
        bytes as f64 / 1e6,
        dir.display()
    );
    Ok(())
}
