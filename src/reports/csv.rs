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
}
