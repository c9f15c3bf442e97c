//! Parsers for command-line values: each turns the text into the checked domain type, or into
//! a message clap shows next to the flag.

use gpconnect_client::{ProviderEndpoint, SearchBound};
use gpconnect_domain::records::{Gender, OrgType};
use gpconnect_domain::time::uk_zone;
use gpconnect_domain::{Asid, FhirId, NhsNumber, OdsCode, UkDateTime};
use jiff::civil::Date;
use jiff::ToSpan;

/// An NHS number; spaces (as printed on NHS cards, `943 476 5919`) are allowed.
pub fn nhs_number(text: &str) -> Result<NhsNumber, String> {
    let digits: String = text.chars().filter(|c| *c != ' ').collect();
    NhsNumber::parse(&digits).map_err(|e| format!("{e} (got '{text}')"))
}

/// A logical id, as the practice gave it.
pub fn fhir_id(text: &str) -> Result<FhirId, String> {
    FhirId::parse(text.trim()).map_err(|e| e.to_string())
}

/// An ODS code.
pub fn ods_code(text: &str) -> Result<OdsCode, String> {
    OdsCode::parse(text.trim()).map_err(|e| e.to_string())
}

/// `gp-practice` or `urgent-care` (SPEC 3.10 `searchFilter`, GPConnect-OrganisationType-1).
pub fn org_type(text: &str) -> Result<OrgType, String> {
    OrgType::from_code(text.trim()).ok_or_else(|| {
        let codes: Vec<&str> = OrgType::ALL.iter().map(|t| t.code()).collect();
        format!("the organisation type must be one of {}", codes.join(", "))
    })
}

/// `male`, `female`, `other` or `unknown`.
pub fn gender(text: &str) -> Result<Gender, String> {
    Gender::from_code(text.trim()).ok_or_else(|| {
        let codes: Vec<&str> = Gender::ALL.iter().map(|g| g.code()).collect();
        format!("the gender must be one of {}", codes.join(", "))
    })
}

/// A day: `yyyy-mm-dd`, `today`, `tomorrow` or `+N` (N days from today), in the UK.
pub fn day(text: &str) -> Result<Date, String> {
    let text = text.trim();
    let today = UkDateTime::now().uk_date();
    let offset = match text {
        "today" => Some(0),
        "tomorrow" => Some(1),
        _ => match text.strip_prefix('+') {
            Some(n) => Some(
                n.parse::<i64>()
                    .map_err(|_| format!("'{text}' is not +N with N a number of days"))?,
            ),
            None => None,
        },
    };
    match offset {
        Some(days) => today
            .checked_add(days.days())
            .map_err(|e| format!("'{text}': {e}")),
        None => text.parse::<Date>().map_err(|_| {
            format!(
                "'{text}' is not a date: use yyyy-mm-dd, today, tomorrow or +N (days from today)"
            )
        }),
    }
}

/// One end of a slot search: a [`day`], or a UK date-time `yyyy-mm-ddThh:mm:ss+hh:mm`
/// (SPEC 3.10).
pub fn bound(text: &str) -> Result<SearchBound, String> {
    if text.contains('T') {
        return UkDateTime::parse(text.trim())
            .map(SearchBound::DateTime)
            .map_err(|e| e.to_string());
    }
    day(text).map(SearchBound::Date)
}

/// The default end of a slot search: the longest range SPEC 3.10 allows (two weeks) after
/// `start`, at the same UK clock time when `start` is a date-time.
pub fn two_weeks_after(start: SearchBound) -> Result<SearchBound, String> {
    match start {
        SearchBound::Date(d) => d
            .checked_add(14.days())
            .map(SearchBound::Date)
            .map_err(|e| e.to_string()),
        SearchBound::DateTime(t) => t
            .timestamp()
            .to_zoned(uk_zone().clone())
            .checked_add(14.days())
            .map(|z| SearchBound::DateTime(UkDateTime::from_timestamp(z.timestamp())))
            .map_err(|e| e.to_string()),
    }
}

/// A practice to search: `BASE_URL=ASID`, its service root and its endpoint's ASID.
pub fn endpoint(text: &str) -> Result<ProviderEndpoint, String> {
    let (base_url, asid) = text.trim().rsplit_once('=').ok_or_else(|| {
        format!("'{text}' is not BASE_URL=ASID, e.g. http://127.0.0.1:8080/A20047/STU3/1/gpconnect=918999198993")
    })?;
    let provider_asid =
        Asid::parse(asid.trim()).map_err(|e| format!("'{text}': the part after '=': {e}"))?;
    Ok(ProviderEndpoint {
        base_url: base_url.trim().trim_end_matches('/').to_owned(),
        provider_asid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_may_be_written_in_groups() {
        assert_eq!(nhs_number("965 821 9004").unwrap().as_str(), "9658219004");
        assert!(nhs_number("9658219005")
            .unwrap_err()
            .contains("check digit"));
    }

    #[test]
    fn days_can_be_relative_to_today() {
        let today = UkDateTime::now().uk_date();
        assert_eq!(day("today").unwrap(), today);
        assert_eq!(day("tomorrow").unwrap(), today.tomorrow().unwrap());
        assert_eq!(day("+3").unwrap(), today.checked_add(3.days()).unwrap());
        assert_eq!(day("2026-07-01").unwrap(), jiff::civil::date(2026, 7, 1));
        assert!(day("next week").unwrap_err().contains("yyyy-mm-dd"));
        assert!(day("+x").is_err());
    }

    #[test]
    fn bounds_are_dates_or_uk_date_times_with_an_offset() {
        assert_eq!(
            bound("2026-07-01").unwrap(),
            SearchBound::Date(jiff::civil::date(2026, 7, 1))
        );
        assert!(matches!(
            bound("2026-07-01T09:00:00+01:00"),
            Ok(SearchBound::DateTime(_))
        ));
        assert!(bound("2026-07-01T09:00:00Z").is_err());
    }

    #[test]
    fn the_default_range_is_two_weeks_at_the_same_clock_time() {
        assert_eq!(
            two_weeks_after(SearchBound::Date(jiff::civil::date(2026, 3, 20))).unwrap(),
            SearchBound::Date(jiff::civil::date(2026, 4, 3))
        );
        // Across the change to BST the clock time stays 09:00.
        let start = UkDateTime::parse("2026-03-20T09:00:00+00:00").unwrap();
        assert_eq!(
            two_weeks_after(SearchBound::DateTime(start)).unwrap(),
            SearchBound::DateTime(UkDateTime::parse("2026-04-03T09:00:00+01:00").unwrap())
        );
    }

    #[test]
    fn practices_are_base_url_equals_asid() {
        let e = endpoint("http://127.0.0.1:8080/A20047/STU3/1/gpconnect/=918999198993").unwrap();
        assert_eq!(e.base_url, "http://127.0.0.1:8080/A20047/STU3/1/gpconnect");
        assert_eq!(e.provider_asid.as_str(), "918999198993");
        assert!(endpoint("http://127.0.0.1:8080/A20047/STU3/1/gpconnect").is_err());
        assert!(endpoint("http://x/A/STU3/1/gpconnect=12ab").is_err());
    }

    #[test]
    fn codes_are_checked_against_their_lists() {
        assert_eq!(org_type("urgent-care").unwrap(), OrgType::UrgentCare);
        assert!(org_type("oncology").unwrap_err().contains("gp-practice"));
        assert_eq!(gender("female").unwrap(), Gender::Female);
        assert!(gender("f").is_err());
    }
}
