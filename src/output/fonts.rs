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

    /// The width of `text` set in this font at `size` points, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        let units: f32 = text
            .chars()
            .map(|c| match self.font.lookup_glyph_index(c as u32) {
                Some(gid) => f32::from(self.font.get_horizontal_advance(gid)),
                None => self.units_per_em / 2.0,
            })
            .sum();
        units / self.units_per_em * size
    }

    /// `text` cut to fit `max` points at `size`, with "…" when something was cut.
    pub fn fit(&self, text: &str, size: f32, max: f32) -> String {
        if self.width(text, size) <= max {
            return text.to_owned();
        }
        let mut chars: Vec<char> = text.chars().collect();
        while !chars.is_empty() {
            chars.pop();
            let candidate = format!("{}…", chars.iter().collect::<String>().trim_end());
            if self.width(&candidate, size) <= max {
                return candidate;
            }
        }
        String::new()
    }

    /// `text` broken into lines no wider than `max` points at `size` (words longer than a line
    /// are cut to fit).
    pub fn wrap(&self, text: &str, size: f32, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        let mut line = String::new();
        for word in text.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_owned()
            } else {
                format!("{line} {word}")
            };
            if self.width(&candidate, size) <= max {
                line = candidate;
            } else {
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                line = self.fit(word, size, max);
            }
        }
        if !line.is_empty() {
            lines.push(line);
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

    #[test]
    fn measures_fits_and_wraps_polish_text() {
        let f = &fonts().regular;
        let narrow = f.width("iiii", 10.0);
        let wide = f.width("WWWW", 10.0);
        assert!(narrow > 0.0 && wide > narrow * 2.0);
        assert!(f.width("Żółć", 10.0) > 0.0);
        let fitted = f.fit("Małgorzata Żółkiewska-Łęcka-Brzęczyszczykiewicz", 9.0, 80.0);
        assert!(
            fitted.ends_with('…') && f.width(&fitted, 9.0) <= 80.0,
            "{fitted}"
        );
        assert_eq!(f.fit("Śrem", 9.0, 80.0), "Śrem");
        let lines = f.wrap(
            "Projekt realizowany w ramach programu Aktywni Obywatele – Fundusz Regionalny",
            8.0,
            120.0,
        );
        assert!(
            lines.len() > 1 && lines.iter().all(|l| f.width(l, 8.0) <= 120.0),
            "{lines:?}"
        );
    }
}
