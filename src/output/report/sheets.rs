//! The report as a CSV and an XLSX workbook for Excel: every table under its title, numbers
//! as numbers.

use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook};

use super::{Cell, sections};
use crate::domain::report::Report;
use crate::i18n::{Lang, t};

/// A CSV writer as Polish Excel reads it: semicolons, CRLF; rows of different lengths.
fn writer(out: &mut Vec<u8>) -> ::csv::Writer<&mut Vec<u8>> {
    ::csv::WriterBuilder::new()
        .delimiter(b';')
        .terminator(::csv::Terminator::CRLF)
        .flexible(true)
        .from_writer(out)
}

/// The report as CSV that Polish Excel opens right (UTF-8 with a BOM, semicolons, CRLF): a
/// title row, then each table under its title with its header row, a blank row between.
pub fn csv(report: &Report, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    let mut w = writer(&mut out);
    w.write_record([t(lang, "results.title"), report.scope.programme.clone()])?;
    w.flush()?;
    drop(w);
    for section in sections(report, lang) {
        for table in section.tables {
            // A blank line between tables (a record of one empty field would read `""`).
            out.extend_from_slice(b"\r\n");
            let mut w = writer(&mut out);
            w.write_record([format!("{} – {}", section.title, table.title)])?;
            w.write_record(&table.headers)?;
            for row in table.rows.iter().chain(&table.total) {
                w.write_record(row.iter().map(|c| c.csv(lang)))?;
            }
            w.flush()?;
        }
    }
    Ok(out)
}

/// The cell formats of a workbook in one language.
struct Styles {
    title: Format,
    head: Format,
    head_number: Format,
    text: Format,
    count: Format,
    hidden: Format,
    hours: Format,
    rate: Format,
    change: Format,
    money: Format,
    date: Format,
}

impl Styles {
    fn new(lang: Lang) -> Styles {
        let shade = Color::RGB(0xEBEDF0);
        let head = Format::new()
            .set_bold()
            .set_background_color(shade)
            .set_border_bottom(FormatBorder::Thin)
            .set_text_wrap();
        let (money, date) = match lang {
            Lang::Pl => ("#,##0.00\\ \"zł\"", "dd.mm.yyyy"),
            Lang::En => ("\"PLN \"#,##0.00", "yyyy-mm-dd"),
        };
        Styles {
            title: Format::new().set_bold().set_font_size(13),
            head_number: head.clone().set_align(FormatAlign::Right),
            head,
            text: Format::new().set_text_wrap(),
            count: Format::new().set_num_format("#,##0"),
            hidden: Format::new().set_align(FormatAlign::Right),
            hours: Format::new().set_num_format("#,##0.##"),
            rate: Format::new().set_num_format("0%"),
            change: Format::new().set_num_format("+0.00;-0.00;0.00"),
            money: Format::new().set_num_format(money),
            date: Format::new()
                .set_num_format(date)
                .set_align(FormatAlign::Left),
        }
    }
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(title: &str) -> String {
    title
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

/// The report as a workbook: one sheet per section, each table under its bold title, numbers
/// as numbers (hidden small counts as the text "<3"), widths fitted to the content.
pub fn xlsx(report: &Report, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let styles = Styles::new(lang);
    let bold = |f: &Format| f.clone().set_bold();
    let mut book = Workbook::new();
    for section in sections(report, lang) {
        let ws = book.add_worksheet();
        ws.set_name(sheet_name(&section.title))?;
        let mut widths: Vec<usize> = Vec::new();
        let mut widen = |col: usize, text: &str| {
            if widths.len() <= col {
                widths.resize(col + 1, 8);
            }
            widths[col] = widths[col].max(text.chars().count() + 2);
        };
        let single = section.tables.len() == 1;
        let mut r: u32 = 0;
        for table in &section.tables {
            ws.write_string_with_format(r, 0, &table.title, &styles.title)?;
            r += 1;
            let numeric: Vec<bool> = (0..table.headers.len())
                .map(|col| table.rows.iter().any(|row| row[col].numeric()))
                .collect();
            for (col, head) in table.headers.iter().enumerate() {
                let format = if numeric[col] {
                    &styles.head_number
                } else {
                    &styles.head
                };
                ws.write_string_with_format(r, u16::try_from(col)?, head, format)?;
                widen(col, head);
            }
            let head_row = r;
            r += 1;
            for (i, row) in table.rows.iter().chain(&table.total).enumerate() {
                let is_total = i == table.rows.len();
                for (col, cell) in row.iter().enumerate() {
                    let c = u16::try_from(col)?;
                    let pick = |f: &Format| if is_total { bold(f) } else { f.clone() };
                    match cell {
                        Cell::Count(n) => {
                            ws.write_number_with_format(r, c, *n as f64, &pick(&styles.count))?
                        }
                        Cell::Hours(h) => {
                            ws.write_number_with_format(r, c, *h, &pick(&styles.hours))?
                        }
                        Cell::Rate(Some(x)) => {
                            ws.write_number_with_format(r, c, *x, &pick(&styles.rate))?
                        }
                        Cell::Money(m) => {
                            ws.write_number_with_format(r, c, *m, &pick(&styles.money))?
                        }
                        Cell::Date(d) => {
                            let day = ExcelDateTime::from_ymd(
                                u16::try_from(chrono::Datelike::year(d))?,
                                u8::try_from(chrono::Datelike::month(d))?,
                                u8::try_from(chrono::Datelike::day(d))?,
                            )?;
                            ws.write_datetime_with_format(r, c, &day, &pick(&styles.date))?
                        }
                        Cell::Decimal(Some(x)) => {
                            ws.write_number_with_format(r, c, *x, &pick(&styles.hours))?
                        }
                        Cell::Change(Some(x)) => {
                            ws.write_number_with_format(r, c, *x, &pick(&styles.change))?
                        }
                        Cell::Hidden(_)
                        | Cell::Rate(None)
                        | Cell::Decimal(None)
                        | Cell::Change(None) => ws.write_string_with_format(
                            r,
                            c,
                            cell.text(lang),
                            &pick(&styles.hidden),
                        )?,
                        Cell::Text(_) | Cell::Flag(_) => {
                            let text = cell.text(lang);
                            if text.is_empty() {
                                continue;
                            }
                            ws.write_string_with_format(r, c, &text, &pick(&styles.text))?
                        }
                    };
                    widen(col, &cell.text(lang));
                }
                r += 1;
            }
            if single && !table.rows.is_empty() {
                ws.set_freeze_panes(head_row + 1, 0)?;
                let last = u16::try_from(table.headers.len().saturating_sub(1))?;
                ws.autofilter(head_row, 0, r - 1, last)?;
            }
            r += 1;
        }
        for (col, w) in widths.iter().enumerate() {
            ws.set_column_width(u16::try_from(col)?, (*w).min(60) as f64)?;
        }
    }
    Ok(book.save_to_buffer()?)
}

#[cfg(test)]
mod tests {
    use super::super::sample::{PROGRAMME, sample};
    use super::*;

    fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
        assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        assert!(text.contains("\r\n"));
        ::csv::ReaderBuilder::new()
            .delimiter(b';')
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_owned).collect())
            .collect()
    }

    fn find<'a>(rows: &'a [Vec<String>], first: &str) -> &'a Vec<String> {
        rows.iter()
            .find(|r| r.first().is_some_and(|c| c == first))
            .unwrap_or_else(|| panic!("a row starting with {first}"))
    }

    #[test]
    fn csv_parses_with_semicolons_in_both_languages() {
        let rows = csv_rows(&csv(&sample(), Lang::Pl).unwrap());
        assert!(rows.len() > 5);
        assert_eq!(rows[0], ["Raport rezultatów", PROGRAMME]);
        assert_eq!(find(&rows, "osoba narażona na wykluczenie (ONW)")[1], "<3");
        let task = rows.iter().find(|r| r[0] == "Śrem" && r.len() == 10);
        assert_eq!(task.unwrap()[1], "Klub seniora „Złota jesień” w Śremie");
        let gmina = rows
            .iter()
            .find(|r| r.get(1).is_some_and(|c| c == "3026052"))
            .unwrap();
        assert_eq!(
            gmina[..],
            ["Śrem", "3026052", "śremski", "7", "7", "<3", "tak", "2"]
        );
        assert_eq!(find(&rows, "Kwota zleconych zadań")[1], "84393,00");
        assert_eq!(find(&rows, "Frekwencja ogółem")[1], "87%");
        assert_eq!(find(&rows, "Godziny obecności")[1], "1262,5");

        let rows = csv_rows(&csv(&sample(), Lang::En).unwrap());
        assert_eq!(rows[0], ["Results report", PROGRAMME]);
        assert_eq!(find(&rows, "person at risk of exclusion")[1], "<3");
        assert_eq!(find(&rows, "Amount of commissioned tasks")[1], "84393.00");
        let task = rows
            .iter()
            .find(|r| r[0] == "Śrem" && r.len() == 10)
            .unwrap();
        assert_eq!(task[6], "2022-09-01");
        assert_eq!(task[9], "seniors, integration of residents");
    }

    fn sheets(bytes: Vec<u8>) -> Vec<(String, Vec<Vec<calamine::Data>>)> {
        use calamine::{Reader, Xlsx};
        let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).expect("an XLSX file");
        book.sheet_names()
            .into_iter()
            .map(|name| {
                let range = book.worksheet_range(&name).expect("a sheet");
                (name, range.rows().map(<[calamine::Data]>::to_vec).collect())
            })
            .collect()
    }

    #[test]
    fn xlsx_has_a_sheet_per_section_with_numbers_as_numbers() {
        use calamine::Data;
        let book = sheets(xlsx(&sample(), Lang::Pl).unwrap());
        let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Podsumowanie",
                "Uczestnicy",
                "Gminy",
                "Zajęcia",
                "Frekwencja",
                "Zadania – podsumowanie",
                "Zadania – lista",
                "Kompetencje",
                "Wskaźniki"
            ]
        );
        let row = |sheet: usize, first: &str| {
            book[sheet]
                .1
                .iter()
                .find(|r| r.first().is_some_and(|c| *c == first))
                .unwrap_or_else(|| panic!("{first} in sheet {sheet}"))
                .clone()
        };
        assert_eq!(row(0, "Uczestnicy (razem)")[1], Data::Float(29.0));
        assert_eq!(row(0, "Kwota zleconych zadań")[1], Data::Float(84393.0));
        assert_eq!(row(0, "Frekwencja ogółem")[1], Data::Float(0.8765));
        assert_eq!(
            row(1, "osoba narażona na wykluczenie (ONW)")[1],
            Data::String("<3".into())
        );
        let srem = row(2, "Śrem");
        assert_eq!(srem[1], Data::String("3026052".into()), "TERYT stays text");
        assert_eq!(srem[5], Data::String("<3".into()));
        assert_eq!(srem[7], Data::Float(2.0));
        assert_eq!(row(3, "Wizyta studyjna")[2], Data::Float(13.33));
        let ngo = row(7, "osoba z NGO");
        assert_eq!(ngo[1], Data::Float(11.0));
        assert_eq!(ngo[2], Data::Float(2.74));
        assert_eq!(ngo[5], Data::Float(8.0 / 11.0));
        let at_risk = row(7, "osoba narażona na wykluczenie (ONW)");
        assert_eq!(at_risk[1], Data::String("<3".into()));
        assert_eq!(
            at_risk[2],
            Data::String("—".into()),
            "no mean of a hidden group"
        );
        let indicator = row(8, "Gminy zlecające nowe zadania");
        assert_eq!(indicator[3], Data::Float(8.0));
        assert_eq!(indicator[4], Data::Float(1.0));
        assert_eq!(indicator[5], Data::Float(0.125));
        let task = row(6, "Śrem");
        assert_eq!(
            task[1],
            Data::String("Klub seniora „Złota jesień” w Śremie".into())
        );
        assert!(matches!(task[6], Data::DateTime(_)), "{:?}", task[6]);

        let book = sheets(xlsx(&sample(), Lang::En).unwrap());
        assert_eq!(book[0].0, "Summary");
        assert_eq!(book[6].0, "Tasks – list");
        let heads = &book[2].1[1];
        assert_eq!(heads[0], Data::String("Gmina".into()));
        assert_eq!(heads[7], Data::String("New tasks".into()));
    }
}
