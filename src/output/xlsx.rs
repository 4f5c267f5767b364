//! XLSX workbooks with one sheet: a bold, frozen header row and text cells.

use rust_xlsxwriter::{Format, Workbook};

/// One sheet named `sheet` with `headers` and `rows`, every cell text (codes keep leading zeros).
pub fn workbook<S: AsRef<str>>(
    sheet: &str,
    headers: &[S],
    rows: &[Vec<String>],
) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    let name: String = sheet
        .chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect();
    ws.set_name(name)?;
    let bold = Format::new().set_bold();
    for (col, h) in headers.iter().enumerate() {
        let col = u16::try_from(col)?;
        ws.write_string_with_format(0, col, h.as_ref(), &bold)?;
        ws.set_column_width(col, 18)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1)?;
        for (col, value) in row.iter().enumerate() {
            if !value.is_empty() {
                ws.write_string(r, u16::try_from(col)?, value)?;
            }
        }
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(book.save_to_buffer()?)
}
