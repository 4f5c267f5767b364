//! The certificate of completion (zaświadczenie o ukończeniu) a participant frames: one A4
//! landscape page with the holder's name, the programme, the hours attended, the signature, and
//! a QR code (vector, one rectangle per run of dark modules) that leads to the public check.

use qrcode::{EcLevel, QrCode};

use super::canvas::{Canvas, Colour, Document, mm, pt};
use super::fonts::fonts;
use crate::domain::activity::format_hours;
use crate::i18n::{Lang, polish_plural_form};

/// Everything a certificate shows, already formatted for reading in `lang`.
pub struct CertificateDoc {
    pub lang: Lang,
    /// "Małgorzata Żółkiewska-Łęcka"
    pub holder: String,
    /// "Gmina Śrem"; may be empty.
    pub gmina: String,
    /// "WARNiK – Wielkopolska Akademia Rzecznictwa NGO i Kooperacji"
    pub programme: String,
    /// "Edycja 2021–2022"
    pub cohort: String,
    /// "1 marca 2021 – 30 czerwca 2022"
    pub period: String,
    /// Total academic hours attended: "62,5".
    pub hours: String,
    /// Modules or kinds attended with their hours: ("Szkolenia", "40"). Past eight, the last row
    /// shown sums up the rest.
    pub lines: Vec<(String, String)>,
    /// "Fundacja Instytut Badań i Rozwoju Lokalnego"; may be empty.
    pub organiser: String,
    /// "Anna Kowalska"; when empty, only the line and the role.
    pub signatory: String,
    /// "Koordynatorka projektu"; may be empty.
    pub signatory_role: String,
    /// "Leszno, 15 lipca 2022"
    pub place_date: String,
    /// The funder's acknowledgement, up to three lines of small type; may be empty.
    pub acknowledgement: String,
    /// "WARNIK/2022/017"
    pub number: String,
    /// The grouped verification code: "7K3M-Q9XD-2HFB-TR4W".
    pub code: String,
    /// Where the code is checked; also what the QR code holds.
    pub url: String,
}

const PAGE_W: f32 = 297.0;
const PAGE_H: f32 = 210.0;
const CENTRE: f32 = PAGE_W / 2.0;

const ACCENT: Colour = Colour(0.09, 0.23, 0.40);
const INK: Colour = Colour(0.12, 0.13, 0.15);
const MUTED: Colour = Colour(0.36, 0.39, 0.44);
const RULE: Colour = Colour(0.72, 0.76, 0.82);

/// Most rows the hours table shows; more are summed up in the last one.
const MAX_LINES: usize = 8;

/// The fixed words of the certificate in one language.
struct Words {
    title: &'static str,
    subtitle: &'static str,
    awarded_to: &'static str,
    activities: &'static str,
    hours: &'static str,
    other: &'static str,
    verify: &'static str,
    code: &'static str,
    number: &'static str,
}

const PL: Words = Words {
    title: "ZAŚWIADCZENIE",
    subtitle: "o ukończeniu programu",
    awarded_to: "otrzymuje",
    activities: "Zajęcia",
    hours: "Godziny",
    other: "inne",
    verify: "Sprawdź autentyczność:",
    code: "Kod:",
    number: "Nr",
};

const EN: Words = Words {
    title: "CERTIFICATE",
    subtitle: "of completion of the programme",
    awarded_to: "awarded to",
    activities: "Activities",
    hours: "Hours",
    other: "other",
    verify: "Verify at:",
    code: "Code:",
    number: "No.",
};

fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Pl => &PL,
        Lang::En => &EN,
    }
}

/// Renders the certificate as a one-page PDF.
pub fn certificate(doc: &CertificateDoc) -> anyhow::Result<Vec<u8>> {
    let w = words(doc.lang);
    let pdf = Document::new(&format!("{} – {}", w.title, doc.holder));
    let mut c = pdf.canvas();
    frame(&mut c);
    acknowledgement(&mut c, doc);
    heading(&mut c, doc, w);
    hours_table(&mut c, doc, w);
    signature(&mut c, doc);
    verification(&mut c, doc, w)?;
    let page = c.page(PAGE_W, PAGE_H);
    pdf.save(vec![page])
}

/// A double rule in the accent colour, with small squares at the inner corners.
fn frame(c: &mut Canvas<'_>) {
    c.stroke_colour(ACCENT);
    c.outline(7.0, 7.0, PAGE_W - 14.0, PAGE_H - 14.0, 2.2);
    c.outline(10.0, 10.0, PAGE_W - 20.0, PAGE_H - 20.0, 0.6);
    c.fill_colour(ACCENT);
    for (x, y) in [
        (10.0, 10.0),
        (PAGE_W - 10.0, 10.0),
        (10.0, PAGE_H - 10.0),
        (PAGE_W - 10.0, PAGE_H - 10.0),
    ] {
        c.fill(x - 1.6, y - 1.6, 3.2, 3.2);
    }
}

/// The upper, centred part: organiser, title, programme, cohort, and the holder.
fn heading(c: &mut Canvas<'_>, doc: &CertificateDoc, w: &Words) {
    let f = fonts();
    let wide = pt(230.0);
    let mut y = 186.0;
    c.fill_colour(MUTED);
    let organiser = doc.organiser.to_uppercase();
    let (organiser, size) = f.bold.fit_shrinking(&organiser, 9.0, 7.0, wide);
    c.text_centred(CENTRE, y, &organiser, size, true);

    y -= 17.0;
    c.fill_colour(ACCENT);
    c.text_centred(CENTRE, y, w.title, 34.0, true);
    y -= 9.0;
    c.fill_colour(INK);
    c.text_centred(CENTRE, y, w.subtitle, 13.0, false);

    // A long programme shrinks a little, then takes a second line.
    let (shown, size) = f.bold.fit_shrinking(&doc.programme, 15.0, 12.0, wide);
    let programme = if shown == doc.programme {
        vec![shown]
    } else {
        f.bold.wrap_at_most(&doc.programme, size, wide, 2)
    };
    y -= 10.0;
    for (i, line) in programme.iter().enumerate() {
        if i > 0 {
            y -= 5.6;
        }
        c.text_centred(CENTRE, y, line, size, true);
    }
    let when = [doc.cohort.as_str(), doc.period.as_str()]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("  ·  ");
    y -= 7.0;
    c.fill_colour(MUTED);
    let (when, size) = f.regular.fit_shrinking(&when, 10.0, 8.0, wide);
    c.text_centred(CENTRE, y, &when, size, false);

    // The second line of a programme takes some of the air above the holder.
    y -= if programme.len() > 1 { 8.2 } else { 11.0 };
    c.text_centred(CENTRE, y, w.awarded_to, 10.0, false);
    y -= 13.0;
    c.fill_colour(INK);
    let (holder, size) = f.bold.fit_shrinking(&doc.holder, 30.0, 14.0, pt(250.0));
    c.text_centred(CENTRE, y, &holder, size, true);
    y -= 5.0;
    c.stroke_colour(ACCENT);
    c.line(CENTRE - 45.0, y, CENTRE + 45.0, y, 0.8);
    y -= 6.5;
    c.fill_colour(MUTED);
    let (gmina, size) = f.regular.fit_shrinking(&doc.gmina, 11.0, 8.0, wide);
    c.text_centred(CENTRE, y, &gmina, size, false);
}

/// Left column of the lower part: the hours attended and what they were spent on.
const TABLE_X: f32 = 24.0;
const TABLE_W: f32 = 88.0;
const HOURS_W: f32 = 16.0;
const TABLE_TOP: f32 = 88.0;
const ROW_H: f32 = 4.3;

fn hours_table(c: &mut Canvas<'_>, doc: &CertificateDoc, w: &Words) {
    let f = fonts();
    let mut y = TABLE_TOP;
    let (sentence, note) = hours_sentence(doc.lang, &doc.hours);
    let (sentence, size) = f.bold.fit_shrinking(&sentence, 9.0, 7.5, pt(TABLE_W));
    c.fill_colour(ACCENT);
    c.text(TABLE_X, y, &sentence, size, true);
    // The note follows on the same line when it fits, else under it.
    let after = mm(f.bold.width(&sentence, size) + f.regular.width(" ", size));
    let (x, below) = if after + mm(f.regular.width(note, 7.5)) <= TABLE_W {
        (TABLE_X + after, 0.0)
    } else {
        (TABLE_X, 3.8)
    };
    y -= below;
    c.fill_colour(MUTED);
    c.text(x, y, note, 7.5, false);
    y -= 4.4;
    let rows = capped_lines(&doc.lines, w.other, doc.lang);
    if rows.is_empty() {
        return;
    }
    let right = TABLE_X + TABLE_W;
    y -= 1.6;
    c.fill_colour(MUTED);
    c.text(TABLE_X, y, w.activities, 7.5, true);
    c.text_right(right, y, w.hours, 7.5, true);
    y -= 1.6;
    c.stroke_colour(ACCENT);
    c.line(TABLE_X, y, right, y, 0.6);
    c.stroke_colour(RULE);
    c.fill_colour(INK);
    let room = pt(TABLE_W - HOURS_W - 2.0);
    for (i, (label, hours)) in rows.iter().enumerate() {
        let baseline = y - ROW_H + 1.3;
        let (label, size) = f.regular.fit_shrinking(label, 8.5, 7.0, room);
        c.text(TABLE_X, baseline, &label, size, false);
        let (hours, size) = f.regular.fit_shrinking(hours, 8.5, 7.0, pt(HOURS_W));
        c.text_right(right, baseline, &hours, size, false);
        y -= ROW_H;
        if i + 1 < rows.len() {
            c.line(TABLE_X, y, right, y, 0.3);
        }
    }
    c.stroke_colour(ACCENT);
    c.line(TABLE_X, y, right, y, 0.6);
}

/// "Zrealizowano 62,5 godziny dydaktycznej" and "(po 45 min)": the noun agrees with the number.
fn hours_sentence(lang: Lang, hours: &str) -> (String, &'static str) {
    let whole = hours.trim().parse::<i64>().ok();
    let fraction = whole.is_none() && centi(hours).is_some();
    match lang {
        Lang::Pl => {
            let noun = match whole {
                Some(n) => [
                    "godzinę dydaktyczną",
                    "godziny dydaktyczne",
                    "godzin dydaktycznych",
                ][polish_plural_form(n)],
                // A fraction takes the genitive singular: "62,5 godziny".
                None if fraction => "godziny dydaktycznej",
                None => "godz. dydaktycznych",
            };
            (format!("Zrealizowano {hours} {noun}"), "(po 45 min)")
        }
        Lang::En => {
            let noun = if whole == Some(1) { "hour" } else { "hours" };
            (format!("{hours} academic {noun} attended"), "(45 min each)")
        }
    }
}

/// Hours written `62,5` or `62.5` as hundredths.
fn centi(hours: &str) -> Option<i64> {
    let number: f64 = hours.trim().replace(',', ".").parse().ok()?;
    number.is_finite().then(|| (number * 100.0).round() as i64)
}

/// The table's rows: all of them when few, else the first ones and one summing up the rest.
fn capped_lines(lines: &[(String, String)], other: &str, lang: Lang) -> Vec<(String, String)> {
    if lines.len() <= MAX_LINES {
        return lines.to_vec();
    }
    let (shown, rest) = lines.split_at(MAX_LINES - 1);
    let sum: Option<i64> = rest.iter().map(|(_, h)| centi(h)).sum();
    let mut rows = shown.to_vec();
    rows.push((
        format!("{other} ({})", rest.len()),
        sum.map_or_else(|| "…".to_owned(), |s| format_hours(s, lang)),
    ));
    rows
}

/// Centre column of the lower part: place and date, the signature line, who signs and as whom.
const SIGN_X: f32 = CENTRE;
const SIGN_W: f32 = 60.0;

fn signature(c: &mut Canvas<'_>, doc: &CertificateDoc) {
    let f = fonts();
    let room = pt(SIGN_W + 10.0);
    c.fill_colour(INK);
    let (place_date, size) = f.regular.fit_shrinking(&doc.place_date, 10.0, 8.0, room);
    c.text_centred(SIGN_X, TABLE_TOP, &place_date, size, false);
    // The role's baseline is level with the certificate number's on the right.
    let line_y = NUMBER_Y + 9.2;
    c.stroke_colour(MUTED);
    c.line(
        SIGN_X - SIGN_W / 2.0,
        line_y,
        SIGN_X + SIGN_W / 2.0,
        line_y,
        0.5,
    );
    let mut y = line_y - 5.0;
    if !doc.signatory.is_empty() {
        let (name, size) = f.bold.fit_shrinking(&doc.signatory, 10.0, 8.0, room);
        c.text_centred(SIGN_X, y, &name, size, true);
        y -= 4.2;
    }
    c.fill_colour(MUTED);
    let (role, size) = f.regular.fit_shrinking(&doc.signatory_role, 8.5, 7.0, room);
    c.text_centred(SIGN_X, y, &role, size, false);
}

/// Right column of the lower part, flush right: the QR code, where to check, the code and the
/// certificate's number.
const RIGHT: f32 = PAGE_W - 20.0;
const QR_SIZE: f32 = 26.0;
const QR_TOP: f32 = 91.0;
/// Room for the verification lines, up to the signature's column.
const VERIFY_W: f32 = 78.0;
/// Where the verification lines go, under the code: "verify at", the link, the code, the number.
const VERIFY_Y: f32 = QR_TOP - QR_SIZE - 5.5;
const URL_Y: f32 = VERIFY_Y - 3.6;
const NUMBER_Y: f32 = URL_Y - 4.6 - 4.2;

fn verification(c: &mut Canvas<'_>, doc: &CertificateDoc, w: &Words) -> anyhow::Result<()> {
    let f = fonts();
    qr(c, &doc.url, RIGHT - QR_SIZE, QR_TOP, QR_SIZE)?;
    let room = pt(VERIFY_W);
    c.fill_colour(MUTED);
    c.text_right(RIGHT, VERIFY_Y, w.verify, 7.5, false);
    let mut y = URL_Y;
    c.fill_colour(ACCENT);
    let (url, size) = f.regular.fit_shrinking(&doc.url, 7.5, 6.0, room);
    if url == doc.url {
        c.text_right(RIGHT, y, &url, size, false);
    } else {
        // Too long even in small type: break it rather than cut what must be typed.
        for (i, line) in break_url(&doc.url, 6.5, room, 3).iter().enumerate() {
            if i > 0 {
                y -= 3.0;
            }
            c.text_right(RIGHT, y, line, 6.5, false);
        }
    }
    y -= 4.6;
    c.fill_colour(INK);
    let code = format!("{} {}", w.code, doc.code);
    let (code, size) = f.bold.fit_shrinking(&code, 8.5, 6.5, room);
    c.text_right(RIGHT, y, &code, size, true);
    if !doc.number.is_empty() {
        y -= 4.2;
        c.fill_colour(MUTED);
        let number = format!("{} {}", w.number, doc.number);
        let (number, size) = f.regular.fit_shrinking(&number, 8.0, 6.5, room);
        c.text_right(RIGHT, y, &number, size, false);
    }
    Ok(())
}

/// `url` in at most `most` lines no wider than `max` points at `size`, broken after a `/` or
/// before a `?` or `&` where it can, so the pieces still read as parts of a link.
fn break_url(url: &str, size: f32, max: f32, most: usize) -> Vec<String> {
    let f = &fonts().regular;
    let mut pieces = Vec::new();
    let mut piece = String::new();
    for ch in url.chars() {
        if matches!(ch, '?' | '&') && !piece.is_empty() {
            pieces.push(std::mem::take(&mut piece));
        }
        piece.push(ch);
        if ch == '/' {
            pieces.push(std::mem::take(&mut piece));
        }
    }
    pieces.push(piece);
    let mut lines: Vec<String> = Vec::new();
    for piece in pieces.into_iter().filter(|p| !p.is_empty()) {
        match lines.last_mut() {
            Some(line) if f.width(line, size) + f.width(&piece, size) <= max => {
                line.push_str(&piece);
            }
            _ => lines.push(piece),
        }
    }
    // A piece wider than a line is broken where it must.
    let mut lines: Vec<String> = lines.iter().flat_map(|l| f.wrap(l, size, max)).collect();
    if lines.len() > most {
        lines.truncate(most);
        let last = lines.pop().unwrap_or_default();
        lines.push(f.fit(&format!("{last}…"), size, max));
    }
    lines
}

/// `text` as a QR code whose modules fill a `size` mm square with its top-left corner at
/// (`x`, `top`), on a white quiet zone of four modules. Each run of dark modules in a row is one
/// rectangle, which keeps the page small.
fn qr(c: &mut Canvas<'_>, text: &str, x: f32, top: f32, size: f32) -> anyhow::Result<()> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)?;
    let n = code.width();
    let module = size / n as f32;
    let quiet = 4.0 * module;
    c.fill_with(
        x - quiet,
        top - size - quiet,
        size + 2.0 * quiet,
        size + 2.0 * quiet,
        Colour::WHITE,
    );
    c.fill_colour(ACCENT);
    let dark = code.to_colors();
    for (row, modules) in dark.chunks(n).enumerate() {
        let y = top - (row + 1) as f32 * module;
        let mut col = 0;
        while col < n {
            let start = col;
            while col < n && modules[col] == qrcode::Color::Dark {
                col += 1;
            }
            if col > start {
                let left = x + start as f32 * module;
                c.fill(left, y, (col - start) as f32 * module, module);
            } else {
                col += 1;
            }
        }
    }
    Ok(())
}

/// The funder's acknowledgement in small type along the bottom, at most three lines.
fn acknowledgement(c: &mut Canvas<'_>, doc: &CertificateDoc) {
    let lines = fonts()
        .regular
        .wrap_at_most(&doc.acknowledgement, 7.0, pt(PAGE_W - 50.0), 3);
    let step = 3.1;
    let mut y = 15.0 + step * lines.len().saturating_sub(1) as f32;
    c.fill_colour(MUTED);
    for line in &lines {
        c.text_centred(CENTRE, y, line, 7.0, false);
        y -= step;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::qr_decode::qr_texts;

    const HOLDER: &str = "Małgorzata Żółkiewska-Łęcka";

    fn sample(lang: Lang) -> CertificateDoc {
        let pl = lang == Lang::Pl;
        let s = |pl_text: &str, en_text: &str| if pl { pl_text } else { en_text }.to_owned();
        CertificateDoc {
            lang,
            holder: HOLDER.into(),
            gmina: s("Gmina Śrem", "Śrem municipality"),
            programme: "WARNiK – Wielkopolska Akademia Rzecznictwa NGO i Kooperacji".into(),
            cohort: s("Edycja 2021–2022", "Cohort 2021–2022"),
            period: s(
                "1 marca 2021 – 30 czerwca 2022",
                "1 March 2021 – 30 June 2022",
            ),
            hours: s("62,5", "62.5"),
            lines: vec![
                (s("Szkolenia", "Training"), "40".into()),
                (s("Wizyta studyjna", "Study visit"), "8".into()),
                (s("Doradztwo", "Mentoring"), s("14,5", "14.5")),
            ],
            organiser: "Fundacja Instytut Badań i Rozwoju Lokalnego".into(),
            signatory: "Anna Kowalska".into(),
            signatory_role: s("Koordynatorka projektu", "Project coordinator"),
            place_date: s("Leszno, 15 lipca 2022", "Leszno, 15 July 2022"),
            acknowledgement: "Projekt realizowany w ramach programu Aktywni Obywatele – Fundusz \
                              Regionalny, finansowanego przez Islandię, Liechtenstein i Norwegię \
                              ze środków Funduszy EOG. Operatorem programu jest konsorcjum \
                              Fundacji im. Stefana Batorego i Polskiej Fundacji Dzieci i Młodzieży."
                .into(),
            number: "WARNIK/2022/017".into(),
            code: "7K3M-Q9XD-2HFB-TR4W".into(),
            url: "https://akademia.example.org/verify/7K3M-Q9XD-2HFB-TR4W".into(),
        }
    }

    fn pages_of(pdf: &[u8]) -> Vec<String> {
        pdf_extract::extract_text_from_mem_by_pages(pdf).expect("text extracts")
    }

    /// The page's size in points, from its MediaBox.
    fn media_box(pdf: &[u8]) -> (f32, f32) {
        let doc = lopdf::Document::load_mem(pdf).unwrap();
        let page = doc.get_pages()[&1];
        let dict = doc.get_dictionary(page).unwrap();
        let b: Vec<f32> = dict
            .get(b"MediaBox")
            .and_then(lopdf::Object::as_array)
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        (b[2] - b[0], b[3] - b[1])
    }

    #[test]
    fn shows_the_holder_number_and_link_on_one_landscape_page_in_both_languages() {
        for (lang, title) in [(Lang::Pl, "ZAŚWIADCZENIE"), (Lang::En, "CERTIFICATE")] {
            let doc = sample(lang);
            let pdf = certificate(&doc).unwrap();
            assert!(pdf.len() <= 60 * 1024, "{} bytes", pdf.len());
            let pages = pages_of(&pdf);
            assert_eq!(pages.len(), 1);
            let text = &pages[0];
            for wanted in [
                HOLDER,
                title,
                &doc.number,
                &doc.url,
                &doc.code,
                &doc.programme,
            ] {
                assert!(text.contains(wanted), "{wanted} in {text}");
            }
            let (w, h) = media_box(&pdf);
            assert!(
                (w - pt(297.0)).abs() < 1.0 && (h - pt(210.0)).abs() < 1.0,
                "{w}×{h}"
            );
            let raw = String::from_utf8_lossy(&pdf);
            assert_eq!(raw.matches("/FontFile2").count(), 2, "both fonts embedded");
        }
        let pl = pages_of(&certificate(&sample(Lang::Pl)).unwrap()).concat();
        assert!(pl.contains("o ukończeniu programu"));
        assert!(pl.contains("62,5 godziny dydaktycznej"), "{pl}");
        let en = pages_of(&certificate(&sample(Lang::En)).unwrap()).concat();
        assert!(en.contains("62.5 academic hours"), "{en}");
    }

    #[test]
    fn the_qr_code_leads_to_the_verification_link() {
        let doc = sample(Lang::Pl);
        assert_eq!(
            qr_texts(&certificate(&doc).unwrap()),
            std::slice::from_ref(&doc.url)
        );
        let mut long = sample(Lang::En);
        long.url = format!(
            "https://akademia.stowarzyszenie-na-rzecz-rozwoju-wielkopolski.example.org/\
             certificates/verify/{}?lang=en&source=printed-certificate",
            long.code
        );
        let pdf = certificate(&long).unwrap();
        assert_eq!(qr_texts(&pdf), std::slice::from_ref(&long.url));
        let text = pages_of(&pdf).concat();
        assert!(text.contains("Verify at:"), "{text}");
    }

    /// The longest of everything: name, programme, lines, link; no organiser or signatory.
    fn crowded() -> CertificateDoc {
        let mut doc = sample(Lang::Pl);
        doc.holder = "Aleksandra Konstantynopolitańczykiewiczówna-Brzęczyszczykiewicz".into();
        doc.programme = "Wielkopolska Akademia Rzecznictwa Organizacji Pozarządowych, Ruchów \
                         Miejskich, Grup Nieformalnych i Kooperacji Międzysektorowej w Gminach \
                         Wiejskich i Miejsko-Wiejskich"
            .into();
        doc.lines = (1..=12)
            .map(|i| {
                (
                    format!("Moduł {i}: rzecznictwo lokalne w praktyce"),
                    "4,5".into(),
                )
            })
            .collect();
        doc.organiser.clear();
        doc.signatory.clear();
        doc.url = format!("{}?source=printed-certificate&lang=pl", doc.url);
        doc
    }

    #[test]
    fn long_texts_and_many_lines_still_fit_one_page() {
        let doc = crowded();
        let pdf = certificate(&doc).unwrap();
        let pages = pages_of(&pdf);
        assert_eq!(pages.len(), 1);
        assert!(pages[0].contains(&doc.holder), "{}", pages[0]);
        assert!(pages[0].contains("inne (5)"), "{}", pages[0]);
        assert!(
            pages[0].contains("22,5"),
            "the rest summed up: {}",
            pages[0]
        );
        assert!(!pages[0].contains("Moduł 8"), "{}", pages[0]);
    }

    #[test]
    fn hours_agree_with_their_number() {
        let pl = |h| hours_sentence(Lang::Pl, h).0;
        assert_eq!(pl("1"), "Zrealizowano 1 godzinę dydaktyczną");
        assert_eq!(pl("3"), "Zrealizowano 3 godziny dydaktyczne");
        assert_eq!(pl("12"), "Zrealizowano 12 godzin dydaktycznych");
        assert_eq!(pl("22"), "Zrealizowano 22 godziny dydaktyczne");
        assert_eq!(pl("6,67"), "Zrealizowano 6,67 godziny dydaktycznej");
        let en = |h| hours_sentence(Lang::En, h).0;
        assert_eq!(en("1"), "1 academic hour attended");
        assert_eq!(en("6.67"), "6.67 academic hours attended");
    }

    /// `WRITE_SAMPLES=1 cargo test --lib write_samples` leaves both languages in /tmp to look at.
    #[test]
    fn write_samples() {
        if std::env::var("WRITE_SAMPLES").as_deref() != Ok("1") {
            return;
        }
        for (doc, name) in [
            (sample(Lang::Pl), "pl"),
            (sample(Lang::En), "en"),
            (crowded(), "crowded"),
        ] {
            let started = std::time::Instant::now();
            let pdf = certificate(&doc).unwrap();
            eprintln!("{name}: {} bytes in {:?}", pdf.len(), started.elapsed());
            std::fs::write(format!("/tmp/certificate-{name}.pdf"), pdf).unwrap();
        }
    }
}
