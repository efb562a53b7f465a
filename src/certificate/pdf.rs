//! The certificate as a print-ready PDF: A4 landscape, the learner's name
//! shaped in its own script (Arabic right to left, Ethiopic, Cyrillic,
//! Latin with accents) from the Noto fonts shipped in `assets/fonts`, and a
//! QR code to the public verification page with the id printed under it.
//!
//! krilla writes the PDF and shapes text with rustybuzz; we only measure
//! lines (also with rustybuzz) to centre them. A name is set in one font,
//! chosen by its first letter's script: names that mix scripts are rare,
//! and a font fallback chain would be needed for them.

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
    data: Arc<Vec<u8>>,
}

struct Fonts {
    regular: Face,
    bold: Face,
    arabic: Face,
    ethiopic: Face,
}

fn face(bytes: &'static [u8]) -> Option<Face> {
    let data = Arc::new(bytes.to_vec());
    let font = Font::new(data.clone().into(), 0)?;
    Some(Face { font, data })
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

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Script {
    Arabic,
    Ethiopic,
    Other,
}

/// The script of the first letter, which decides the font and direction.
fn script_of(text: &str) -> Script {
    let Some(first) = text.chars().find(|c| c.is_alphabetic()) else {
        return Script::Other;
    };
    match first as u32 {
        0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x1200..=0x139F | 0x2D80..=0x2DDF | 0xAB00..=0xAB2F => Script::Ethiopic,
        _ => Script::Other,
    }
}

/// The width of a shaped line, in points.
fn line_width(face: &Face, text: &str, size: f32, right_to_left: bool) -> f32 {
    let Some(shaper) = rustybuzz::Face::from_slice(&face.data, 0) else {
        return 0.0;
    };
    let mut buffer = rustybuzz::UnicodeBuffer::new();
    buffer.push_str(text);
    buffer.guess_segment_properties();
    buffer.set_direction(if right_to_left {
        rustybuzz::Direction::RightToLeft
    } else {
        rustybuzz::Direction::LeftToRight
    });
    let shaped = rustybuzz::shape(&shaper, &[], buffer);
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

/// Draws a line centred on the page at baseline `y`, made smaller if it
/// would not fit.
fn centred(surface: &mut Surface, face: &Face, size: f32, y: f32, text: &str, right_to_left: bool) {
    let mut size = size;
    let mut width = line_width(face, text, size, right_to_left);
    if width > LINE_WIDTH {
        size *= LINE_WIDTH / width;
        width = LINE_WIDTH;
    }
    let direction = if right_to_left {
        TextDirection::RightToLeft
    } else {
        TextDirection::LeftToRight
    };
    surface.draw_text(
        Point::from_xy((PAGE_WIDTH - width) / 2.0, y),
        face.font.clone(),
        size,
        text,
        false,
        direction,
    );
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
        &fonts.regular,
        16.0,
        92.0,
        &certificate.organisation,
        false,
    );
    fill(&mut surface, BRAND);
    centred(
        &mut surface,
        &fonts.bold,
        34.0,
        150.0,
        "Certificate of completion",
        false,
    );
    fill(&mut surface, MUTED);
    centred(
        &mut surface,
        &fonts.regular,
        15.0,
        198.0,
        "This certifies that",
        false,
    );

    let (name_face, right_to_left) = match script_of(&certificate.learner_name) {
        Script::Arabic => (&fonts.arabic, true),
        Script::Ethiopic => (&fonts.ethiopic, false),
        Script::Other => (&fonts.bold, false),
    };
    fill(&mut surface, INK);
    centred(
        &mut surface,
        name_face,
        40.0,
        262.0,
        &certificate.learner_name,
        right_to_left,
    );
    fill(&mut surface, MUTED);
    centred(
        &mut surface,
        &fonts.regular,
        15.0,
        306.0,
        "has completed the course",
        false,
    );
    fill(&mut surface, INK);
    centred(
        &mut surface,
        &fonts.bold,
        24.0,
        348.0,
        &certificate.title,
        false,
    );
    fill(&mut surface, MUTED);
    centred(
        &mut surface,
        &fonts.regular,
        13.0,
        384.0,
        &certificate.details,
        false,
    );
    centred(
        &mut surface,
        &fonts.regular,
        13.0,
        406.0,
        &certificate.dates,
        false,
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

    #[test]
    fn scripts_are_told_apart_by_the_first_letter() {
        assert_eq!(script_of("أمينة خان"), Script::Arabic);
        assert_eq!(script_of("محمد رضا"), Script::Arabic);
        assert_eq!(script_of("ትግስት ሃይሌ"), Script::Ethiopic);
        assert_eq!(script_of("Олена"), Script::Other);
        assert_eq!(script_of("  Zoë"), Script::Other);
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
