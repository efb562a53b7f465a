//! The certificate as a print-ready PDF: A4 landscape, the learner's name
//! shaped in its own script (Arabic right to left, Ethiopic, Cyrillic,
//! Latin with accents) from the Noto fonts shipped in `assets/fonts`, and a
//! QR code to the public verification page with the id printed under it.
//!
//! krilla writes the PDF and shapes text with rustybuzz; we lay out each
//! line ourselves. A line may mix scripts ("Ahmed أحمد", "Zahra زهرا
//! Ahmadi"), so it is cut into pieces: first by direction, with the Unicode
//! bidirectional algorithm (`unicode-bidi`), which also puts the pieces in
//! the order they are seen; then by font, each letter taken from the first
//! font of a fallback chain (Noto Sans, Noto Sans Arabic, Noto Sans
//! Ethiopic) that has it. Each piece is shaped in its own font and
//! direction, and the pieces are centred together.

use std::sync::{Arc, LazyLock};

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

/// A4 landscape, in points.
const PAGE_WIDTH: f32 = 841.89;
const PAGE_HEIGHT: f32 = 595.28;
const MARGIN: f32 = 36.0;
/// The widest a centred line may be before its size is reduced.
const LINE_WIDTH: f32 = PAGE_WIDTH - 4.0 * MARGIN;
const QR_SIZE: f32 = 96.0;

const BRAND: (u8, u8, u8) = (11, 92, 173);
const INK: (u8, u8, u8) = (26, 26, 26);
const MUTED: (u8, u8, u8) = (74, 74, 74);

/// What a certificate says, already in words.
#[derive(Debug, Clone)]
pub struct PdfCertificate {
    /// As printed: `K7MX-3QPA-W`.
    pub id: String,
    pub learner_name: String,
    pub title: String,
    /// e.g. "Hospitality · English level A2 · 20 hours".
    pub details: String,
    /// e.g. "Issued 22 November 2026 · Valid until 22 November 2028".
    pub dates: String,
    pub organisation: String,
    pub verify_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("a font in assets/fonts cannot be read")]
    Font,
    #[error("the QR code cannot be made: {0}")]
    Qr(String),
    #[error("the PDF cannot be written: {0}")]
    Write(String),
}

struct Face {
    font: Font,
    /// The font's character map, to know which letters it has.
    shaper: rustybuzz::Face<'static>,
}

impl Face {
    fn has(&self, c: char) -> bool {
        self.shaper.glyph_index(c).is_some()
    }
}

struct Fonts {
    regular: Face,
    bold: Face,
    arabic: Face,
    ethiopic: Face,
}

fn face(bytes: &'static [u8]) -> Option<Face> {
    let font = Font::new(Arc::new(bytes.to_vec()).into(), 0)?;
    let shaper = rustybuzz::Face::from_slice(bytes, 0)?;
    Some(Face { font, shaper })
}

impl Fonts {
    /// The fallback chain for a line: its own face first (regular or bold
    /// Latin, Cyrillic and Greek), then Arabic and Ethiopic.
    fn chain<'a>(&'a self, first: &'a Face) -> [&'a Face; 3] {
        [first, &self.arabic, &self.ethiopic]
    }
}

/// Part of a line in one font and one direction, in the order the pieces
/// are seen from left to right.
struct Piece<'a> {
    face: &'a Face,
    text: &'a str,
    right_to_left: bool,
}

/// Cuts a line into pieces: runs of one direction in visual order (the
/// Unicode bidirectional algorithm, the paragraph direction taken from the
/// first strong letter as `dir="auto"` does), each cut again where the
/// letters need another font of `chain`.
fn pieces<'a>(text: &'a str, chain: &[&'a Face]) -> Vec<Piece<'a>> {
    let mut pieces = Vec::new();
    let bidi = unicode_bidi::BidiInfo::new(text, None);
    for paragraph in &bidi.paragraphs {
        let (levels, runs) = bidi.visual_runs(paragraph, paragraph.range.clone());
        for run in runs {
            let right_to_left = levels.get(run.start).is_some_and(|l| l.is_rtl());
            let mut in_fonts = by_font(&text[run], chain);
            // Pieces are drawn left to right; a right-to-left run's pieces
            // come in reading order, so they are drawn last first.
            if right_to_left {
                in_fonts.reverse();
            }
            pieces.extend(in_fonts.into_iter().map(|(face, text)| Piece {
                face,
                text,
                right_to_left,
            }));
        }
    }
    pieces
}

/// Splits text where it needs another font: each letter from the first font
/// of `chain` that has it; spaces and marks stay with the font before them
/// when it has them. A letter no font has comes from the first (and shows
/// as a box, as it would anywhere).
fn by_font<'a>(text: &'a str, chain: &[&'a Face]) -> Vec<(&'a Face, &'a str)> {
    let mut out: Vec<(&Face, &str)> = Vec::new();
    let mut start = 0;
    let mut current: Option<&Face> = None;
    for (at, c) in text.char_indices() {
        let keep = current.is_some_and(|face| {
            face.has(c)
                && (!c.is_alphabetic()
                    || chain_first(chain, c).is_none_or(|f| std::ptr::eq(f, face)))
        });
        if keep {
            continue;
        }
        let face = chain_first(chain, c).or(current).unwrap_or(chain[0]);
        if let Some(previous) = current
            && !std::ptr::eq(previous, face)
        {
            out.push((previous, &text[start..at]));
            start = at;
        }
        current = Some(face);
    }
    if let Some(face) = current {
        out.push((face, &text[start..]));
    }
    out
}

fn chain_first<'a>(chain: &[&'a Face], c: char) -> Option<&'a Face> {
    chain.iter().copied().find(|face| face.has(c))
}

/// The fonts, compiled into the binary so a certificate never depends on
/// what the server has installed.
static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(|| {
    Some(Fonts {
        regular: face(include_bytes!("../../assets/fonts/NotoSans-Regular.ttf"))?,
        bold: face(include_bytes!("../../assets/fonts/NotoSans-Bold.ttf"))?,
        arabic: face(include_bytes!("../../assets/fonts/NotoSansArabic-Bold.ttf"))?,
        ethiopic: face(include_bytes!(
            "../../assets/fonts/NotoSansEthiopic-Bold.ttf"
        ))?,
    })
});

/// The width of a shaped line, in points.
fn line_width(face: &Face, text: &str, size: f32, right_to_left: bool) -> f32 {
    let shaper = &face.shaper;
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(if right_to_left {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    let shaped = rustybuzz::shape(shaper, &[], buffer);
    let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
    units as f32 * size / f32::from(shaper.units_per_em().max(1) as u16)
}

fn fill(surface: &mut Surface, (r, g, b): (u8, u8, u8)) {
    surface.set_stroke(None);
    surface.set_fill(Some(Fill {
        paint: rgb::Color::new(r, g, b).into(),
        ..Default::default()
    }));
}

/// The width of a line laid out in pieces, in points.
fn pieces_width(pieces: &[Piece<'_>], size: f32) -> f32 {
    pieces
        .iter()
        .map(|p| line_width(p.face, p.text, size, p.right_to_left))
        .sum()
}

/// Draws a line centred on the page at baseline `y`, in the fonts of
/// `chain` it needs, made smaller if it would not fit.
fn centred(surface: &mut Surface, chain: &[&Face], size: f32, y: f32, text: &str) {
    let pieces = pieces(text, chain);
    let mut size = size;
    let mut width = pieces_width(&pieces, size);
    if width > LINE_WIDTH {
        size *= LINE_WIDTH / width;
        width = LINE_WIDTH;
    }
    let mut x = (PAGE_WIDTH - width) / 2.0;
    for piece in &pieces {
        let direction = if piece.right_to_left {
            TextDirection::RightToLeft
        } else {
            TextDirection::LeftToRight
        };
        surface.draw_text(
            Point::from_xy(x, y),
            piece.face.font.clone(),
            size,
            piece.text,
            false,
            direction,
        );
        x += line_width(piece.face, piece.text, size, piece.right_to_left);
    }
}

fn qr_code(surface: &mut Surface, url: &str, x: f32, y: f32) -> Result<(), PdfError> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| PdfError::Qr(e.to_string()))?;
    let modules = code.width();
    let module = QR_SIZE / modules as f32;
    let mut path = PathBuilder::new();
    for row in 0..modules {
        for column in 0..modules {
            if code[(column, row)] == qrcode::Color::Dark
                && let Some(rect) = Rect::from_xywh(
                    x + column as f32 * module,
                    y + row as f32 * module,
                    module,
                    module,
                )
            {
                path.push_rect(rect);
            }
        }
    }
    if let Some(path) = path.finish() {
        fill(surface, INK);
        surface.draw_path(&path);
    }
    Ok(())
}

/// The certificate as PDF bytes.
pub fn render(certificate: &PdfCertificate) -> Result<Vec<u8>, PdfError> {
    let fonts = FONTS.as_ref().ok_or(PdfError::Font)?;
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!(
                "{}: {}",
                certificate.title, certificate.learner_name
            ))
            .authors(vec![certificate.organisation.clone()])
            .language("en-GB".to_string()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT)
        .ok_or_else(|| PdfError::Write("page size".into()))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();

    // A frame, so the page looks finished when printed.
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::new(BRAND.0, BRAND.1, BRAND.2).into(),
        width: 3.0,
        ..Default::default()
    }));
    let mut frame = PathBuilder::new();
    if let Some(rect) = Rect::from_xywh(
        MARGIN / 2.0,
        MARGIN / 2.0,
        PAGE_WIDTH - MARGIN,
        PAGE_HEIGHT - MARGIN,
    ) {
        frame.push_rect(rect);
    }
    if let Some(path) = frame.finish() {
        surface.draw_path(&path);
    }

    fill(&mut surface, MUTED);
    centred(
        &mut surface,
        &fonts.chain(&fonts.regular),
        16.0,
        92.0,
        &certificate.organisation,
    );
    fill(&mut surface, BRAND);
    centred(
        &mut surface,
        &fonts.chain(&fonts.bold),
        34.0,
        150.0,
        "Certificate of completion",
    );
    fill(&mut surface, MUTED);
    centred(
        &mut surface,
        &fonts.chain(&fonts.regular),
        15.0,
        198.0,
        "This certifies that",
    );

    fill(&mut surface, INK);
    centred(
        &mut surface,
        &fonts.chain(&fonts.bold),
        40.0,
        262.0,
        &certificate.learner_name,
    );
    fill(&mut surface, MUTED);
    centred(
        &mut surface,
        &fonts.chain(&fonts.regular),
        15.0,
        306.0,
        "has completed the course",
    );
    fill(&mut surface, INK);
    centred(
        &mut surface,
        &fonts.chain(&fonts.bold),
        24.0,
        348.0,
        &certificate.title,
    );
    fill(&mut surface, MUTED);
    centred(
        &mut surface,
        &fonts.chain(&fonts.regular),
        13.0,
        384.0,
        &certificate.details,
    );
    centred(
        &mut surface,
        &fonts.chain(&fonts.regular),
        13.0,
        406.0,
        &certificate.dates,
    );

    // Bottom right: the QR code with the id under it; bottom left: where to
    // check it by hand.
    let qr_x = PAGE_WIDTH - MARGIN - 24.0 - QR_SIZE;
    let qr_y = PAGE_HEIGHT - MARGIN - 40.0 - QR_SIZE;
    qr_code(&mut surface, &certificate.verify_url, qr_x, qr_y)?;
    fill(&mut surface, INK);
    let id_width = line_width(&fonts.bold, &certificate.id, 12.0, false);
    surface.draw_text(
        Point::from_xy(qr_x + (QR_SIZE - id_width) / 2.0, qr_y + QR_SIZE + 18.0),
        fonts.bold.font.clone(),
        12.0,
        &certificate.id,
        false,
        TextDirection::LeftToRight,
    );
    fill(&mut surface, MUTED);
    let left = MARGIN + 24.0;
    surface.draw_text(
        Point::from_xy(left, qr_y + QR_SIZE - 14.0),
        fonts.regular.font.clone(),
        11.0,
        "Check this certificate at:",
        false,
        TextDirection::LeftToRight,
    );
    surface.draw_text(
        Point::from_xy(left, qr_y + QR_SIZE + 2.0),
        fonts.regular.font.clone(),
        11.0,
        &certificate.verify_url,
        false,
        TextDirection::LeftToRight,
    );
    surface.finish();
    page.finish();
    document
        .finish()
        .map_err(|e| PdfError::Write(format!("{e:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces of a line as (font, text, right to left), in the order
    /// they are drawn from left to right.
    fn laid_out(text: &str) -> Vec<(&'static str, String, bool)> {
        let fonts = FONTS.as_ref().expect("fonts");
        let name = |face: &Face| {
            if std::ptr::eq(face, &fonts.arabic) {
                "arabic"
            } else if std::ptr::eq(face, &fonts.ethiopic) {
                "ethiopic"
            } else {
                "latin"
            }
        };
        pieces(text, &fonts.chain(&fonts.bold))
            .iter()
            .map(|p| (name(p.face), p.text.to_string(), p.right_to_left))
            .collect()
    }

    #[test]
    fn a_name_in_one_script_is_one_piece_in_its_font() {
        assert_eq!(
            laid_out("أمينة خان"),
            [("arabic", "أمينة خان".into(), true)]
        );
        assert_eq!(
            laid_out("ትግስት ሃይሌ"),
            [("ethiopic", "ትግስት ሃይሌ".into(), false)]
        );
        assert_eq!(
            laid_out("Олена Zoë"),
            [("latin", "Олена Zoë".into(), false)]
        );
    }

    #[test]
    fn a_name_mixing_scripts_takes_each_part_from_a_font_that_has_it() {
        // Latin first: the line reads left to right, the Arabic part
        // shaped right to left in its place.
        assert_eq!(
            laid_out("Zahra زهرا Ahmadi"),
            [
                ("latin", "Zahra ".into(), false),
                ("arabic", "زهرا".into(), true),
                ("latin", " Ahmadi".into(), false),
            ]
        );
        // Arabic first: the paragraph is right to left, so the Latin name
        // is drawn on the left of the Arabic one.
        assert_eq!(
            laid_out("أحمد Ahmed"),
            [
                ("latin", "Ahmed".into(), false),
                ("arabic", "أحمد ".into(), true)
            ]
        );
        assert_eq!(
            laid_out("Tesfay ተስፋይ"),
            [
                ("latin", "Tesfay ".into(), false),
                ("ethiopic", "ተስፋይ".into(), false)
            ]
        );
    }

    #[test]
    fn a_long_title_is_made_to_fit() {
        let fonts = FONTS.as_ref().expect("fonts");
        let long = "A very long certificate title ".repeat(6);
        assert!(line_width(&fonts.bold, &long, 24.0, false) > LINE_WIDTH);
        let pdf = render(&PdfCertificate {
            id: "K7MX-3QPA-W".into(),
            learner_name: "Zoë Ñúñez".into(),
            title: long,
            details: "Hospitality".into(),
            dates: "Issued 22 November 2026".into(),
            organisation: "Presto".into(),
            verify_url: "http://127.0.0.1:8080/verify/K7MX3QPAW".into(),
        })
        .expect("a PDF");
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
