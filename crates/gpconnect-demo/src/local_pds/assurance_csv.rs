//! Reads the assurance suite's own demographics files (`RegisterPatients.csv`, `PDS.csv`) from
//! a folder the user points at, so that an unchanged assurance test pack finds the people it
//! registers on the local PDS (SPEC 9.27, ATS 1.7). The files are the suite's; they are read at
//! run time and never shipped with this project.

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};

use gpconnect_domain::pds::{PdsDeceased, PdsRecord};
use gpconnect_domain::records::{Address, AddressUse, Gender};
use gpconnect_domain::{NhsNumber, OdsCode};
use jiff::civil::Date;

/// File of people the suite registers.
pub const REGISTER_PATIENTS_FILE: &str = "RegisterPatients.csv";
/// File of PDS stub data.
pub const PDS_FILE: &str = "PDS.csv";

const REGISTER_COLUMNS: [&str; 5] = [
    "SPINE_NHS_NUMBER",
    "NAME_FAMILY",
    "NAME_GIVEN",
    "GENDER",
    "DOB",
];
const PDS_COLUMNS: [&str; 15] = [
    "NHS_NUMBER",
    "DATE_OF_BIRTH",
    "DATE_OF_DEATH",
    "FAMILY_NAME",
    "GIVEN_NAME",
    "OTHER_GIVEN_NAME",
    "TITLE",
    "ADDR1",
    "ADDR2",
    "ADDR3",
    "ADDR4",
    "ADDR5",
    "POST_CODE",
    "SENSITIVE_FLAG",
    "PRIMARY_CARE_CODE",
];

/// Why a demographics folder could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PdsLoadError {
    /// The folder or a file in it could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The folder holds neither file.
    #[error("{} holds neither {REGISTER_PATIENTS_FILE} nor {PDS_FILE}", dir.display())]
    NoFiles { dir: PathBuf },
    /// A required column is missing from the header line.
    #[error("{} line 1: missing column {column} (header must include {expected})", path.display())]
    MissingColumn {
        path: PathBuf,
        column: &'static str,
        expected: String,
    },
    /// A row could not be read or holds a bad value.
    #[error("{} line {line}: {message}", path.display())]
    Row {
        path: PathBuf,
        line: u64,
        message: String,
    },
}

/// Reads whichever of the two files `dir` holds. `RegisterPatients.csv` rows come first and
/// `PDS.csv` rows after them, so a number present in both takes the `PDS.csv` details.
pub fn read_dir(dir: &Path) -> Result<Vec<PdsRecord>, PdsLoadError> {
    let meta = std::fs::metadata(dir).map_err(|source| PdsLoadError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(PdsLoadError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotADirectory, "not a folder"),
        });
    }
    let register = dir.join(REGISTER_PATIENTS_FILE);
    let pds = dir.join(PDS_FILE);
    if !register.is_file() && !pds.is_file() {
        return Err(PdsLoadError::NoFiles {
            dir: dir.to_path_buf(),
        });
    }
    let mut out = Vec::new();
    if register.is_file() {
        read_file(&register, &REGISTER_COLUMNS, register_row, &mut out)?;
    }
    if pds.is_file() {
        read_file(&pds, &PDS_COLUMNS, pds_row, &mut out)?;
    }
    Ok(out)
}

/// One row, with cells looked up by column name.
struct Row<'a> {
    record: &'a csv::StringRecord,
    columns: &'a HashMap<&'static str, usize>,
}

impl Row<'_> {
    fn get(&self, column: &str) -> &str {
        self.columns
            .get(column)
            .and_then(|i| self.record.get(*i))
            .map(str::trim)
            .unwrap_or("")
    }

    fn optional(&self, column: &str) -> Option<String> {
        let v = self.get(column);
        (!v.is_empty()).then(|| v.to_owned())
    }

    fn required(&self, column: &str) -> Result<&str, String> {
        match self.get(column) {
            "" => Err(format!("{column} is empty")),
            v => Ok(v),
        }
    }
}

fn read_file(
    path: &Path,
    expected: &[&'static str],
    parse: fn(&Row<'_>) -> Result<PdsRecord, String>,
    out: &mut Vec<PdsRecord>,
) -> Result<(), PdsLoadError> {
    let io = |source| PdsLoadError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(file);
    let row_error = |line: u64, message: String| PdsLoadError::Row {
        path: path.to_path_buf(),
        line,
        message,
    };
    let headers = reader
        .headers()
        .map_err(|e| row_error(1, e.to_string()))?
        .clone();
    let mut columns = HashMap::new();
    for (i, name) in headers.iter().enumerate() {
        // A spreadsheet export may start with a byte-order mark.
        let name = name.trim_start_matches('\u{feff}').trim();
        if let Some(known) = expected.iter().find(|c| **c == name) {
            columns.insert(*known, i);
        }
    }
    if let Some(missing) = expected.iter().find(|c| !columns.contains_key(*c)) {
        return Err(PdsLoadError::MissingColumn {
            path: path.to_path_buf(),
            column: missing,
            expected: expected.join(","),
        });
    }
    for result in reader.records() {
        let record = result.map_err(|e| {
            let line = e.position().map(|p| p.line()).unwrap_or(0);
            row_error(line, e.to_string())
        })?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.iter().all(|cell| cell.trim().is_empty()) {
            continue;
        }
        let row = Row {
            record: &record,
            columns: &columns,
        };
        out.push(parse(&row).map_err(|message| row_error(line, message))?);
    }
    Ok(())
}

fn nhs_number(row: &Row<'_>, column: &str) -> Result<NhsNumber, String> {
    let raw = row.required(column)?;
    NhsNumber::parse(raw).map_err(|e| format!("{column} '{raw}': {e}"))
}

fn date(row: &Row<'_>, column: &str, format: &str, shown: &str) -> Result<Option<Date>, String> {
    match row.get(column) {
        "" => Ok(None),
        raw => Date::strptime(format, raw)
            .map(Some)
            .map_err(|_| format!("{column} '{raw}' is not a date of the form {shown}")),
    }
}

fn register_row(row: &Row<'_>) -> Result<PdsRecord, String> {
    let nhs_number = nhs_number(row, "SPINE_NHS_NUMBER")?;
    let family = row.required("NAME_FAMILY")?.to_owned();
    let given = row.optional("NAME_GIVEN").into_iter().collect();
    let gender_raw = row.required("GENDER")?;
    let gender = Gender::from_code(&gender_raw.to_ascii_lowercase()).ok_or_else(|| {
        format!("GENDER '{gender_raw}' is not one of MALE, FEMALE, OTHER, UNKNOWN")
    })?;
    let birth_date =
        date(row, "DOB", "%Y-%m-%d", "yyyy-mm-dd")?.ok_or_else(|| "DOB is empty".to_owned())?;
    Ok(PdsRecord {
        nhs_number,
        family,
        given,
        prefix: None,
        gender,
        birth_date,
        deceased: None,
        sensitive: false,
        invalid: false,
        superseded_by: None,
        address: None,
        telecom: Vec::new(),
        registered_practice_ods: None,
    })
}

fn pds_row(row: &Row<'_>) -> Result<PdsRecord, String> {
    let nhs_number = nhs_number(row, "NHS_NUMBER")?;
    let birth_date = date(row, "DATE_OF_BIRTH", "%d/%m/%Y", "dd/mm/yyyy")?
        .ok_or_else(|| "DATE_OF_BIRTH is empty".to_owned())?;
    let deceased = date(row, "DATE_OF_DEATH", "%d/%m/%Y", "dd/mm/yyyy")?.map(PdsDeceased::On);
    let family = row.required("FAMILY_NAME")?.to_owned();
    let given = ["GIVEN_NAME", "OTHER_GIVEN_NAME"]
        .iter()
        .filter_map(|c| row.optional(c))
        .collect();
    // PDS address lines: premises, thoroughfare, locality, post town, county.
    let lines: Vec<String> = ["ADDR1", "ADDR2", "ADDR3"]
        .iter()
        .filter_map(|c| row.optional(c))
        .collect();
    let city = row.optional("ADDR4");
    let district = row.optional("ADDR5");
    let postal_code = row.optional("POST_CODE");
    let any = !lines.is_empty() || city.is_some() || district.is_some() || postal_code.is_some();
    let address = any.then_some(Address {
        use_: Some(AddressUse::Home),
        lines,
        city,
        district,
        postal_code,
        country: None,
    });
    let registered_practice_ods = match row.get("PRIMARY_CARE_CODE") {
        "" => None,
        raw => Some(OdsCode::parse(raw).map_err(|e| format!("PRIMARY_CARE_CODE '{raw}': {e}"))?),
    };
    Ok(PdsRecord {
        nhs_number,
        family,
        given,
        prefix: row.optional("TITLE"),
        // PDS.csv carries no gender column.
        gender: Gender::Unknown,
        birth_date,
        deceased,
        sensitive: !row.get("SENSITIVE_FLAG").is_empty(),
        invalid: false,
        superseded_by: None,
        address,
        telecom: Vec::new(),
        registered_practice_ods,
    })
}
