//! Results: one line per case, the closing count, and a JUnit XML report for CI systems.

use std::fmt::Write as _;
use std::time::Duration;

use crate::context::Teardown;
use crate::verdict::Failure;
use crate::Feature;

/// The result of one test case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseResult {
    /// The feature (the official suite's feature file).
    pub feature: Feature,
    /// The scenario's name.
    pub scenario: String,
    /// The outline row, for a scenario outline.
    pub row: Option<String>,
    /// Why it failed, if it did.
    pub failure: Option<Failure>,
    /// How long it took.
    pub duration: Duration,
}

/// `Feature scenario [row]`.
pub(crate) fn case_name(feature: Feature, scenario: &str, row: Option<&str>) -> String {
    match row {
        Some(row) => format!("{} {scenario} [{row}]", feature.name()),
        None => format!("{} {scenario}", feature.name()),
    }
}

impl CaseResult {
    /// Whether the case passed.
    pub fn passed(&self) -> bool {
        self.failure.is_none()
    }

    /// `Feature scenario [row]`.
    pub fn name(&self) -> String {
        case_name(self.feature, &self.scenario, self.row.as_deref())
    }

    /// `PASS <Feature> <scenario> [row]`, or `FAIL … : <reason>`.
    pub fn line(&self) -> String {
        match &self.failure {
            None => format!("PASS {}", self.name()),
            Some(failure) => format!("FAIL {}: {failure}", self.name()),
        }
    }
}

/// The results of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Every case, in definition order.
    pub results: Vec<CaseResult>,
    /// What the teardown cancelled.
    pub teardown: Teardown,
}

impl Report {
    /// How many cases passed.
    pub fn passed(&self) -> usize {
        self.results.iter().filter(|r| r.passed()).count()
    }

    /// How many cases failed.
    pub fn failed(&self) -> usize {
        self.results.len() - self.passed()
    }

    /// `N passed, M failed`.
    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed(), self.failed())
    }

    /// Cases and failures per feature, in feature order.
    pub fn per_feature(&self) -> Vec<(Feature, usize, usize)> {
        Feature::ALL
            .iter()
            .filter_map(|feature| {
                let cases: Vec<&CaseResult> = self
                    .results
                    .iter()
                    .filter(|r| r.feature == *feature)
                    .collect();
                let failed = cases.iter().filter(|r| !r.passed()).count();
                (!cases.is_empty()).then_some((*feature, cases.len(), failed))
            })
            .collect()
    }

    /// A JUnit XML report: one `testsuite` per feature, one `testcase` per case.
    pub fn junit_xml(&self) -> String {
        let seconds = |d: Duration| format!("{:.3}", d.as_secs_f64());
        let total: Duration = self.results.iter().map(|r| r.duration).sum();
        let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            xml,
            "<testsuites name=\"GP Connect 1.2.7 provider conformance\" tests=\"{}\" failures=\"{}\" time=\"{}\">",
            self.results.len(),
            self.failed(),
            seconds(total)
        );
        for (feature, tests, failures) in self.per_feature() {
            let cases: Vec<&CaseResult> = self
                .results
                .iter()
                .filter(|r| r.feature == feature)
                .collect();
            let time: Duration = cases.iter().map(|r| r.duration).sum();
            let _ = writeln!(
                xml,
                "  <testsuite name=\"{}\" tests=\"{tests}\" failures=\"{failures}\" time=\"{}\">",
                escape(feature.name()),
                seconds(time)
            );
            for case in cases {
                let name = match &case.row {
                    Some(row) => format!("{} [{row}]", case.scenario),
                    None => case.scenario.clone(),
                };
                let _ = write!(
                    xml,
                    "    <testcase classname=\"{}\" name=\"{}\" time=\"{}\"",
                    escape(feature.name()),
                    escape(&name),
                    seconds(case.duration)
                );
                match &case.failure {
                    None => xml.push_str("/>\n"),
                    Some(failure) => {
                        let _ = writeln!(
                            xml,
                            ">\n      <failure message=\"{}\"/>\n    </testcase>",
                            escape(failure.reason())
                        );
                    }
                }
            }
            xml.push_str("  </testsuite>\n");
        }
        xml.push_str("</testsuites>\n");
        xml
    }
}

/// Escapes text for an XML attribute; characters XML 1.0 cannot carry become `?`.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(
        feature: Feature,
        scenario: &str,
        row: Option<&str>,
        failure: Option<&str>,
    ) -> CaseResult {
        CaseResult {
            feature,
            scenario: scenario.to_owned(),
            row: row.map(str::to_owned),
            failure: failure.map(Failure::new),
            duration: Duration::from_millis(5),
        }
    }

    #[test]
    fn lines_and_summary() {
        let report = Report {
            results: vec![
                result(
                    Feature::PatientRead,
                    "Read patient 404 if patient not found",
                    Some("aaBA"),
                    None,
                ),
                result(
                    Feature::Http,
                    "Http GET from invalid endpoint",
                    None,
                    Some("expected a failure, got HTTP 200"),
                ),
            ],
            teardown: Teardown::default(),
        };
        assert_eq!(
            report.results[0].line(),
            "PASS PatientRead Read patient 404 if patient not found [aaBA]"
        );
        assert_eq!(
            report.results[1].line(),
            "FAIL Http Http GET from invalid endpoint: expected a failure, got HTTP 200"
        );
        assert_eq!(report.summary(), "1 passed, 1 failed");
        assert_eq!(
            report.per_feature(),
            vec![(Feature::Http, 1, 1), (Feature::PatientRead, 1, 0)]
        );
    }

    #[test]
    fn junit_xml_escapes_and_counts() {
        let report = Report {
            results: vec![
                result(
                    Feature::Jwt,
                    "a <b> & \"c\"",
                    None,
                    Some("got <OperationOutcome>"),
                ),
                result(Feature::Jwt, "ok", Some("x"), None),
            ],
            teardown: Teardown::default(),
        };
        let xml = report.junit_xml();
        assert!(xml.contains("tests=\"2\" failures=\"1\""), "{xml}");
        assert!(
            xml.contains("name=\"a &lt;b&gt; &amp; &quot;c&quot;\""),
            "{xml}"
        );
        assert!(
            xml.contains("<failure message=\"got &lt;OperationOutcome&gt;\"/>"),
            "{xml}"
        );
        assert!(
            xml.contains("<testcase classname=\"JWT\" name=\"ok [x]\""),
            "{xml}"
        );
    }
}
