//! CSV for spreadsheets: one record at a time (exports stream), and cells
//! that a spreadsheet would run as a formula are defused.

/// A cell as written: text that starts with `=`, `+`, `-`, `@` (or a tab or
/// carriage return, which some spreadsheets skip before one of those) gets
/// a leading `'`, so opening the file never runs a formula a learner typed
/// into their name. Numbers and dates we write never start that way.
pub fn safe_cell(text: &str) -> std::borrow::Cow<'_, str> {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}").into(),
        _ => text.into(),
    }
}

/// The UTF-8 byte-order mark. Excel reads a CSV file without one in the
/// computer's legacy code page, which turns Arabic, Ukrainian and Ethiopic
/// names into mojibake; with it, Excel (and LibreOffice, Google Sheets and
/// the `csv` readers) read UTF-8. It is written once, before the header.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The first record of a file: the byte-order mark, then the header.
pub fn header<I, S>(cells: I) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut out = BOM.to_vec();
    out.extend(record(cells));
    out
}

/// One CSV record (with its line end), every cell made safe.
pub fn record<I, S>(cells: I) -> Vec<u8>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(128));
    let cells: Vec<String> = cells
        .into_iter()
        .map(|c| safe_cell(c.as_ref()).into_owned())
        .collect();
    // Writing to a Vec cannot fail; an error would only lose this line.
    let _ = writer.write_record(&cells);
    writer.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_defused_and_quotes_escaped() {
        assert_eq!(safe_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(safe_cell("-2+3"), "'-2+3");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("Amina"), "Amina");
        let line = String::from_utf8(record(["a,b", "say \"hi\"", "+1"])).unwrap();
        assert_eq!(line, "\"a,b\",\"say \"\"hi\"\"\",'+1\r\n");
    }

    #[test]
    fn a_header_starts_with_the_byte_order_mark_once() {
        let mut file = header(["name", "sector"]);
        file.extend(record(["Олена", "care"]));
        assert_eq!(&file[..3], [0xEF, 0xBB, 0xBF]);
        assert_eq!(file.windows(3).filter(|w| *w == BOM).count(), 1);
        // A reader that knows the mark reads the names intact.
        let text = std::str::from_utf8(&file[3..]).unwrap();
        assert!(text.starts_with("name,sector\r\n") && text.contains("Олена"));
    }
}
