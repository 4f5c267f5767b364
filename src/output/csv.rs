//! CSV that Polish Excel opens right: UTF-8 with a BOM, semicolons, CRLF.

/// Writes a header row and rows as Excel-friendly CSV.
pub fn excel_csv<S: AsRef<str>>(headers: &[S], rows: &[Vec<String>]) -> anyhow::Result<Vec<u8>> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut writer = ::csv::WriterBuilder::new()
            .delimiter(b';')
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        writer.write_record(headers.iter().map(|h| h.as_ref()))?;
        for row in rows {
            writer.write_record(row)?;
        }
        writer.flush()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn bom_semicolons_crlf_and_quoting() {
        let bytes = super::excel_csv(
            &["imię", "nazwisko"],
            &[vec!["Łucja".into(), "Kos; Nowak".into()]],
        )
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert_eq!(text, "\u{feff}imię;nazwisko\r\nŁucja;\"Kos; Nowak\"\r\n");
    }
}
