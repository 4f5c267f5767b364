//! The printable attendance list (lista obecności) that funders require as proof: A4 portrait,
//! a header on every page (programme, funder acknowledgement, the activity's details, page number),
//! a numbered table with an empty signature box per person, and the trainer's signature line at
//! the end. Text is set in DejaVu Sans, subset and embedded, so Polish prints and extracts right.

use super::canvas::{Canvas, Document, mm, pt};
use super::fonts::{Face, fonts};

/// One person on the list.
pub struct SheetRow {
    pub name: String,
    pub gmina: String,
    pub group: String,
}

/// Everything the list shows, already formatted for reading.
pub struct AttendanceSheet {
    pub programme: String,
    /// The funder's acknowledgement (may be long or empty).
    pub acknowledgement: String,
    pub cohort: String,
    pub title: String,
    pub kind: String,
    /// `niedziela, 31 października 2027, 10:00–15:00`.
    pub date: String,
    pub hours: String,
    pub place: String,
    pub trainers: String,
    pub rows: Vec<SheetRow>,
}

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 15.0;
const TOP: f32 = PAGE_H - 14.0;
const BOTTOM: f32 = 16.0;
const ROW_H: f32 = 9.5;
const HEAD_ROW_H: f32 = 7.5;
/// Space the trainer's signature block needs below the table.
const SIGNATURE_H: f32 = 24.0;
/// Column widths (mm): number, name, gmina, group, signature.
const COLUMNS: [f32; 5] = [11.0, 62.0, 36.0, 33.0, 38.0];
const HEADINGS: [&str; 5] = ["Lp.", "Imię i nazwisko", "Gmina", "Grupa", "Podpis"];

/// The header's lines, laid out once (they are the same on every page).
struct Header {
    acknowledgement: Vec<String>,
    title: Vec<String>,
    facts: Vec<(&'static str, Vec<String>)>,
}

const ACK_SIZE: f32 = 7.5;
const FACT_SIZE: f32 = 9.0;
const LABEL_W: f32 = 30.0;

impl Header {
    fn new(sheet: &AttendanceSheet) -> Header {
        let f = fonts();
        let width = pt(PAGE_W - 2.0 * MARGIN);
        let acknowledgement = f
            .regular
            .wrap_at_most(&sheet.acknowledgement, ACK_SIZE, width, 4);
        let title = f.bold.wrap_at_most(&sheet.title, 12.0, width, 2);
        let value_w = pt(PAGE_W - 2.0 * MARGIN - LABEL_W);
        let mut facts = Vec::new();
        for (label, value) in [
            ("Rodzaj zajęć:", &sheet.kind),
            ("Data:", &sheet.date),
            ("Liczba godzin:", &sheet.hours),
            ("Miejsce:", &sheet.place),
            ("Prowadzący:", &sheet.trainers),
            ("Edycja:", &sheet.cohort),
        ] {
            let mut lines = f.regular.wrap_at_most(value, FACT_SIZE, value_w, 2);
            if lines.is_empty() {
                lines.push("—".to_owned());
            }
            facts.push((label, lines));
        }
        Header {
            acknowledgement,
            title,
            facts,
        }
    }

    /// Draws the header of page `page` of `pages`; returns the y where the table starts.
    fn draw(&self, c: &mut Canvas<'_>, sheet: &AttendanceSheet, page: usize, pages: usize) -> f32 {
        let f = fonts();
        let right = PAGE_W - MARGIN;
        let mut y = TOP;
        c.text(MARGIN, y, "LISTA OBECNOŚCI", 14.0, true);
        let number = format!("Strona {page} z {pages}");
        c.text_right(right, y, &number, 8.5, false);
        y -= 6.0;
        let programme = f
            .bold
            .fit(&sheet.programme, 10.0, pt(PAGE_W - 2.0 * MARGIN));
        c.text(MARGIN, y, &programme, 10.0, true);
        for line in &self.acknowledgement {
            y -= 3.6;
            c.text(MARGIN, y, line, ACK_SIZE, false);
        }
        y -= 3.0;
        c.line(MARGIN, y, right, y, 0.6);
        for line in &self.title {
            y -= 6.0;
            c.text(MARGIN, y, line, 12.0, true);
        }
        y -= 1.5;
        for (label, lines) in &self.facts {
            for (i, line) in lines.iter().enumerate() {
                y -= 4.6;
                if i == 0 {
                    c.text(MARGIN, y, label, FACT_SIZE, true);
                }
                c.text(MARGIN + LABEL_W, y, line, FACT_SIZE, false);
            }
        }
        y - 4.0
    }
}

/// Draws the table's heading row with its top at `y`; returns the y below it.
fn table_head(c: &mut Canvas<'_>, y: f32) -> f32 {
    let width: f32 = COLUMNS.iter().sum();
    c.shade(MARGIN, y - HEAD_ROW_H, width, HEAD_ROW_H);
    c.line(MARGIN, y, MARGIN + width, y, 0.8);
    let mut x = MARGIN;
    for (heading, w) in HEADINGS.iter().zip(COLUMNS) {
        c.text(x + CELL_PAD, y - HEAD_ROW_H + 2.4, heading, 8.5, true);
        x += w;
    }
    let bottom = y - HEAD_ROW_H;
    c.line(MARGIN, bottom, MARGIN + width, bottom, 0.8);
    bottom
}

/// Text sizes (pt) of the number, name, gmina and group cells, and the least each may shrink to.
const CELL_SIZES: [(f32, f32); 4] = [(9.0, 7.0), (9.0, 7.0), (9.0, 7.0), (8.0, 6.5)];
/// Space (mm) between a cell's rule and its text, on each side.
const CELL_PAD: f32 = 1.5;

/// What cell `column` shows of `text` and at what size: smaller type first, then cut with "…",
/// so nothing runs into the next column.
fn cell(column: usize, text: &str) -> (String, f32) {
    let (size, min) = CELL_SIZES[column];
    let room = pt(COLUMNS[column] - 2.0 * CELL_PAD);
    fonts().regular.fit_shrinking(text, size, min, room)
}

/// Draws one person's row with its top at `y`.
fn table_row(c: &mut Canvas<'_>, y: f32, number: usize, row: &SheetRow) {
    let cells = [&format!("{number}."), &row.name, &row.gmina, &row.group];
    let baseline = y - ROW_H + 3.4;
    let mut x = MARGIN;
    for (column, text) in cells.into_iter().enumerate() {
        let (shown, size) = cell(column, text);
        c.text(x + CELL_PAD, baseline, &shown, size, false);
        x += COLUMNS[column];
    }
    let width: f32 = COLUMNS.iter().sum();
    c.line(MARGIN, y - ROW_H, MARGIN + width, y - ROW_H, 0.4);
}

/// The vertical rules of the table between `top` and `bottom`.
fn table_rules(c: &mut Canvas<'_>, top: f32, bottom: f32) {
    let mut x = MARGIN;
    c.line(x, top, x, bottom, 0.6);
    for w in COLUMNS {
        x += w;
        c.line(x, top, x, bottom, 0.6);
    }
}

fn signature(c: &mut Canvas<'_>, y: f32) {
    let f: &Face = &fonts().regular;
    let label = "Podpis prowadzącego:";
    let y = y - 14.0;
    c.text(MARGIN, y, label, 9.0, false);
    let start = MARGIN + mm(f.width(label, 9.0)) + 3.0;
    c.line(start, y - 0.8, start + 75.0, y - 0.8, 0.5);
    c.text(
        MARGIN,
        y - 6.0,
        "Podpisując listę, uczestnik potwierdza obecność na zajęciach.",
        7.5,
        false,
    );
}

/// How many rows go on each page: `per_page` on full pages, at most `beside_signature` on the
/// last one so the trainer's signature fits under the table. When it would not, the last row
/// moves over with the signature: a signature alone on a page could be taken off the list.
fn paginate(rows: usize, per_page: usize, beside_signature: usize) -> Vec<usize> {
    let mut pages = vec![per_page; rows / per_page];
    let rest = rows % per_page;
    if rest > 0 || pages.is_empty() {
        pages.push(rest);
    }
    let last = pages.len() - 1;
    if pages[last] > beside_signature {
        pages[last] -= 1;
        pages.push(1);
    }
    pages
}

/// Renders the list as a PDF.
pub fn attendance_list(sheet: &AttendanceSheet) -> anyhow::Result<Vec<u8>> {
    let header = Header::new(sheet);
    let doc = Document::new(&sheet.title);

    // Lay out once to learn where the table starts and how many rows fit on a page.
    let mut probe = doc.canvas();
    let table_top = header.draw(&mut probe, sheet, 1, 1);
    let room = table_top - HEAD_ROW_H - BOTTOM;
    let per_page = ((room / ROW_H).floor() as usize).max(1);
    let beside_signature = (((room - SIGNATURE_H + 6.0) / ROW_H).floor() as usize).max(1);
    let chunks = paginate(sheet.rows.len(), per_page, beside_signature);
    let pages = chunks.len();

    let mut out = Vec::with_capacity(pages);
    let mut first = 0;
    for (page, count) in chunks.into_iter().enumerate() {
        let mut c = doc.canvas();
        let top = header.draw(&mut c, sheet, page + 1, pages);
        let mut y = table_head(&mut c, top);
        for (i, row) in sheet.rows[first..first + count].iter().enumerate() {
            table_row(&mut c, y, first + i + 1, row);
            y -= ROW_H;
        }
        first += count;
        if sheet.rows.is_empty() {
            c.text(
                MARGIN + CELL_PAD,
                y - 6.0,
                "Brak osób na liście.",
                9.0,
                false,
            );
            y -= ROW_H;
            let width: f32 = COLUMNS.iter().sum();
            c.line(MARGIN, y, MARGIN + width, y, 0.4);
        } else {
            table_rules(&mut c, top, y);
        }
        if page + 1 == pages {
            signature(&mut c, y);
        }
        out.push(c.page(PAGE_W, PAGE_H));
    }
    doc.save(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: [&str; 6] = [
        "Małgorzata Żółkiewska-Łęcka",
        "Grzegorz Brzęczyszczykiewicz",
        "Łucja Ćwiek",
        "Zdzisław Ślęzak",
        "Anna Nowak-Jeziorańska",
        "Paweł Pająk",
    ];

    fn sheet(rows: usize) -> AttendanceSheet {
        AttendanceSheet {
            programme: "WARNiK – Wielkopolska Akademia Rzecznictwa NGO i Kooperacji".into(),
            acknowledgement: "Projekt realizowany w ramach programu Aktywni Obywatele – Fundusz \
                              Regionalny, finansowanego przez Islandię, Liechtenstein i Norwegię \
                              ze środków Funduszy EOG."
                .into(),
            cohort: "Edycja 2027".into(),
            title: "Wizyta studyjna: CAL Żółkiewka".into(),
            kind: "Wizyta studyjna".into(),
            date: "niedziela, 31 października 2027, 10:00–15:00".into(),
            hours: "6,67 godz. dyd. (po 45 min)".into(),
            place: "Centrum Aktywności Lokalnej, Żółkiewka".into(),
            trainers: "Anna Rzecznicka".into(),
            rows: (0..rows)
                .map(|i| SheetRow {
                    name: format!("{} {i}", NAMES[i % NAMES.len()]),
                    gmina: ["Śrem", "Żółkiewka"][i % 2].into(),
                    group: "ONW".into(),
                })
                .collect(),
        }
    }

    fn text_of(pdf: &[u8]) -> (String, usize) {
        let pages = pdf_extract::extract_text_from_mem_by_pages(pdf).expect("text extracts");
        (pages.concat(), pages.len())
    }

    #[test]
    fn two_hundred_people_span_pages_with_every_name_extractable() {
        let pdf = attendance_list(&sheet(200)).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(
            pdf.len() < 150 * 1024,
            "subset fonts keep it small: {} bytes",
            pdf.len()
        );
        let (text, pages) = text_of(&pdf);
        assert!(pages > 1, "{pages} pages");
        for name in NAMES {
            assert!(text.contains(name), "{name} in the text");
        }
        assert!(text.contains("199"), "the last row's name");
        assert!(text.contains("LISTA OBECNOŚCI"));
        assert!(text.contains(&format!("Strona 1 z {pages}")));
        assert!(text.contains(&format!("Strona {pages} z {pages}")));
        assert_eq!(
            text.matches("Imię i nazwisko").count(),
            pages,
            "the table head on every page"
        );
        assert_eq!(
            text.matches("Wizyta studyjna: CAL Żółkiewka").count(),
            pages,
            "the header on every page"
        );
        assert!(text.contains("Podpis prowadzącego"));
    }

    #[test]
    fn an_empty_roster_is_one_valid_page() {
        let pdf = attendance_list(&sheet(0)).unwrap();
        let (text, pages) = text_of(&pdf);
        assert_eq!(pages, 1);
        assert!(text.contains("Brak osób na liście."));
    }

    #[test]
    fn long_text_shrinks_or_is_cut_to_its_column() {
        let long = "Aleksandra Konstantynopolitańczykiewiczówna-Brzęczyszczykiewicz";
        let f = &fonts().regular;
        for (column, width) in COLUMNS.into_iter().enumerate().take(4) {
            let room = pt(width - 2.0 * CELL_PAD);
            let (shown, size) = cell(column, long);
            assert!(
                f.width(&shown, size) <= room,
                "{shown} at {size} pt in column {column}"
            );
            assert!(shown.ends_with('…'), "{shown}");
        }
        // The longest start of a group label that fits the column only in smaller type.
        let room = pt(COLUMNS[3] - 2.0 * CELL_PAD);
        let label = "osoba narażona na wykluczenie (ONW)";
        let squeezed = (1..=label.chars().count())
            .map(|n| label.chars().take(n).collect::<String>())
            .take_while(|s| f.width(s, CELL_SIZES[3].1) <= room)
            .last()
            .unwrap();
        assert!(f.width(&squeezed, CELL_SIZES[3].0) > room, "{squeezed}");
        let (shown, size) = cell(3, &squeezed);
        assert_eq!(shown, squeezed, "shrunk, not cut");
        assert!(size < CELL_SIZES[3].0 && f.width(&shown, size) <= room);

        let mut s = sheet(1);
        s.rows[0].name = long.into();
        let pdf = attendance_list(&s).unwrap();
        let (text, _) = text_of(&pdf);
        assert!(text.contains("Aleksandra Konstantynopolita"), "{text}");
        assert!(
            !text.contains("Brzęczyszczykiewicz"),
            "cut to fit the column"
        );
    }

    #[test]
    fn the_signature_never_stands_alone_on_a_page() {
        assert_eq!(paginate(0, 21, 18), [0]);
        assert_eq!(paginate(5, 21, 18), [5]);
        assert_eq!(paginate(18, 21, 18), [18]);
        assert_eq!(paginate(20, 21, 18), [19, 1]);
        assert_eq!(paginate(21, 21, 18), [20, 1]);
        assert_eq!(paginate(42, 21, 18), [21, 20, 1]);
        assert_eq!(paginate(45, 21, 18), [21, 21, 3]);
        for rows in 0..80 {
            let pages = paginate(rows, 21, 18);
            assert_eq!(pages.iter().sum::<usize>(), rows);
            assert!(pages.iter().all(|&n| n <= 21));
            assert!(*pages.last().unwrap() <= 18 && (rows == 0 || *pages.last().unwrap() > 0));
        }
    }
}
