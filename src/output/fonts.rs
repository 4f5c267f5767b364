//! The fonts PDFs embed: DejaVu Sans (regular and bold), which has every Polish glyph. They are
//! parsed once per process and shared; printpdf subsets them into each document.

use std::sync::{Arc, LazyLock};

use printpdf::ParsedFont;

const REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));
const BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-Bold.ttf"
));

/// A parsed font with what text measurement needs.
pub struct Face {
    pub font: Arc<ParsedFont>,
    units_per_em: f32,
}

impl Face {
    fn parse(bytes: &[u8]) -> Face {
        let font = ParsedFont::from_bytes(bytes, 0, &mut Vec::new())
            .expect("the bundled DejaVu font parses");
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        Face {
            font: Arc::new(font),
            units_per_em,
        }
    }

    /// The advance of one character in font units (half an em for a character the font lacks).
    fn advance(&self, c: char) -> f32 {
        match self.font.lookup_glyph_index(c as u32) {
            Some(gid) => f32::from(self.font.get_horizontal_advance(gid)),
            None => self.units_per_em / 2.0,
        }
    }

    /// The width of `text` set in this font at `size` points, in points. printpdf sets one glyph
    /// per character without kerning, so the sum of advances is what the page shows.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text.chars().map(|c| self.advance(c)).sum();
        units / self.units_per_em * size
    }

    /// `text` cut to fit `max` points at `size`, with "…" when something was cut.
    pub fn fit(&self, text: &str, size: f32, max: f32) -> String {
        if self.width(text, size) <= max {
            text.to_owned()
        } else {
            self.ellipsize(text, size, max)
        }
    }

    /// The longest start of `text` that, followed by "…", fits `max` points at `size`.
    fn ellipsize(&self, text: &str, size: f32, max: f32) -> String {
        let scale = size / self.units_per_em;
        let budget = max - self.width("…", size);
        if budget < 0.0 {
            return String::new();
        }
        let mut used = 0.0;
        let mut end = 0;
        for (i, c) in text.char_indices() {
            used += self.advance(c) * scale;
            if used > budget {
                break;
            }
            end = i + c.len_utf8();
        }
        format!("{}…", text[..end].trim_end())
    }

    /// `text` at `size` if it fits `max` points, else at the smaller size (not under `min`) at
    /// which it does, else cut with "…" at `min`. Returns the text to show and its size.
    pub fn fit_shrinking(&self, text: &str, size: f32, min: f32, max: f32) -> (String, f32) {
        let width = self.width(text, size);
        if width <= max {
            return (text.to_owned(), size);
        }
        // Width grows linearly with size; round down so the shown text stays inside.
        let smaller = (size * max / width * 10.0).floor() / 10.0;
        if smaller >= min {
            (text.to_owned(), smaller)
        } else {
            (self.fit(text, min, max), min)
        }
    }

    /// `text` broken into lines no wider than `max` points at `size`; a word longer than a line
    /// (a link, say) is broken where it must.
    pub fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        // A no-break space (in "84 393,00 zł") keeps its neighbours on one line.
        for word in text
            .split(|c: char| c.is_whitespace() && c != '\u{a0}')
            .filter(|w| !w.is_empty())
        {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size) <= max {
                line = candidate;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            for c in word.chars() {
                line.push(c);
                if self.width(&line, size) > max && line.chars().count() > 1 {
                    line.pop();
                    lines.push(std::mem::replace(&mut line, c.to_string()));
                }
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        lines
    }

    /// [`Face::wrap`] kept to `most` lines, the last ending in "…" when text was left out.
    pub fn wrap_at_most(&self, text: &str, size: f32, max: f32, most: usize) -> Vec<String> {
        let mut lines = self.wrap(text, size, max);
        if lines.len() > most {
            lines.truncate(most);
            if let Some(last) = lines.pop() {
                lines.push(self.ellipsize(&last, size, max));
            }
        }
        lines
    }
}

pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

static FONTS: LazyLock<Fonts> = LazyLock::new(|| Fonts {
    regular: Face::parse(REGULAR),
    bold: Face::parse(BOLD),
});

/// The shared fonts, parsed on first use.
pub fn fonts() -> &'static Fonts {
    &FONTS
}

#[cfg(test)]
mod tests {
    use super::fonts;

    const ACKNOWLEDGEMENT: &str =
        "Projekt realizowany w ramach programu Aktywni Obywatele – Fundusz Regionalny";

    #[test]
    fn measures_fits_and_wraps_polish_text() {
        let f = &fonts().regular;
        let narrow = f.width("iiii", 10.0);
        let wide = f.width("WWWW", 10.0);
        assert!(narrow > 0.0 && wide > narrow * 2.0);
        assert!(f.width("Żółć", 10.0) > 0.0);
        assert!((f.width("Łęcka", 20.0) - 2.0 * f.width("Łęcka", 10.0)).abs() < 0.01);
        let fitted = f.fit("Małgorzata Żółkiewska-Łęcka-Brzęczyszczykiewicz", 9.0, 80.0);
        assert!(
            fitted.ends_with('…') && f.width(&fitted, 9.0) <= 80.0,
            "{fitted}"
        );
        assert_eq!(f.fit("Śrem", 9.0, 80.0), "Śrem");
        let lines = f.wrap(ACKNOWLEDGEMENT, 8.0, 120.0);
        assert!(
            lines.len() > 1 && lines.iter().all(|l| f.width(l, 8.0) <= 120.0),
            "{lines:?}"
        );
        assert_eq!(lines.join(" "), ACKNOWLEDGEMENT, "nothing lost");
    }

    #[test]
    fn shrinks_before_it_cuts() {
        let f = &fonts().regular;
        let group = "osoba narażona na wykluczenie (ONW)";
        let max = f.width(group, 8.0) * 0.9;
        let (shown, size) = f.fit_shrinking(group, 8.0, 6.5, max);
        assert_eq!(shown, group);
        assert!((6.5..8.0).contains(&size) && f.width(&shown, size) <= max);
        let (shown, size) = f.fit_shrinking(group, 8.0, 6.5, max / 2.0);
        assert!(shown.ends_with('…') && size == 6.5 && f.width(&shown, size) <= max / 2.0);
        assert_eq!(
            f.fit_shrinking("ONW", 8.0, 6.5, max),
            ("ONW".to_owned(), 8.0)
        );
    }

    #[test]
    fn breaks_a_long_link_and_marks_what_is_left_out() {
        let f = &fonts().regular;
        let link = "https://zoom.us/j/12345678901?pwd=aVeryLongPasswordTokenThatGoesOnAndOn";
        let lines = f.wrap(link, 9.0, 100.0);
        assert!(lines.len() > 1 && lines.iter().all(|l| f.width(l, 9.0) <= 100.0));
        assert_eq!(lines.concat(), link, "broken, not cut");
        let two = f.wrap_at_most(ACKNOWLEDGEMENT, 8.0, 60.0, 2);
        assert_eq!(two.len(), 2);
        assert!(
            two[1].ends_with('…') && f.width(&two[1], 8.0) <= 60.0,
            "{two:?}"
        );
        assert_eq!(f.wrap_at_most("Śrem", 8.0, 60.0, 2), ["Śrem"]);
    }
}
