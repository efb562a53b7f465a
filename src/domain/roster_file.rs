//! A roster sent as a file rather than pasted: a `.csv` (or `.tsv`,
//! `.txt`) file is read as text; the first sheet of an `.xlsx` workbook
//! becomes tab-separated text, one line per spreadsheet row (so "line 3"
//! is row 3 in Excel), which [`super::roster::parse`] then reads like a
//! paste. Nothing here touches a disk or the network.

use std::io::{Cursor, Read, Seek};

use calamine::{DataRef, DataType, Reader, Xlsx};

use super::roster::MAX_LINES;

/// The largest roster file taken: a class of 500 fits many times over.
pub const MAX_FILE_BYTES: usize = 2 * 1024 * 1024;

/// How much an `.xlsx` may unpack to, all its parts together: a workbook
/// of a few hundred rows is well under 1 MB; a zip bomb is refused before
/// it is read.
const MAX_UNPACKED_BYTES: u64 = 32 * 1024 * 1024;

/// Why a roster file cannot be read; each names the interface string that
/// says so ([`FileError::key`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FileError {
    #[error("not a .csv or .xlsx file")]
    Kind,
    #[error("too big")]
    TooBig,
    #[error("text that is not UTF-8")]
    NotUtf8,
    #[error("a broken .xlsx file")]
    BrokenWorkbook,
}

impl FileError {
    /// The Fluent key of the message for a person.
    pub fn key(self) -> &'static str {
        match self {
            FileError::Kind => "class-import-file-kind",
            FileError::TooBig => "class-import-file-too-big",
            FileError::NotUtf8 => "class-import-file-encoding",
            FileError::BrokenWorkbook => "class-import-file-broken",
        }
    }
}

/// The roster text of a file, by its name's ending.
pub fn read(file_name: &str, bytes: &[u8]) -> Result<String, FileError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(FileError::TooBig);
    }
    let lower = file_name.trim().to_ascii_lowercase();
    let ending = lower.rsplit_once('.').map_or("", |(_, ending)| ending);
    match ending {
        "csv" | "tsv" | "txt" => text(bytes),
        "xlsx" => workbook(bytes),
        _ => Err(FileError::Kind),
    }
}

/// UTF-8 (with or without a byte-order mark), or UTF-16 with its mark
/// (Excel's "Unicode text"). Anything else is refused rather than
/// guessed: a wrong guess would make wrong names.
fn text(bytes: &[u8]) -> Result<String, FileError> {
    let utf16 = |bytes: &[u8], from: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = bytes
            .chunks_exact(2)
            .map(|pair| from([pair[0], pair[1]]))
            .collect();
        String::from_utf16(&units).map_err(|_| FileError::NotUtf8)
    };
    if let Some(rest) = bytes.strip_prefix(&[0xff, 0xfe]) {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xfe, 0xff]) {
        return utf16(rest, u16::from_be_bytes);
    }
    let bytes = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]).unwrap_or(bytes);
    String::from_utf8(bytes.to_vec()).map_err(|_| FileError::NotUtf8)
}

/// The first sheet of a workbook as tab-separated lines, up to a little
/// past the most one import takes (so the roster says "at most 500").
fn workbook(bytes: &[u8]) -> Result<String, FileError> {
    check_unpacked_size(Cursor::new(bytes))?;
    let broken = |_| FileError::BrokenWorkbook;
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).map_err(broken)?;
    let first = book
        .sheet_names()
        .first()
        .cloned()
        .ok_or(FileError::BrokenWorkbook)?;
    let last_row = u32::try_from(MAX_LINES + 2).unwrap_or(u32::MAX);
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cells = book.worksheet_cells_reader(&first).map_err(broken)?;
    while let Some(cell) = cells.next_cell().map_err(broken)? {
        let (row, column) = cell.get_position();
        if row > last_row {
            break;
        }
        let value = cell_text(cell.get_value());
        if value.is_empty() {
            continue;
        }
        let (row, column) = (row as usize, column as usize);
        if rows.len() <= row {
            rows.resize(row + 1, Vec::new());
        }
        let cells = &mut rows[row];
        if cells.len() <= column {
            cells.resize(column + 1, String::new());
        }
        cells[column] = value;
    }
    let mut text = String::new();
    for row in rows {
        let line: Vec<String> = row.iter().map(|cell| quoted(cell)).collect();
        text.push_str(&line.join("\t"));
        text.push('\n');
    }
    Ok(text)
}

/// Refuses a workbook whose parts would unpack to more than
/// [`MAX_UNPACKED_BYTES`], or that is not a zip at all.
fn check_unpacked_size<R: Read + Seek>(reader: R) -> Result<(), FileError> {
    let mut archive = zip::ZipArchive::new(reader).map_err(|_| FileError::BrokenWorkbook)?;
    let mut total: u64 = 0;
    for index in 0..archive.len() {
        let entry = archive
            .by_index_raw(index)
            .map_err(|_| FileError::BrokenWorkbook)?;
        total = total.saturating_add(entry.size());
    }
    if total > MAX_UNPACKED_BYTES {
        Err(FileError::TooBig)
    } else {
        Ok(())
    }
}

/// A cell as the tutor sees it: whole numbers without `.0` (a username
/// typed as a number), errors and empty cells as nothing.
fn cell_text(value: &DataRef<'_>) -> String {
    match value {
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Bool(b) => b.to_string(),
        // A roster has no dates: the cell's number, as it is stored.
        DataRef::DateTime(d) => d.to_string(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(_) | DataRef::Empty => String::new(),
        other => other.as_string().unwrap_or_default(),
    }
    .trim()
    .to_string()
}

/// A cell ready for a tab-separated line: quoted when it holds a tab, a
/// line break or a quotation mark, as a spreadsheet copies it.
fn quoted(cell: &str) -> String {
    if cell.contains(['\t', '\n', '\r', '"']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_files_are_utf8_or_marked_utf16() {
        assert_eq!(read("class.CSV", b"a,b\n").unwrap(), "a,b\n");
        assert_eq!(
            read("class.csv", "\u{feff}amina,Амина\n".as_bytes()).unwrap(),
            "amina,Амина\n"
        );
        let mut utf16 = vec![0xff, 0xfe];
        for unit in "a\tб\n".encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(read("class.txt", &utf16).unwrap(), "a\tб\n");
        // Windows-1252 from an old Excel: refused, not guessed.
        assert_eq!(read("class.csv", b"Jos\xe9,x\n"), Err(FileError::NotUtf8));
    }

    #[test]
    fn other_files_and_broken_workbooks_are_refused() {
        assert_eq!(read("photo.jpg", b"\xff\xd8"), Err(FileError::Kind));
        assert_eq!(read("class", b"a,b"), Err(FileError::Kind));
        assert_eq!(read("class.xls", b"a,b"), Err(FileError::Kind));
        assert_eq!(
            read("class.xlsx", b"not a zip at all"),
            Err(FileError::BrokenWorkbook)
        );
        let big = vec![b'a'; MAX_FILE_BYTES + 1];
        assert_eq!(read("class.csv", &big), Err(FileError::TooBig));
    }

    #[test]
    fn cells_are_written_as_a_spreadsheet_copies_them() {
        assert_eq!(quoted("plain"), "plain");
        assert_eq!(quoted("a\tb"), "\"a\tb\"");
        assert_eq!(quoted("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell_text(&DataRef::Float(1234.0)), "1234");
        assert_eq!(cell_text(&DataRef::Float(1.5)), "1.5");
        assert_eq!(cell_text(&DataRef::SharedString(" amina ")), "amina");
        assert_eq!(cell_text(&DataRef::Empty), "");
    }

    #[test]
    fn the_first_sheet_of_a_workbook_becomes_tab_separated_lines() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write(0, 0, "Username").unwrap();
        sheet.write(0, 1, "Full name").unwrap();
        // Row 2 is left empty: row 3 stays line 3.
        sheet.write(2, 0, "amina").unwrap();
        sheet.write(2, 1, "Amina \"Mina\" Yusuf").unwrap();
        sheet.write(3, 0, 1234).unwrap();
        sheet.write(3, 1, "ትግስት ሃይሌ").unwrap();
        book.add_worksheet().write(0, 0, "not read").unwrap();
        let bytes = book.save_to_buffer().unwrap();
        assert_eq!(
            read("Class list.XLSX", &bytes).unwrap(),
            "Username\tFull name\n\namina\t\"Amina \"\"Mina\"\" Yusuf\"\n1234\tትግስት ሃይሌ\n"
        );
    }
}
