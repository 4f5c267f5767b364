//! Folding text for search: lower case without diacritics, so `srem` finds Śrem and `LODZ` finds Łódź.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Lower-cases `text` and removes diacritics (including Polish ł, which does not decompose).
pub fn fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'ł' => 'l',
            'ø' => 'o',
            'đ' => 'd',
            'ß' => 's',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn removes_polish_diacritics_in_any_case() {
        assert_eq!(fold("Śrem"), "srem");
        assert_eq!(fold("ŁÓDŹ"), "lodz");
        assert_eq!(fold("Żółkiewka"), "zolkiewka");
        assert_eq!(fold("Gręboszów"), "greboszow");
        assert_eq!(fold("ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ"), "acelnoszz acelnoszz");
        assert_eq!(fold("Bielsko-Biała"), "bielsko-biala");
    }
}
