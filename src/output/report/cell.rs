//! One value of a report table, kept typed so a spreadsheet gets numbers and a page gets words,
//! and how numbers read in each language.

use chrono::NaiveDate;

use crate::domain::activity::format_hours;
use crate::domain::report::Count;
use crate::i18n::{Lang, t};

/// One value of a table, kept typed so a spreadsheet gets numbers and a page gets words.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Count(i64),
    /// A small count hidden from funders: "<3".
    Hidden(String),
    Hours(f64),
    /// 0.0–1.0; `None` when nothing was planned.
    Rate(Option<f64>),
    /// Złoty.
    Money(f64),
    Date(NaiveDate),
    Flag(bool),
    /// A measured value (a mean on the 1–5 scale, an indicator): at most two decimals.
    Decimal(Option<f64>),
    /// A change in a mean, with its sign: `+0,85`.
    Change(Option<f64>),
}

impl Cell {
    pub fn count(c: Count) -> Cell {
        match c {
            Count::Exact(n) => Cell::Count(n),
            Count::Below(_) | Count::Withheld => Cell::Hidden(c.text()),
        }
    }

    /// The value as a reader sees it in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Cell::Text(s) | Cell::Hidden(s) => s.clone(),
            Cell::Count(n) => number(*n, lang),
            Cell::Hours(h) => hours(*h, lang),
            Cell::Rate(r) => r.map_or_else(|| "—".to_owned(), |r| percent(r, lang)),
            Cell::Money(m) => money(*m, lang),
            Cell::Date(d) => d.format("%d.%m.%Y").to_string(),
            Cell::Flag(b) => t(lang, if *b { "results.yes" } else { "results.no" }),
            Cell::Decimal(v) => v.map_or_else(|| "—".to_owned(), |v| decimal(v, lang)),
            Cell::Change(v) => v.map_or_else(|| "—".to_owned(), |v| change(v, lang)),
        }
    }

    /// The value as Excel reads it from a CSV in `lang`'s locale: no digit grouping, the
    /// locale's decimal mark, ISO dates.
    pub(super) fn csv(&self, lang: Lang) -> String {
        let decimal_mark = |s: String| match lang {
            Lang::Pl => s.replace('.', ","),
            Lang::En => s,
        };
        match self {
            Cell::Count(n) => n.to_string(),
            Cell::Hours(h) => format_hours(centi(*h), lang),
            Cell::Rate(Some(r)) => format!("{}%", whole_percent(*r)),
            Cell::Money(m) => decimal_mark(format!("{m:.2}")),
            Cell::Date(d) => d.to_string(),
            // no digit grouping, a plain minus
            Cell::Decimal(Some(v)) => match lang {
                Lang::Pl => decimal(*v, lang).replace('\u{a0}', ""),
                Lang::En => decimal(*v, lang).replace(',', ""),
            },
            Cell::Change(Some(v)) => change(*v, lang).replace('\u{2212}', "-"),
            other => other.text(lang),
        }
    }

    /// Whether the cell is a quantity (right-aligned, summed by eye).
    pub fn numeric(&self) -> bool {
        !matches!(self, Cell::Text(_) | Cell::Date(_) | Cell::Flag(_))
    }
}

/// `84 393` / `84,393`.
pub fn number(n: i64, lang: Lang) -> String {
    let separator = match lang {
        Lang::Pl => '\u{a0}',
        Lang::En => ',',
    };
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + 4);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

fn centi(value: f64) -> i64 {
    (value * 100.0).round() as i64
}

/// `3,45`, `10`, `1 250,5` / `3.45`, `10`, `1,250.5`: at most two decimals, no trailing zeros.
pub fn decimal(value: f64, lang: Lang) -> String {
    let centi = centi(value);
    let whole = number(centi / 100, lang);
    let whole = if centi < 0 && centi > -100 {
        format!("-{whole}")
    } else {
        whole
    };
    let fraction = format!("{:02}", (centi % 100).abs());
    let fraction = fraction.trim_end_matches('0');
    if fraction.is_empty() {
        return whole;
    }
    let mark = if lang == Lang::Pl { ',' } else { '.' };
    format!("{whole}{mark}{fraction}")
}

/// A change with its sign and two decimals: `+0,85`, `−0,20`, `0,00`.
pub fn change(value: f64, lang: Lang) -> String {
    let centi = centi(value);
    let sign = match centi.signum() {
        1 => "+",
        -1 => "\u{2212}",
        _ => "",
    };
    let mark = if lang == Lang::Pl { ',' } else { '.' };
    let abs = centi.abs();
    format!("{sign}{}{mark}{:02}", abs / 100, abs % 100)
}

/// `84 393,00 zł` / `PLN 84,393.00`.
pub fn money(pln: f64, lang: Lang) -> String {
    let grosze = centi(pln);
    let whole = number(grosze / 100, lang);
    let fraction = (grosze % 100).abs();
    match lang {
        Lang::Pl => format!("{whole},{fraction:02}\u{a0}zł"),
        Lang::En => format!("PLN\u{a0}{whole}.{fraction:02}"),
    }
}

/// A headline amount: `351 900 zł` when there are no grosze, else as [`money`].
pub fn money_headline(pln: f64, lang: Lang) -> String {
    let grosze = centi(pln);
    if grosze % 100 != 0 {
        return money(pln, lang);
    }
    let whole = number(grosze / 100, lang);
    match lang {
        Lang::Pl => format!("{whole}\u{a0}zł"),
        Lang::En => format!("PLN\u{a0}{whole}"),
    }
}

/// Academic hours as `format_hours` writes them, with grouped thousands: `1 262,5`.
pub fn hours(value: f64, lang: Lang) -> String {
    let centi = centi(value);
    let whole = number(centi / 100, lang);
    match format_hours(centi % 100, lang).split_once([',', '.']) {
        Some((_, fraction)) => {
            let mark = if lang == Lang::Pl { ',' } else { '.' };
            format!("{whole}{mark}{fraction}")
        }
        None => whole,
    }
}

/// Rounded down, so 79.6 % never reads as the 80 % it falls short of.
pub fn whole_percent(rate: f64) -> i64 {
    (rate * 100.0 + 1e-9).floor() as i64
}

/// `87 %` / `87%`.
pub fn percent(rate: f64, lang: Lang) -> String {
    match lang {
        Lang::Pl => format!("{}\u{a0}%", whole_percent(rate)),
        Lang::En => format!("{}%", whole_percent(rate)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_the_way_each_language_writes_them() {
        assert_eq!(money(84393.0, Lang::Pl), "84\u{a0}393,00\u{a0}zł");
        assert_eq!(money(84393.0, Lang::En), "PLN\u{a0}84,393.00");
        assert_eq!(money(9.5, Lang::Pl), "9,50\u{a0}zł");
        assert_eq!(money_headline(351_900.0, Lang::Pl), "351\u{a0}900\u{a0}zł");
        assert_eq!(money_headline(351_900.0, Lang::En), "PLN\u{a0}351,900");
        assert_eq!(money_headline(9.5, Lang::En), "PLN\u{a0}9.50");
        assert_eq!(percent(0.8765, Lang::Pl), "87\u{a0}%");
        assert_eq!(percent(0.8765, Lang::En), "87%");
        assert_eq!(percent(0.29, Lang::En), "29%", "no float drift below");
        assert_eq!(percent(0.7999, Lang::En), "79%", "never rounded up to 80");
        assert_eq!(hours(1262.5, Lang::Pl), "1\u{a0}262,5");
        assert_eq!(hours(13.33, Lang::En), "13.33");
        assert_eq!(hours(48.0, Lang::Pl), "48");
        assert_eq!(number(2_477_000, Lang::En), "2,477,000");
        assert_eq!(Cell::count(Count::Below(3)).text(Lang::Pl), "<3");
        assert_eq!(Cell::count(Count::Withheld).text(Lang::Pl), "*");
        assert_eq!(decimal(3.456, Lang::Pl), "3,46");
        assert_eq!(decimal(10.0, Lang::En), "10");
        assert_eq!(decimal(1250.5, Lang::Pl), "1\u{a0}250,5");
        assert_eq!(decimal(-0.5, Lang::En), "-0.5");
        assert_eq!(change(0.854, Lang::Pl), "+0,85");
        assert_eq!(change(-0.2, Lang::En), "\u{2212}0.20");
        assert_eq!(change(0.0, Lang::En), "0.00");
        assert_eq!(Cell::Change(Some(-1.5)).csv(Lang::Pl), "-1,50");
        assert_eq!(Cell::Decimal(Some(1250.5)).csv(Lang::Pl), "1250,5");
        assert_eq!(Cell::Decimal(None).text(Lang::Pl), "—");
    }
}
