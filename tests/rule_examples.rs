//! Every rule's `fire` examples must make it fire and its `pass` examples
//! must not. Failures name the rule, the file and the example.

use driftlint::document::Format;
use driftlint::{Linter, RuleSet};

#[test]
fn every_rule_has_examples_that_hold() {
    let all = RuleSet::builtin().expect("built-in rules load");
    let mut failures = Vec::new();
    for rule in all.rules() {
        let only = all
            .filtered(std::slice::from_ref(&rule.id), &[])
            .expect("rule selects itself");
        let linter = Linter::new(only);
        if rule.examples.fire.len() < 2 || rule.examples.pass.len() < 2 {
            failures.push(format!(
                "{} ({}): needs at least two fire and two pass examples",
                rule.id, rule.origin
            ));
        }
        for ex in &rule.examples.fire {
            let found = linter.check(ex, Format::Markdown);
            if !found
                .iter()
                .any(|f| f.rule == rule.id && f.severity >= driftlint::Severity::Info)
            {
                failures.push(format!(
                    "{} ({}): should fire on {:?}",
                    rule.id, rule.origin, ex
                ));
            }
        }
        for ex in &rule.examples.pass {
            let found = linter.check(ex, Format::Markdown);
            if let Some(f) = found.iter().find(|f| f.rule == rule.id) {
                failures.push(format!(
                    "{} ({}): should not fire on {:?} (fired on {:?} as {})",
                    rule.id, rule.origin, ex, f.matched, f.severity
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} example failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_category_has_rules() {
    let all = RuleSet::builtin().expect("built-in rules load");
    for cat in driftlint::rules::CATEGORIES {
        assert!(
            all.rules().iter().any(|r| r.category == cat),
            "no rule in category {cat}"
        );
    }
}
