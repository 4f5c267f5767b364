//! Reading a gmina register: the GUS TERC catalogue as published (CSV or XML, "TERC urzędowy")
//! or the project's own `data/gminy.csv` layout. Text may be UTF-8 (with or without BOM) or
//! Windows-1250. Every faulty row is reported with its line number.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;

use super::gmina::{GminaKind, Teryt};
use crate::error::ValidationErrors;
use crate::i18n::Msg;

/// One gmina as the register describes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GminaRecord {
    pub teryt: Teryt,
    pub name: String,
    pub kind: GminaKind,
    pub powiat: String,
    pub powiat_kind: String,
    pub voivodeship: String,
}

#[derive(Clone, Debug)]
pub struct Register {
    pub gminy: Vec<GminaRecord>,
    /// The register's "stan na" date, when the file gives one.
    pub as_of: Option<NaiveDate>,
}

impl Register {
    pub fn voivodeships(&self) -> BTreeSet<&str> {
        self.gminy.iter().map(|g| g.voivodeship.as_str()).collect()
    }
}

/// Most errors listed for one file; a wrong file would otherwise produce thousands.
const MAX_ERRORS: usize = 50;

/// Decodes text as UTF-8 (dropping a BOM) or, when that fails, as Windows-1250.
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => encoding_rs::WINDOWS_1250
            .decode_without_bom_handling(bytes)
            .0
            .into_owned(),
    }
}

/// Parses a register file in any of the supported layouts.
pub fn parse(bytes: &[u8]) -> Result<Register, ValidationErrors> {
    let text = decode_text(bytes);
    let head = text.trim_start();
    if head.starts_with('<') {
        return parse_terc_rows(read_xml_rows(head)?);
    }
    let first_line = head.lines().next().unwrap_or("").to_ascii_lowercase();
    if first_line.contains("teryt_code") {
        parse_project_csv(head)
    } else if first_line.contains("woj") && first_line.contains("rodz") {
        let delimiter = if first_line.matches(';').count() >= first_line.matches(',').count() {
            b';'
        } else {
            b','
        };
        parse_terc_rows(read_csv_rows(head, delimiter)?)
    } else {
        let mut errors = ValidationErrors::new();
        errors.add("file", "err.terc_format");
        Err(errors)
    }
}

/// A row of the TERC catalogue, with the line it came from.
#[derive(Default)]
struct TercRow {
    line: usize,
    woj: String,
    pow: String,
    gmi: String,
    rodz: String,
    nazwa: String,
    nazwa_dod: String,
    stan_na: String,
}

impl TercRow {
    fn set(&mut self, column: &str, value: String) {
        match column.trim().to_ascii_uppercase().as_str() {
            "WOJ" => self.woj = value,
            "POW" => self.pow = value,
            "GMI" => self.gmi = value,
            "RODZ" => self.rodz = value,
            "NAZWA" => self.nazwa = value,
            "NAZWA_DOD" => self.nazwa_dod = value,
            "STAN_NA" => self.stan_na = value,
            _ => {}
        }
    }
}

fn read_csv_rows(text: &str, delimiter: u8) -> Result<Vec<TercRow>, ValidationErrors> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut errors = ValidationErrors::new();
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_owned).collect(),
        Err(_) => {
            errors.add("file", "err.terc_format");
            return Err(errors);
        }
    };
    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        match record {
            Ok(record) => {
                let mut row = TercRow {
                    line,
                    ..Default::default()
                };
                for (column, value) in headers.iter().zip(record.iter()) {
                    row.set(column, value.trim().to_owned());
                }
                rows.push(row);
            }
            Err(_) => errors.add_row(line, "file", "err.csv_row"),
        }
    }
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(errors)
    }
}

fn read_xml_rows(text: &str) -> Result<Vec<TercRow>, ValidationErrors> {
    use quick_xml::events::Event;

    let mut reader = quick_xml::Reader::from_str(text);
    let mut rows = Vec::new();
    let mut current: Option<TercRow> = None;
    let mut field: Option<String> = None;
    let mut value = String::new();
    let mut errors = ValidationErrors::new();
    loop {
        let position = reader.buffer_position() as usize;
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name.eq_ignore_ascii_case("row") {
                    let line = text[..position.min(text.len())].matches('\n').count() + 1;
                    current = Some(TercRow {
                        line,
                        ..Default::default()
                    });
                } else if current.is_some() {
                    field = Some(name);
                    value.clear();
                }
            }
            Ok(Event::Text(t)) => {
                if let Ok(decoded) = t.decode() {
                    value.push_str(&decoded);
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    value.push(c);
                } else if let Ok(name) = r.decode()
                    && let Some(resolved) = quick_xml::escape::resolve_predefined_entity(&name)
                {
                    value.push_str(resolved);
                }
            }
            Ok(Event::End(e)) => {
                let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
                if name.eq_ignore_ascii_case("row") {
                    rows.extend(current.take());
                } else if let (Some(row), Some(f)) = (current.as_mut(), field.take()) {
                    row.set(&f, value.trim().to_owned());
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(_) => {
                let line = text[..position.min(text.len())].matches('\n').count() + 1;
                errors.add_row(line, "file", "err.xml_malformed");
                return Err(errors);
            }
        }
    }
    Ok(rows)
}

/// Builds gminas from TERC rows: voivodeship rows and powiat rows name the units, gmina rows
/// (RODZ 1, 2, 3) are the gminas; the parts of urban-rural gminas (4, 5) and districts are skipped.
fn parse_terc_rows(rows: Vec<TercRow>) -> Result<Register, ValidationErrors> {
    let mut errors = ValidationErrors::new();
    let mut voivodeships: HashMap<String, String> = HashMap::new();
    let mut powiats: HashMap<String, (String, String)> = HashMap::new();
    let mut as_of = None;
    for row in &rows {
        if as_of.is_none() {
            as_of = NaiveDate::parse_from_str(&row.stan_na, "%Y-%m-%d").ok();
        }
        if row.pow.is_empty() && row.gmi.is_empty() {
            voivodeships.insert(row.woj.clone(), row.nazwa.to_lowercase());
        } else if row.gmi.is_empty() {
            powiats.insert(
                format!("{}{}", row.woj, row.pow),
                (row.nazwa.clone(), row.nazwa_dod.clone()),
            );
        }
    }
    let mut gminy = Vec::new();
    for row in rows.iter().filter(|r| !r.gmi.is_empty()) {
        if !matches!(row.rodz.as_str(), "1" | "2" | "3") {
            continue;
        }
        let code = format!("{}{}{}{}", row.woj, row.pow, row.gmi, row.rodz);
        let teryt = match Teryt::parse(&code) {
            Ok(t) => t,
            Err(key) => {
                errors.add_row(row.line, "teryt", Msg::new(key).arg("value", &code));
                continue;
            }
        };
        let Some((powiat, powiat_kind)) = powiats.get(&code[..4]).cloned() else {
            errors.add_row(
                row.line,
                "powiat",
                Msg::new("err.terc_no_powiat").arg("code", &code[..4]),
            );
            continue;
        };
        let Some(voivodeship) = voivodeships.get(&row.woj).cloned() else {
            errors.add_row(
                row.line,
                "voivodeship",
                Msg::new("err.terc_no_voivodeship").arg("code", &row.woj),
            );
            continue;
        };
        if row.nazwa.is_empty() {
            errors.add_row(row.line, "name", "err.required");
            continue;
        }
        gminy.push(GminaRecord {
            kind: teryt.kind(),
            teryt,
            name: row.nazwa.clone(),
            powiat,
            powiat_kind,
            voivodeship,
        });
        if errors.0.len() >= MAX_ERRORS {
            break;
        }
    }
    finish(gminy, as_of, errors)
}

/// The project's own layout: `teryt_code,name,type,type_short,powiat,powiat_kind,voivodeship,…`.
fn parse_project_csv(text: &str) -> Result<Register, ValidationErrors> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut errors = ValidationErrors::new();
    let headers = match reader.headers() {
        Ok(h) => h.clone(),
        Err(_) => {
            errors.add("file", "err.terc_format");
            return Err(errors);
        }
    };
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(code_col), Some(name_col), Some(powiat_col), Some(kind_col), Some(voiv_col)) = (
        column("teryt_code"),
        column("name"),
        column("powiat"),
        column("powiat_kind"),
        column("voivodeship"),
    ) else {
        errors.add("file", "err.terc_format");
        return Err(errors);
    };
    let mut gminy = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let Ok(record) = record else {
            errors.add_row(line, "file", "err.csv_row");
            continue;
        };
        let get = |i: usize| record.get(i).unwrap_or("").trim().to_owned();
        let teryt = match Teryt::parse(&get(code_col)) {
            Ok(t) => t,
            Err(key) => {
                errors.add_row(
                    line,
                    "teryt_code",
                    Msg::new(key).arg("value", get(code_col)),
                );
                continue;
            }
        };
        let (name, powiat, voivodeship) = (get(name_col), get(powiat_col), get(voiv_col));
        for (field, value) in [
            ("name", &name),
            ("powiat", &powiat),
            ("voivodeship", &voivodeship),
        ] {
            if value.is_empty() {
                errors.add_row(line, field, "err.required");
            }
        }
        if !name.is_empty() && !powiat.is_empty() && !voivodeship.is_empty() {
            gminy.push(GminaRecord {
                kind: teryt.kind(),
                teryt,
                name,
                powiat,
                powiat_kind: get(kind_col),
                voivodeship,
            });
        }
        if errors.0.len() >= MAX_ERRORS {
            break;
        }
    }
    finish(gminy, None, errors)
}

fn finish(
    gminy: Vec<GminaRecord>,
    as_of: Option<NaiveDate>,
    mut errors: ValidationErrors,
) -> Result<Register, ValidationErrors> {
    let mut seen = std::collections::HashSet::new();
    for g in &gminy {
        if !seen.insert(g.teryt.as_str()) {
            errors.add(
                "teryt",
                Msg::new("err.terc_duplicate").arg("code", g.teryt.as_str()),
            );
        }
    }
    if gminy.is_empty() && errors.is_empty() {
        errors.add("file", "err.terc_empty");
    }
    if errors.is_empty() {
        Ok(Register { gminy, as_of })
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TERC_CSV: &str = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\r\n\
        30;;;;WIELKOPOLSKIE;województwo;2025-01-01\r\n\
        30;26;;;śremski;powiat;2025-01-01\r\n\
        30;26;04;3;Śrem;gmina miejsko-wiejska;2025-01-01\r\n\
        30;26;04;4;Śrem;miasto;2025-01-01\r\n\
        30;26;04;5;Śrem;obszar wiejski;2025-01-01\r\n\
        30;63;;;Leszno;miasto na prawach powiatu;2025-01-01\r\n\
        30;63;01;1;Leszno;gmina miejska;2025-01-01\r\n";

    #[test]
    fn reads_the_gus_terc_csv() {
        let register = parse(TERC_CSV.as_bytes()).unwrap();
        assert_eq!(register.as_of, NaiveDate::from_ymd_opt(2025, 1, 1));
        assert_eq!(register.gminy.len(), 2);
        let srem = &register.gminy[0];
        assert_eq!(
            (srem.teryt.as_str(), srem.name.as_str()),
            ("3026043", "Śrem")
        );
        assert_eq!(
            (srem.powiat.as_str(), srem.voivodeship.as_str()),
            ("śremski", "wielkopolskie")
        );
        assert_eq!(srem.kind, GminaKind::UrbanRural);
        assert_eq!(register.gminy[1].powiat_kind, "miasto na prawach powiatu");
    }

    #[test]
    fn reads_windows_1250_with_bom_free_text() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1250.encode(TERC_CSV);
        let register = parse(&bytes).unwrap();
        assert_eq!(register.gminy[0].name, "Śrem");
        assert_eq!(register.gminy[0].powiat, "śremski");
    }

    #[test]
    fn reads_the_gus_terc_xml() {
        let xml = "\u{feff}<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<teryt><catalog name=\"TERC\">\n\
            <row><WOJ>30</WOJ><POW/><GMI/><RODZ/><NAZWA>WIELKOPOLSKIE</NAZWA><NAZWA_DOD>województwo</NAZWA_DOD><STAN_NA>2025-01-01</STAN_NA></row>\n\
            <row><WOJ>30</WOJ><POW>03</POW><GMI/><RODZ/><NAZWA>gnieźnieński</NAZWA><NAZWA_DOD>powiat</NAZWA_DOD><STAN_NA>2025-01-01</STAN_NA></row>\n\
            <row><WOJ>30</WOJ><POW>03</POW><GMI>01</GMI><RODZ>1</RODZ><NAZWA>Gniezno</NAZWA><NAZWA_DOD>gmina miejska</NAZWA_DOD><STAN_NA>2025-01-01</STAN_NA></row>\n\
            <row><WOJ>30</WOJ><POW>03</POW><GMI>03</GMI><RODZ>2</RODZ><NAZWA>Gniezno &amp; okolice</NAZWA><NAZWA_DOD>gmina wiejska</NAZWA_DOD><STAN_NA>2025-01-01</STAN_NA></row>\n\
            </catalog></teryt>";
        let register = parse(xml.as_bytes()).unwrap();
        let codes: Vec<&str> = register.gminy.iter().map(|g| g.teryt.as_str()).collect();
        assert_eq!(codes, ["3003011", "3003032"]);
        assert_eq!(register.gminy[1].name, "Gniezno & okolice");
        assert_eq!(register.gminy[0].powiat, "gnieźnieński");
    }

    #[test]
    fn reads_the_projects_own_reference_file() {
        let register = parse(include_bytes!("../../data/gminy.csv")).unwrap();
        assert_eq!(register.gminy.len(), 2477);
        assert_eq!(register.voivodeships().len(), 16);
        let srem = register
            .gminy
            .iter()
            .find(|g| g.teryt.as_str() == "3026043")
            .unwrap();
        assert_eq!(
            (srem.name.as_str(), srem.powiat.as_str()),
            ("Śrem", "śremski")
        );
    }

    #[test]
    fn reports_faulty_rows_with_line_numbers() {
        let text = "WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA\n\
            30;;;;WIELKOPOLSKIE;województwo;2025-01-01\n\
            30;26;04;3;Śrem;gmina miejsko-wiejska;2025-01-01\n\
            30;2X;01;1;Zła;gmina miejska;2025-01-01\n";
        let errors = parse(text.as_bytes()).unwrap_err();
        let rows: Vec<Option<usize>> = errors.0.iter().map(|e| e.row).collect();
        assert_eq!(rows, [Some(3), Some(4)]);
        assert_eq!(errors.0[0].message.key, "err.terc_no_powiat");
        assert_eq!(errors.0[1].message.key, "err.teryt_format");
    }

    #[test]
    fn rejects_unknown_layouts() {
        let errors = parse(b"a,b,c\n1,2,3\n").unwrap_err();
        assert_eq!(errors.0[0].message.key, "err.terc_format");
    }
}
