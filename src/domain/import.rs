//! Reading a participant CSV (CONTRACT.md): any delimiter Excel uses, UTF-8 (with or without BOM),
//! UTF-16 or Windows-1250, headers matched loosely, every row checked so all problems show at once.
//! Gmina names are resolved later against the register (that needs the database).

use std::collections::HashMap;

use super::email::Email;
use super::fold::fold;
use super::participant::{Group, Sex, parse_birth_year, parse_phone};
use crate::error::ValidationErrors;
use crate::i18n::Msg;

/// Most problems reported for one file; a wrong file would otherwise produce thousands.
pub const MAX_ERRORS: usize = 500;
/// Longest name, organisation or gmina text accepted.
pub const MAX_TEXT: usize = 200;

/// The columns of a participant file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Column {
    FirstName,
    LastName,
    Email,
    Phone,
    Gmina,
    Group,
    Organisation,
    Sex,
    BirthYear,
}

impl Column {
    pub const ALL: [Column; 9] = [
        Column::FirstName,
        Column::LastName,
        Column::Email,
        Column::Phone,
        Column::Gmina,
        Column::Group,
        Column::Organisation,
        Column::Sex,
        Column::BirthYear,
    ];

    /// The Polish header the import template uses.
    pub fn polish(self) -> &'static str {
        match self {
            Column::FirstName => "imię",
            Column::LastName => "nazwisko",
            Column::Email => "email",
            Column::Phone => "telefon",
            Column::Gmina => "gmina",
            Column::Group => "grupa",
            Column::Organisation => "organizacja",
            Column::Sex => "płeć",
            Column::BirthYear => "rok_urodzenia",
        }
    }

    /// The English header (also the field name in API errors when no header names it).
    pub fn english(self) -> &'static str {
        match self {
            Column::FirstName => "first_name",
            Column::LastName => "last_name",
            Column::Email => "email",
            Column::Phone => "phone",
            Column::Gmina => "gmina",
            Column::Group => "group",
            Column::Organisation => "organisation",
            Column::Sex => "sex",
            Column::BirthYear => "birth_year",
        }
    }

    pub fn required(self) -> bool {
        matches!(
            self,
            Column::FirstName | Column::LastName | Column::Gmina | Column::Group
        )
    }

    /// Matches a header ignoring case, diacritics, surrounding spaces and inner spaces,
    /// underscores and hyphens: `Rok urodzenia` = `rok_urodzenia`, ` First-Name ` = `first_name`.
    pub fn from_header(header: &str) -> Option<Column> {
        let key: String = fold(header)
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '_' | '-' | '.' | '\u{feff}'))
            .collect();
        Some(match key.as_str() {
            "imie" | "firstname" | "name" | "givenname" => Column::FirstName,
            "nazwisko" | "lastname" | "surname" | "familyname" => Column::LastName,
            "email" | "mail" | "adresemail" | "emailaddress" => Column::Email,
            "telefon" | "phone" | "tel" | "nrtelefonu" | "phonenumber" => Column::Phone,
            "gmina" | "teryt" | "kodteryt" | "municipality" => Column::Gmina,
            "grupa" | "group" => Column::Group,
            "organizacja" | "organisation" | "organization" | "instytucja" => Column::Organisation,
            "plec" | "sex" | "gender" => Column::Sex,
            "rokurodzenia" | "birthyear" | "yearofbirth" => Column::BirthYear,
            _ => return None,
        })
    }
}

/// One data row as written (trimmed), with its row number in the sheet (the header is row 1).
#[derive(Clone, Debug, Default)]
pub struct RawRow {
    pub row: usize,
    values: HashMap<Column, String>,
}

impl RawRow {
    pub fn get(&self, column: Column) -> &str {
        self.values.get(&column).map(String::as_str).unwrap_or("")
    }
}

/// A file's rows and the header each column had in it.
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    headers: HashMap<Column, String>,
    pub rows: Vec<RawRow>,
}

impl Sheet {
    /// The column's header as written in the file, so errors name what the user sees.
    pub fn header(&self, column: Column) -> &str {
        self.headers
            .get(&column)
            .map(String::as_str)
            .unwrap_or(column.english())
    }
}

/// A row whose values are all valid (the gmina still to be resolved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportRow {
    pub row: usize,
    pub first_name: String,
    pub last_name: String,
    pub email: Option<Email>,
    pub phone: Option<String>,
    pub gmina: String,
    pub group: Group,
    pub organisation: Option<String>,
    pub sex: Option<Sex>,
    pub birth_year: Option<i32>,
}

/// Decodes a text file: UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1250
/// (what Excel in a Polish locale writes as "CSV"). Never produces replacement characters from
/// valid Windows-1250 input.
pub fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return encoding_rs::UTF_16LE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return encoding_rs::UTF_16BE
            .decode_without_bom_handling(rest)
            .0
            .into_owned();
    }
    super::terc::decode_text(bytes)
}

/// The delimiter of the header line: semicolon, comma or tab, whichever appears most outside quotes.
fn detect_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ';' if !quoted => counts[0] += 1,
            ',' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [b';', b',', b'\t'][best]
}

/// Reads the file into rows; file-level problems (no header, a required column missing, a column
/// given twice, a malformed line) are errors on row 1 or the row at fault.
pub fn read(bytes: &[u8]) -> Result<Sheet, ValidationErrors> {
    let text = decode(bytes);
    let mut errors = ValidationErrors::new();
    if text.trim().is_empty() {
        errors.add_row(1, "file", "err.import.empty");
        return Err(errors);
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(detect_delimiter(&text))
        .flexible(true)
        .has_headers(false)
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        _ => {
            errors.add_row(1, "file", "err.import.empty");
            return Err(errors);
        }
    };
    let mut sheet = Sheet::default();
    let mut positions: Vec<(usize, Column)> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let Some(column) = Column::from_header(name) else {
            continue;
        };
        let written = name.trim().trim_start_matches('\u{feff}').to_owned();
        if sheet.headers.contains_key(&column) {
            errors.add_row(
                1,
                &written,
                Msg::new("err.import.column_twice").arg("column", &written),
            );
            continue;
        }
        sheet.headers.insert(column, written);
        positions.push((i, column));
    }
    for column in Column::ALL.iter().filter(|c| c.required()) {
        if !sheet.headers.contains_key(column) {
            errors.add_row(
                1,
                column.polish(),
                Msg::new("err.import.column_missing")
                    .arg("pl", column.polish())
                    .arg("en", column.english()),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for (index, record) in records.enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let row = e.position().map(|p| p.line() as usize).unwrap_or(index + 2);
                errors.add_row(row, "file", Msg::new("err.csv_row").arg("row", row));
                continue;
            }
        };
        if record.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        let row = record
            .position()
            .map(|p| p.line() as usize)
            .unwrap_or(index + 2);
        let values = positions
            .iter()
            .map(|&(i, column)| (column, record.get(i).unwrap_or("").trim().to_owned()))
            .collect();
        sheet.rows.push(RawRow { row, values });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if sheet.rows.is_empty() {
        errors.add_row(1, "file", "err.import.no_rows");
        return Err(errors);
    }
    Ok(sheet)
}

fn text(value: &str, required: bool) -> Result<Option<String>, &'static str> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    if value.is_empty() {
        if required {
            Err("err.required")
        } else {
            Ok(None)
        }
    } else if value.chars().count() > MAX_TEXT {
        Err("err.too_long")
    } else {
        Ok(Some(value))
    }
}

/// Checks every row's values; duplicate emails inside the file are errors on the later rows.
/// Returns the valid rows; problems go to `errors` (at most `MAX_ERRORS`).
pub fn check(sheet: &Sheet, this_year: i32, errors: &mut ValidationErrors) -> Vec<ImportRow> {
    let mut valid = Vec::with_capacity(sheet.rows.len());
    let mut emails: HashMap<String, usize> = HashMap::new();
    for raw in &sheet.rows {
        let before = errors.0.len();
        let mut fail = |column: Column, message: Msg| {
            errors.add_row(raw.row, sheet.header(column), message);
        };
        let first_name = text(raw.get(Column::FirstName), true)
            .map_err(|k| fail(Column::FirstName, k.into()))
            .ok()
            .flatten();
        let last_name = text(raw.get(Column::LastName), true)
            .map_err(|k| fail(Column::LastName, k.into()))
            .ok()
            .flatten();
        let email = match raw.get(Column::Email) {
            "" => None,
            value => match Email::parse(value) {
                Ok(email) => {
                    if let Some(first) = emails.get(email.as_str()) {
                        fail(
                            Column::Email,
                            Msg::new("err.import.email_twice")
                                .arg("email", email.as_str())
                                .arg("row", first),
                        );
                    } else {
                        emails.insert(email.as_str().to_owned(), raw.row);
                    }
                    Some(email)
                }
                Err(key) => {
                    fail(Column::Email, Msg::new(key));
                    None
                }
            },
        };
        let phone = parse_phone(raw.get(Column::Phone))
            .map_err(|k| fail(Column::Phone, k.into()))
            .ok()
            .flatten();
        let gmina = text(raw.get(Column::Gmina), true)
            .map_err(|k| fail(Column::Gmina, k.into()))
            .ok()
            .flatten();
        let group = match raw.get(Column::Group) {
            "" => {
                fail(Column::Group, "err.required".into());
                None
            }
            value => Group::parse(value).or_else(|| {
                fail(
                    Column::Group,
                    Msg::new("err.group_invalid").arg("value", value),
                );
                None
            }),
        };
        let organisation = text(raw.get(Column::Organisation), false)
            .map_err(|k| fail(Column::Organisation, k.into()))
            .ok()
            .flatten();
        let sex = match raw.get(Column::Sex) {
            "" => None,
            value => Sex::parse(value).or_else(|| {
                fail(Column::Sex, Msg::new("err.sex_invalid").arg("value", value));
                None
            }),
        };
        let birth_year = parse_birth_year(raw.get(Column::BirthYear), this_year)
            .map_err(|k| fail(Column::BirthYear, k.into()))
            .ok()
            .flatten();
        if errors.0.len() == before
            && let (Some(first_name), Some(last_name), Some(gmina), Some(group)) =
                (first_name, last_name, gmina, group)
        {
            valid.push(ImportRow {
                row: raw.row,
                first_name,
                last_name,
                email,
                phone,
                gmina,
                group,
                organisation,
                sex,
                birth_year,
            });
        }
        if errors.0.len() >= MAX_ERRORS {
            break;
        }
    }
    valid
}

/// The import template: the Polish headers and one example row.
pub fn template_rows() -> Vec<Vec<&'static str>> {
    vec![
        Column::ALL.iter().map(|c| c.polish()).collect(),
        vec![
            "Małgorzata",
            "Żółkiewska-Łęcka",
            "m.zolkiewska@example.pl",
            "+48 601 234 567",
            "3026043",
            "urzędnik",
            "Urząd Miejski w Śremie",
            "K",
            "1979",
        ],
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    const OK: &[u8] = include_bytes!("../../../shared/fixtures/participants_ok.csv");
    const BAD: &[u8] = include_bytes!("../../../shared/fixtures/participants_bad.csv");

    #[test]
    fn headers_match_loosely() {
        for h in ["Imię", " IMIE ", "first_name", "First Name", "first-name"] {
            assert_eq!(Column::from_header(h), Some(Column::FirstName), "{h}");
        }
        for h in [
            "Rok urodzenia",
            "rok_urodzenia",
            "ROK-URODZENIA",
            "birth_year",
        ] {
            assert_eq!(Column::from_header(h), Some(Column::BirthYear), "{h}");
        }
        assert_eq!(Column::from_header("Płeć"), Some(Column::Sex));
        assert_eq!(Column::from_header("Lp."), None);
    }

    #[test]
    fn good_fixture_reads_six_valid_rows() {
        let sheet = read(OK).unwrap();
        let mut errors = ValidationErrors::new();
        let rows = check(&sheet, 2026, &mut errors);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[0].last_name, "Żółkiewska-Łęcka");
        assert_eq!(rows[0].group, Group::Official);
        assert_eq!(rows[0].sex, Some(Sex::Female));
        assert_eq!(rows[2].group, Group::AtRisk);
        assert_eq!(rows[4].group, Group::Ngo);
        assert_eq!(rows[4].birth_year, None);
        assert_eq!(rows[0].row, 2);
    }

    #[test]
    fn bad_fixture_names_each_faulty_row_and_column() {
        let sheet = read(BAD).unwrap();
        let mut errors = ValidationErrors::new();
        let rows = check(&sheet, 2026, &mut errors);
        // gmina codes and names are checked against the register later (rows 5 and 6)
        let found: Vec<(usize, &str)> = errors
            .0
            .iter()
            .map(|e| (e.row.unwrap(), e.field.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (3, "last_name"),
                (4, "email"),
                (7, "group"),
                (8, "sex"),
                (9, "birth_year"),
                (10, "email")
            ]
        );
        assert_eq!(rows.len(), 3);
    }

    #[test]
    fn windows_1250_semicolons_and_crlf() {
        let text = "Imię;Nazwisko;Gmina;Grupa;Płeć\r\nŻaneta;Łąckiewicz-Źdźbło;3026043;ONW;k\r\n";
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(text);
        let sheet = read(&bytes).unwrap();
        let mut errors = ValidationErrors::new();
        let rows = check(&sheet, 2026, &mut errors);
        assert!(errors.is_empty());
        assert_eq!(rows[0].first_name, "Żaneta");
        assert_eq!(rows[0].last_name, "Łąckiewicz-Źdźbło");
        assert_eq!(rows[0].group, Group::AtRisk);
    }

    #[test]
    fn utf8_bom_and_missing_columns() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend("first_name,last_name,gmina,group\nJan,Kos,3026043,NGO\n".as_bytes());
        assert_eq!(read(&bytes).unwrap().rows.len(), 1);
        let errors = read(b"first_name;gmina\nJan;3026043\n").unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["nazwisko", "grupa"]);
        assert!(read(b"").is_err());
        assert!(read(b"first_name,last_name,gmina,group\n").is_err());
    }

    #[test]
    fn utf16_with_bom_decodes() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "imię\tnazwisko\tgmina\tgrupa\nŁucja\tŚlęzak\t3026043\tngo\n".encode_utf16()
        {
            bytes.extend(unit.to_le_bytes());
        }
        let sheet = read(&bytes).unwrap();
        assert_eq!(sheet.rows[0].get(Column::LastName), "Ślęzak");
    }
}
