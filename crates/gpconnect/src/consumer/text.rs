//! Plain-text output for people: column-aligned tables, `label: value` listings, and UK times
//! and names written the way a receptionist would read them.

use gpconnect_domain::UkDateTime;
use gpconnect_fhir::HumanName;

/// A table whose columns are padded to their widest cell.
#[derive(Debug, Clone)]
pub struct Table {
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// An empty table with these column headers.
    pub fn new(headers: &[&'static str]) -> Self {
        Self {
            headers: headers.to_vec(),
            rows: Vec::new(),
        }
    }

    /// Adds a row; missing cells are blank, extra cells are dropped.
    pub fn push(&mut self, row: Vec<String>) {
        let mut row: Vec<String> = row.into_iter().map(|c| single_line(&c)).collect();
        row.resize(self.headers.len(), String::new());
        self.rows.push(row);
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table, one line per row under the header line, columns two spaces apart; the last
    /// column is not padded, so lines carry no trailing spaces.
    pub fn render(&self) -> String {
        let mut widths: Vec<usize> = self.headers.iter().map(|h| h.chars().count()).collect();
        for row in &self.rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let header: Vec<String> = self.headers.iter().map(|h| (*h).to_owned()).collect();
        let mut out = String::new();
        for row in std::iter::once(&header).chain(&self.rows) {
            let mut line = String::new();
            for (index, (cell, width)) in row.iter().zip(&widths).enumerate() {
                if index > 0 {
                    line.push_str("  ");
                }
                line.push_str(cell);
                if index + 1 < row.len() {
                    let pad = width.saturating_sub(cell.chars().count());
                    line.extend(std::iter::repeat_n(' ', pad));
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// `label: value` lines with the values aligned; pairs whose value is empty are left out.
pub fn fields(pairs: &[(&str, String)]) -> String {
    let shown: Vec<&(&str, String)> = pairs.iter().filter(|(_, v)| !v.is_empty()).collect();
    let width = shown
        .iter()
        .map(|(label, _)| label.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (label, value) in shown {
        let pad = width - label.chars().count();
        out.push_str(label);
        out.push(':');
        out.extend(std::iter::repeat_n(' ', pad + 1));
        out.push_str(&single_line(value));
        out.push('\n');
    }
    out
}

/// An instant as `yyyy-mm-dd hh:mm` UK local time, or the text as sent when it is not a
/// GP Connect instant.
pub fn when(text: &str) -> String {
    match UkDateTime::parse(text) {
        Ok(t) => {
            let local = t
                .timestamp()
                .to_zoned(gpconnect_domain::time::uk_zone().clone());
            local.strftime("%Y-%m-%d %H:%M").to_string()
        }
        Err(_) => text.to_owned(),
    }
}

/// The UK clock time `hh:mm` of an instant, or the text as sent.
pub fn clock(text: &str) -> String {
    match UkDateTime::parse(text) {
        Ok(t) => {
            let local = t
                .timestamp()
                .to_zoned(gpconnect_domain::time::uk_zone().clone());
            local.strftime("%H:%M").to_string()
        }
        Err(_) => text.to_owned(),
    }
}

/// A person's name for display: the official name if there is one, else the first, as
/// `Prefix Given FAMILY`.
pub fn person_name(names: &[HumanName]) -> String {
    let Some(name) = names
        .iter()
        .find(|n| n.r#use.as_deref() == Some("official"))
        .or_else(|| names.first())
    else {
        return String::new();
    };
    let family = name.family.as_deref().map(str::to_uppercase);
    let parts: Vec<String> = name
        .prefix
        .iter()
        .chain(&name.given)
        .cloned()
        .chain(family)
        .collect();
    if parts.is_empty() {
        return name.text.clone().unwrap_or_default();
    }
    parts.join(" ")
}

/// Text from the provider on one line: line breaks and other control characters would break
/// the alignment (and could move the terminal's cursor), so they become spaces.
fn single_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_line_up_under_their_headers() {
        let mut table = Table::new(&["ID", "STATUS", "DESCRIPTION"]);
        table.push(vec!["7".into(), "booked".into(), "Review".into()]);
        table.push(vec!["123".into(), "cancelled".into(), "Dressing".into()]);
        assert_eq!(
            table.render(),
            "ID   STATUS     DESCRIPTION\n\
             7    booked     Review\n\
             123  cancelled  Dressing\n"
        );
    }

    #[test]
    fn line_breaks_in_provider_text_cannot_break_the_layout() {
        let mut table = Table::new(&["ID", "DESCRIPTION"]);
        table.push(vec!["1".into(), "two\nlines\x1b[2J".into()]);
        table.push(vec!["2".into()]);
        assert_eq!(table.render(), "ID  DESCRIPTION\n1   two lines [2J\n2\n");
    }

    #[test]
    fn times_are_shown_in_uk_local_time() {
        assert_eq!(when("2026-07-01T09:30:00+01:00"), "2026-07-01 09:30");
        assert_eq!(when("2026-07-01T08:30:00+00:00"), "2026-07-01 09:30");
        assert_eq!(clock("2026-12-01T08:30:00+00:00"), "08:30");
        assert_eq!(when("soon"), "soon");
    }

    #[test]
    fn names_read_prefix_given_family() {
        let names = [
            HumanName {
                r#use: Some("usual".into()),
                family: Some("Pem".into()),
                ..HumanName::default()
            },
            HumanName {
                r#use: Some("official".into()),
                family: Some("Pemberton".into()),
                given: vec!["Lucy".into(), "Ann".into()],
                prefix: vec!["Miss".into()],
                ..HumanName::default()
            },
        ];
        assert_eq!(person_name(&names), "Miss Lucy Ann PEMBERTON");
        assert_eq!(person_name(&[]), "");
    }

    #[test]
    fn fields_align_values_and_skip_empty_ones() {
        assert_eq!(
            fields(&[
                ("id", "12".into()),
                ("comment", String::new()),
                ("description", "Review".into()),
            ]),
            "id:          12\ndescription: Review\n"
        );
    }
}
