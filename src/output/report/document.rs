//! The results report as an A4 portrait PDF: the title and scope, the key figures in boxes, two
//! bar charts, then every table of the report, long ones continued on the next page under their
//! repeated title and heading row, with "Strona N z M" on every page.

use super::{Cell, KeyFigure, Table, hours, kind_label, percent, whole_percent};
use super::{GROUPS, KINDS, key_figures, scope_facts, scope_name, suppression_note};
use crate::domain::report::Report;
use crate::i18n::{Lang, t, tf};
use crate::output::canvas::{Canvas, Colour, Document, mm, pt};
use crate::output::fonts::{Face, fonts};

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN: f32 = 15.0;
const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;
const TOP: f32 = PAGE_H - 16.0;
/// Where the running head leaves room on pages after the first.
const TOP_AFTER_HEAD: f32 = PAGE_H - 22.0;
const BOTTOM: f32 = 18.0;

const INK: Colour = Colour(0.11, 0.12, 0.14);
const MUTED: Colour = Colour(0.30, 0.33, 0.37);
/// The brand green of the web pages (7.6:1 on white).
const ACCENT: Colour = Colour(0.043, 0.365, 0.294);
const RULE: Colour = Colour(0.70, 0.74, 0.79);
const MARKER: Colour = Colour(0.64, 0.14, 0.10);

const CELL_SIZE: f32 = 8.5;
const CELL_PAD: f32 = 1.5;

/// Pages being filled top to bottom.
struct Pager<'a> {
    doc: &'a Document,
    pages: Vec<Canvas<'a>>,
    y: f32,
}

impl<'a> Pager<'a> {
    fn new(doc: &'a Document) -> Pager<'a> {
        let mut pager = Pager {
            doc,
            pages: Vec::new(),
            y: TOP,
        };
        pager.new_page();
        pager.y = TOP;
        pager
    }

    fn c(&mut self) -> &mut Canvas<'a> {
        self.pages.last_mut().expect("a page")
    }

    fn new_page(&mut self) {
        let mut c = self.doc.canvas();
        c.fill_colour(INK);
        self.pages.push(c);
        self.y = TOP_AFTER_HEAD;
    }

    /// Starts a new page unless `height` fits below the current position; true when it did.
    fn need(&mut self, height: f32) -> bool {
        if self.y - height < BOTTOM {
            self.new_page();
            true
        } else {
            false
        }
    }

    /// Draws the running head and the page numbers, and hands over the pages.
    fn finish(self, head: &str, foot: &str, lang: Lang) -> Vec<printpdf::PdfPage> {
        let f = fonts();
        let count = self.pages.len();
        let mut out = Vec::with_capacity(count);
        for (i, mut c) in self.pages.into_iter().enumerate() {
            c.fill_colour(MUTED);
            c.stroke_colour(RULE);
            if i > 0 {
                let shown = f.regular.fit(head, 8.0, pt(WIDTH));
                c.text(MARGIN, PAGE_H - 12.0, &shown, 8.0, false);
                c.line(MARGIN, PAGE_H - 14.0, PAGE_W - MARGIN, PAGE_H - 14.0, 0.4);
            }
            c.line(MARGIN, 13.0, PAGE_W - MARGIN, 13.0, 0.4);
            let number = tf(
                lang,
                "results.page",
                &[("page", (i + 1).to_string()), ("pages", count.to_string())],
            );
            c.text_right(PAGE_W - MARGIN, 9.0, &number, 8.0, false);
            let room = pt(WIDTH) - f.regular.width(&number, 8.0) - pt(6.0);
            c.text(MARGIN, 9.0, &f.regular.fit(foot, 8.0, room), 8.0, false);
            out.push(c.page(PAGE_W, PAGE_H));
        }
        out
    }
}

/// Renders the report as a PDF.
pub fn pdf(report: &Report, lang: Lang) -> anyhow::Result<Vec<u8>> {
    let title = t(lang, "results.title");
    let doc = Document::new(&format!("{title} – {}", report.scope.programme));
    let mut p = Pager::new(&doc);
    heading(&mut p, report, lang, &title);
    figures(&mut p, &key_figures(report, lang));
    charts(&mut p, report, lang);
    for section in super::sections(report, lang).into_iter().skip(1) {
        for table in &section.tables {
            if table.id == "tasks" {
                draw_table(&mut p, &super::task_summary_table(report, lang), lang);
            } else {
                draw_table(&mut p, table, lang);
            }
        }
    }
    let head = format!("{title} · {}", report.scope.programme);
    let foot = format!("{} · {}", report.scope.programme, scope_name(report, lang));
    let pages = p.finish(&head, &foot, lang);
    doc.save(pages)
}

fn heading(p: &mut Pager<'_>, report: &Report, lang: Lang, title: &str) {
    let f = fonts();
    let mut y = p.y;
    let c = p.c();
    c.fill_colour(ACCENT);
    c.text(MARGIN, y, title, 20.0, true);
    c.fill_colour(INK);
    for line in f
        .bold
        .wrap_at_most(&report.scope.programme, 13.0, pt(WIDTH), 3)
    {
        y -= 6.5;
        c.text(MARGIN, y, &line, 13.0, true);
    }
    y -= 2.5;
    const LABEL_W: f32 = 36.0;
    // The programme is the subtitle already.
    for (label, value) in scope_facts(report, lang).into_iter().skip(1) {
        let lines = f.regular.wrap_at_most(&value, 9.5, pt(WIDTH - LABEL_W), 3);
        for (i, line) in lines.iter().enumerate() {
            y -= 4.6;
            if i == 0 {
                c.fill_colour(MUTED);
                c.text(MARGIN, y, &format!("{label}:"), 9.5, true);
                c.fill_colour(INK);
            }
            c.text(MARGIN + LABEL_W, y, line, 9.5, false);
        }
    }
    if let Some(note) = suppression_note(report, lang) {
        y -= 1.5;
        c.fill_colour(MUTED);
        for line in f.regular.wrap_at_most(&note, 8.0, pt(WIDTH), 3) {
            y -= 3.8;
            c.text(MARGIN, y, &line, 8.0, false);
        }
        c.fill_colour(INK);
    }
    p.y = y - 6.0;
}

/// The key figures in boxes, four to a row.
fn figures(p: &mut Pager<'_>, figures: &[KeyFigure]) {
    const GAP: f32 = 4.0;
    const BOX_H: f32 = 24.0;
    let f = fonts();
    let w = (WIDTH - 3.0 * GAP) / 4.0;
    for row in figures.chunks(4) {
        p.need(BOX_H + GAP);
        let top = p.y;
        let c = p.c();
        for (i, fig) in row.iter().enumerate() {
            let x = MARGIN + i as f32 * (w + GAP);
            c.fill_with(x, top - BOX_H, w, BOX_H, Colour::SHADE);
            c.fill_with(x, top - BOX_H, 1.2, BOX_H, ACCENT);
            let room = pt(w - 5.0);
            let (value, size) = f.bold.fit_shrinking(&fig.value, 15.0, 9.0, room);
            c.fill_colour(ACCENT);
            c.text(x + 3.5, top - 7.5, &value, size, true);
            c.fill_colour(INK);
            let mut y = top - 11.5;
            for line in f.bold.wrap_at_most(&fig.label, 8.0, room, 2) {
                c.text(x + 3.5, y, &line, 8.0, true);
                y -= 3.4;
            }
            if let Some(detail) = &fig.detail {
                c.fill_colour(MUTED);
                for line in f.regular.wrap_at_most(detail, 7.0, room, 2) {
                    c.text(x + 3.5, y, &line, 7.0, false);
                    y -= 3.0;
                }
                c.fill_colour(INK);
            }
        }
        p.y = top - BOX_H - GAP;
    }
    p.y -= 2.0;
}

/// One bar of a chart: its label, its length (0–1 of the chart), the number it shows.
struct Bar {
    label: String,
    share: f32,
    text: String,
}

/// A horizontal bar chart `w` wide with its top at `top`; `marker` draws a rule at that share
/// (the 80 % threshold). Returns its height.
fn bar_chart(
    c: &mut Canvas<'_>,
    x: f32,
    top: f32,
    w: f32,
    title: &str,
    bars: &[Bar],
    marker: Option<(f32, &str)>,
) -> f32 {
    const LABEL_W: f32 = 30.0;
    const BAR_H: f32 = 4.2;
    const STEP: f32 = 6.4;
    let f: &Face = &fonts().regular;
    c.fill_colour(INK);
    c.text(x, top - 3.5, title, 9.5, true);
    let area_x = x + LABEL_W;
    let area_w = w - LABEL_W - 16.0;
    let first = top - 8.0;
    for (i, bar) in bars.iter().enumerate() {
        let y = first - i as f32 * STEP;
        let label = f.fit(&bar.label, 7.5, pt(LABEL_W - 2.0));
        c.fill_colour(INK);
        c.text(x, y - BAR_H + 1.0, &label, 7.5, false);
        c.fill_with(area_x, y - BAR_H, area_w, BAR_H, Colour::SHADE);
        let length = area_w * bar.share.clamp(0.0, 1.0);
        if length > 0.0 {
            c.fill_with(area_x, y - BAR_H, length, BAR_H, ACCENT);
        }
        c.text(area_x + area_w + 1.5, y - BAR_H + 1.0, &bar.text, 7.5, true);
    }
    let bottom = first - bars.len() as f32 * STEP + STEP - BAR_H - 1.0;
    if let Some((share, label)) = marker {
        let mx = area_x + area_w * share;
        c.stroke_colour(MARKER);
        c.line(mx, first + 1.0, mx, bottom, 0.9);
        c.fill_colour(MARKER);
        c.text_centred(mx, bottom - 3.2, label, 7.0, false);
        c.fill_colour(INK);
    }
    top - bottom + 5.0
}

/// Hours by kind and attendance by group, side by side.
fn charts(p: &mut Pager<'_>, report: &Report, lang: Lang) {
    let a = &report.activities;
    let max = a
        .by_kind
        .values()
        .map(|k| k.hours)
        .fold(0.0_f64, f64::max)
        .max(1.0);
    let hour_bars: Vec<Bar> = KINDS
        .iter()
        .map(|k| {
            let h = a.by_kind.get(*k).map_or(0.0, |s| s.hours);
            Bar {
                label: kind_label(lang, k),
                share: (h / max) as f32,
                text: hours(h, lang),
            }
        })
        .collect();
    let at = &report.attendance;
    let mut rate_bars: Vec<Bar> = GROUPS
        .iter()
        .map(|g| {
            let rate = at.by_group.get(*g).copied().flatten();
            Bar {
                label: t(lang, &format!("results.short.{g}")),
                share: rate.map_or(0.0, |r| whole_percent(r) as f32 / 100.0),
                text: rate.map_or_else(|| "—".to_owned(), |r| percent(r, lang)),
            }
        })
        .collect();
    rate_bars.push(Bar {
        label: t(lang, "results.h.total"),
        share: whole_percent(at.rate) as f32 / 100.0,
        text: percent(at.rate, lang),
    });
    p.need(40.0);
    let top = p.y;
    let half = (WIDTH - 8.0) / 2.0;
    let c = p.c();
    let left = bar_chart(
        c,
        MARGIN,
        top,
        half,
        &t(lang, "results.chart.hours"),
        &hour_bars,
        None,
    );
    let threshold = percent(0.8, lang);
    let right = bar_chart(
        c,
        MARGIN + half + 8.0,
        top,
        half,
        &t(lang, "results.chart.attendance_group"),
        &rate_bars,
        Some((0.8, &threshold)),
    );
    p.y = top - left.max(right) - 4.0;
}

/// How a table is set: column widths (mm), which columns are numbers (set to the right), and
/// the type size, smaller for wide tables.
struct Grid {
    widths: Vec<f32>,
    right: Vec<bool>,
    size: f32,
    head_size: f32,
}

impl Grid {
    /// Widths fitted to the content: columns of numbers, dates and yes/no keep their width,
    /// text columns get at least their longest word and share the rest by how much they hold.
    fn new(table: &Table, lang: Lang) -> Grid {
        let sizes: &[f32] = if table.headers.len() > 7 {
            &[7.5, 7.0, 6.5]
        } else {
            &[CELL_SIZE, 7.5, 7.0, 6.5]
        };
        // The largest type at which every column fits its longest word.
        let mut m = measure(table, lang, sizes[0]);
        for size in &sizes[1..] {
            if m.base.iter().sum::<f32>() < WIDTH {
                break;
            }
            m = measure(table, lang, *size);
        }
        let total: f32 = m.natural.iter().sum();
        let floor: f32 = m.base.iter().sum();
        let mut widths = if total <= WIDTH {
            m.natural.clone()
        } else if floor >= WIDTH {
            m.base.iter().map(|w| w * WIDTH / floor).collect()
        } else {
            share_out(&m.natural, &m.base, &m.nowrap)
        };
        let sum: f32 = widths.iter().sum();
        if sum < 110.0 {
            widths[0] += 110.0 - sum;
        }
        Grid {
            widths,
            right: m.right,
            size: m.size,
            head_size: m.size - 0.5,
        }
    }

    fn line_h(size: f32) -> f32 {
        size * 0.43
    }

    /// Each cell's lines at `size`.
    fn layout(&self, cells: &[String], face: &Face, size: f32) -> Vec<Vec<String>> {
        cells
            .iter()
            .zip(&self.widths)
            .map(|(text, w)| {
                let lines = face.wrap_at_most(text, size, pt(w - 2.0 * CELL_PAD), 8);
                if lines.is_empty() {
                    vec![String::new()]
                } else {
                    lines
                }
            })
            .collect()
    }

    fn height(lines: &[Vec<String>], size: f32) -> f32 {
        lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * Grid::line_h(size) + 2.4
    }

    /// Draws one row's lines from `top`; numbers to the right of their column.
    fn draw(&self, c: &mut Canvas<'_>, top: f32, lines: &[Vec<String>], size: f32, bold: bool) {
        let line_h = Grid::line_h(size);
        let mut x = MARGIN;
        for ((cell, w), right) in lines.iter().zip(&self.widths).zip(&self.right) {
            for (i, line) in cell.iter().enumerate() {
                let y = top - 1.2 - line_h * (i as f32 + 1.0) + 0.8;
                if *right {
                    c.text_right(x + w - CELL_PAD, y, line, size, bold);
                } else {
                    c.text(x + CELL_PAD, y, line, size, bold);
                }
            }
            x += w;
        }
    }

    fn width(&self) -> f32 {
        self.widths.iter().sum()
    }
}

/// What a table's columns hold at one type size (mm, padding included).
struct Measure {
    size: f32,
    /// Each column's width with nothing wrapped.
    natural: Vec<f32>,
    /// The least each column may have: its longest word, or everything for numbers and dates.
    base: Vec<f32>,
    right: Vec<bool>,
    nowrap: Vec<bool>,
}

fn measure(table: &Table, lang: Lang, size: f32) -> Measure {
    let f = fonts();
    let columns = table.headers.len();
    let head_size = size - 0.5;
    let longest_word = |face: &Face, text: &str, size: f32| {
        words(text)
            .map(|w| mm(face.width(w, size)))
            .fold(0.0, f32::max)
    };
    let mut natural = vec![0.0_f32; columns];
    let mut least = vec![0.0_f32; columns];
    let mut right = vec![false; columns];
    let mut nowrap = vec![false; columns];
    for (col, head) in table.headers.iter().enumerate() {
        natural[col] = mm(f.bold.width(head, head_size)).min(40.0);
        least[col] = longest_word(&f.bold, head, head_size);
    }
    let rows = table.rows.iter().map(|r| (r, &f.regular));
    for (row, face) in rows.chain(table.total.iter().map(|r| (r, &f.bold))) {
        for (col, cell) in row.iter().enumerate().take(columns) {
            let text = cell.text(lang);
            right[col] |= cell.numeric();
            nowrap[col] |= !matches!(cell, Cell::Text(_));
            natural[col] = natural[col].max(mm(face.width(&text, size)));
            least[col] = least[col].max(longest_word(face, &text, size).min(28.0));
        }
    }
    let pad = 2.0 * CELL_PAD + 0.5;
    let natural: Vec<f32> = natural.iter().map(|w| w + pad).collect();
    let base = (0..columns)
        .map(|c| {
            if nowrap[c] {
                natural[c]
            } else {
                least[c] + pad
            }
        })
        .collect();
    Measure {
        size,
        natural,
        base,
        right,
        nowrap,
    }
}

/// The words a line may break between: a no-break space holds its neighbours together.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() && c != '\u{a0}')
        .filter(|w| !w.is_empty())
}

/// Widths for text columns: each gets at least its longest word, then the room left is shared
/// by water-filling, so columns that need little more get all of it and the long ones split
/// the rest by how much more they hold.
fn share_out(natural: &[f32], base: &[f32], nowrap: &[bool]) -> Vec<f32> {
    let mut widths: Vec<f32> = (0..natural.len())
        .map(|c| if nowrap[c] { natural[c] } else { base[c] })
        .collect();
    let need: Vec<f32> = (0..natural.len())
        .map(|c| (natural[c] - widths[c]).max(0.0))
        .collect();
    let mut open: Vec<usize> = (0..natural.len()).filter(|c| need[*c] > 0.0).collect();
    let mut room = WIDTH - widths.iter().sum::<f32>();
    while !open.is_empty() && room > 0.0 {
        let share = room / open.len() as f32;
        let (settled, rest): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|c| need[**c] <= share);
        if settled.is_empty() {
            let wanted: f32 = rest.iter().map(|c| need[*c]).sum();
            rest.iter()
                .for_each(|c| widths[*c] += room * need[*c] / wanted);
            break;
        }
        for c in settled {
            widths[c] += need[c];
            room -= need[c];
        }
        open = rest;
    }
    widths
}

/// Space above a table's heading row for its title.
const TITLE_H: f32 = 6.5;

/// Draws the table's title and heading row (again, with "(cd.)", on a new page).
fn draw_head(p: &mut Pager<'_>, table: &Table, grid: &Grid, continued: bool, lang: Lang) {
    let head = grid.layout(&table.headers, &fonts().bold, grid.head_size);
    let h = Grid::height(&head, grid.head_size);
    let mut title = table.title.clone();
    if continued {
        title = format!("{title} {}", t(lang, "results.continued"));
    }
    let top = p.y;
    let c = p.c();
    c.fill_colour(ACCENT);
    c.text(MARGIN, top - 4.0, &title, 10.5, true);
    c.fill_colour(INK);
    let top = top - TITLE_H;
    c.shade(MARGIN, top - h, grid.width(), h);
    grid.draw(c, top, &head, grid.head_size, true);
    c.stroke_colour(INK);
    c.line(MARGIN, top - h, MARGIN + grid.width(), top - h, 0.6);
    p.y = top - h;
}

fn draw_table(p: &mut Pager<'_>, table: &Table, lang: Lang) {
    let f = fonts();
    let grid = Grid::new(table, lang);
    let size = grid.size;
    let head = grid.layout(&table.headers, &f.bold, grid.head_size);
    let head_h = Grid::height(&head, grid.head_size) + TITLE_H;
    let rows: Vec<(Vec<Vec<String>>, bool)> = table
        .rows
        .iter()
        .map(|r| (r, false))
        .chain(table.total.iter().map(|r| (r, true)))
        .map(|(r, total)| {
            let texts: Vec<String> = r.iter().map(|c| c.text(lang)).collect();
            let face = if total { &f.bold } else { &f.regular };
            (grid.layout(&texts, face, size), total)
        })
        .collect();
    let first_h = rows
        .first()
        .map_or(Grid::line_h(size) + 2.4, |(l, _)| Grid::height(l, size));
    p.y -= 3.0;
    p.need(head_h + first_h);
    draw_head(p, table, &grid, false, lang);
    if rows.is_empty() {
        let y = p.y;
        let c = p.c();
        c.fill_colour(MUTED);
        c.text(
            MARGIN + CELL_PAD,
            y - 4.2,
            &t(lang, "results.none"),
            size,
            false,
        );
        c.fill_colour(INK);
        p.y = y - Grid::line_h(size) - 2.4;
    }
    for (lines, total) in &rows {
        let h = Grid::height(lines, size);
        if p.need(h) {
            draw_head(p, table, &grid, true, lang);
        }
        let y = p.y;
        let c = p.c();
        if *total {
            c.stroke_colour(INK);
            c.line(MARGIN, y, MARGIN + grid.width(), y, 0.6);
        }
        grid.draw(c, y, lines, size, *total);
        c.stroke_colour(RULE);
        c.line(MARGIN, y - h, MARGIN + grid.width(), y - h, 0.3);
        p.y = y - h;
    }
    p.y -= 3.0;
}

#[cfg(test)]
mod tests {
    use super::super::sample::{PROGRAMME, sample};
    use super::*;

    fn text_of(pdf: &[u8]) -> (String, usize) {
        let pages = pdf_extract::extract_text_from_mem_by_pages(pdf).expect("text extracts");
        let text = pages.concat().replace('\u{a0}', " ");
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (flat, pages.len())
    }

    #[test]
    fn the_pdf_shows_the_programme_hidden_cells_and_key_numbers_in_both_languages() {
        let pdf_pl = pdf(&sample(), Lang::Pl).unwrap();
        assert!(pdf_pl.starts_with(b"%PDF-"));
        let (text, pages) = text_of(&pdf_pl);
        assert!(text.contains(PROGRAMME), "{text}");
        assert!(text.contains("Raport rezultatów"));
        assert!(text.contains("<3"));
        assert!(text.contains("84 393,00 zł"), "{text}");
        assert!(text.contains("87 %"));
        assert!(
            text.contains("Klub seniora „Złota jesień” w Śremie"),
            "{text}"
        );
        assert!(text.contains("Stowarzyszenie Żółty Żuraw"), "{text}");
        assert!(text.contains(&format!("Strona 1 z {pages}")));

        let (text, pages) = text_of(&pdf(&sample(), Lang::En).unwrap());
        assert!(text.contains("Results report"));
        assert!(text.contains(PROGRAMME));
        assert!(text.contains("PLN 84,393.00"), "{text}");
        assert!(text.contains("87%"));
        assert!(text.contains("<3"));
        assert!(text.contains(&format!("Page {pages} of {pages}")));
    }

    #[test]
    fn long_tables_continue_on_new_pages_under_their_heading() {
        let mut report = sample();
        let task = report.commissioned_tasks.list[0].clone();
        report.commissioned_tasks.list = (0..120)
            .map(|i| {
                let mut t = task.clone();
                t.title = format!("Zadanie nr {i}: {}", task.title);
                t
            })
            .collect();
        let bytes = pdf(&report, Lang::Pl).unwrap();
        let (text, pages) = text_of(&bytes);
        assert!(pages >= 4, "{pages} pages");
        assert!(text.contains("Zadanie nr 119"));
        assert!(text.contains(&format!("Strona {pages} z {pages}")));
        assert!(
            text.matches("Zlecone zadania publiczne (cd.)").count() >= 2,
            "the table's title again on the next pages"
        );
        assert!(
            text.matches("Zadanie i realizator").count() >= 3,
            "its heading row too"
        );
    }

    #[test]
    fn write_samples() {
        if std::env::var("WRITE_SAMPLES").as_deref() != Ok("1") {
            return;
        }
        for lang in Lang::ALL {
            let started = std::time::Instant::now();
            let bytes = pdf(&sample(), lang).unwrap();
            eprintln!(
                "{}: {} bytes in {:?}",
                lang.code(),
                bytes.len(),
                started.elapsed()
            );
            std::fs::write(format!("/tmp/report-{}.pdf", lang.code()), bytes).unwrap();
        }
        // National scale: every gmina, 3,000 tasks.
        let mut big = sample();
        let gmina = big.gminas.list[0].clone();
        big.gminas.list = (0..2477).map(|_| gmina.clone()).collect();
        let task = big.commissioned_tasks.list[0].clone();
        big.commissioned_tasks.list = (0..3000).map(|_| task.clone()).collect();
        let started = std::time::Instant::now();
        let bytes = pdf(&big, Lang::Pl).unwrap();
        let pdf_time = started.elapsed();
        let started = std::time::Instant::now();
        let book = super::super::xlsx(&big, Lang::Pl).unwrap();
        eprintln!(
            "national: PDF {} bytes in {pdf_time:?}, XLSX {} bytes in {:?}",
            bytes.len(),
            book.len(),
            started.elapsed()
        );
    }

    #[test]
    fn wide_tables_keep_to_the_margins() {
        let mut report = sample();
        let task = report.commissioned_tasks.list[0].clone();
        report.commissioned_tasks.list = [
            (
                "Święciechowa",
                "Seniorzy w sieci – warsztaty cyfrowe",
                "Koło Gospodyń Wiejskich „Święciechowianki”",
                "seniorzy",
                "Tryb pozakonkursowy – 'małe granty'",
                7200.0,
                "completed",
            ),
            (
                "Włoszakowice",
                "Festyn integracyjny mieszkańców Włoszakowic",
                "Towarzystwo Przyjaciół Ziemi Włoszakowickiej",
                "rozwój wspólnot lokalnych",
                "Tryb pozakonkursowy – 'małe granty'",
                6500.0,
                "completed",
            ),
            (
                "Leszno",
                "Punkt wsparcia i integracji dla cudzoziemców",
                "Fundacja Leszczyńska Inicjatywa Obywatelska",
                "integracja cudzoziemców",
                "Otwarty konkurs ofert – powierzenie realizacji zadania",
                120_000.0,
                "commissioned",
            ),
        ]
        .into_iter()
        .map(|(gmina, title, contractor, sphere, mode, amount, status)| {
            let mut t = task.clone();
            t.gmina_name = gmina.into();
            t.title = title.into();
            t.contractor = contractor.into();
            t.sphere_label = sphere.into();
            t.mode_name = mode.into();
            t.amount_pln = Some(amount);
            t.status = status.into();
            t
        })
        .collect();
        for lang in Lang::ALL {
            let mut tables = super::super::sections(&report, lang)
                .into_iter()
                .flat_map(|s| s.tables)
                .collect::<Vec<_>>();
            tables.push(super::super::task_summary_table(&report, lang));
            for table in &tables {
                let grid = Grid::new(table, lang);
                assert!(
                    grid.width() <= WIDTH + 0.01,
                    "{}: {:?}",
                    table.id,
                    grid.widths
                );
            }
        }
    }
}
