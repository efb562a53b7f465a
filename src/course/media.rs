//! What may be in a course's `media/` folder: pictures and sound, each
//! known by its name's ending and checked by its first bytes, so a web page
//! or a script can never be published as course media (and so served from
//! the site's own address).
//!
//! One table serves the compiler (which files a course may hold), the
//! lesson renderer (which links become an audio player) and the server
//! (which files `/media` serves, and with which content type).

/// A kind of file a course may hold in `media/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Svg,
    Mp3,
    Ogg,
    M4a,
    Aac,
    Wav,
}

/// Every ending a media file may have, and what it must hold.
const ENDINGS: &[(&str, MediaKind)] = &[
    ("png", MediaKind::Png),
    ("jpg", MediaKind::Jpeg),
    ("jpeg", MediaKind::Jpeg),
    ("gif", MediaKind::Gif),
    ("webp", MediaKind::Webp),
    ("svg", MediaKind::Svg),
    ("mp3", MediaKind::Mp3),
    ("ogg", MediaKind::Ogg),
    ("opus", MediaKind::Ogg),
    ("m4a", MediaKind::M4a),
    ("aac", MediaKind::Aac),
    ("wav", MediaKind::Wav),
];

/// The endings, as a tutor reads them in a hint.
pub const ALLOWED_ENDINGS: &str = "pictures (.png, .jpg, .jpeg, .gif, .webp, .svg) and sound (.mp3, .ogg, .opus, .m4a, .aac, .wav)";

/// How many bytes of a file (other than an SVG) are enough to tell its kind.
pub const HEAD_BYTES: usize = 64;
/// SVGs are read whole to look for scripts; a drawing for a lesson is a few
/// kilobytes, and one this large is refused rather than searched.
pub const MAX_SVG_BYTES: u64 = 8 * 1024 * 1024;

impl MediaKind {
    /// The kind a file name's ending promises (`media/sink.SVG` -> Svg), or
    /// None for an ending a course may not use.
    pub fn of_name(name: &str) -> Option<MediaKind> {
        let file = name.rsplit('/').next().unwrap_or(name);
        let (_, ending) = file.rsplit_once('.')?;
        ENDINGS
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(ending))
            .map(|(_, kind)| *kind)
    }

    /// The Content-Type the server sends, chosen from the name and never
    /// from the contents.
    pub fn content_type(self) -> &'static str {
        match self {
            MediaKind::Png => "image/png",
            MediaKind::Jpeg => "image/jpeg",
            MediaKind::Gif => "image/gif",
            MediaKind::Webp => "image/webp",
            MediaKind::Svg => "image/svg+xml",
            MediaKind::Mp3 => "audio/mpeg",
            MediaKind::Ogg => "audio/ogg",
            MediaKind::M4a => "audio/mp4",
            MediaKind::Aac => "audio/aac",
            MediaKind::Wav => "audio/wav",
        }
    }

    pub fn is_audio(self) -> bool {
        matches!(
            self,
            MediaKind::Mp3 | MediaKind::Ogg | MediaKind::M4a | MediaKind::Aac | MediaKind::Wav
        )
    }

    /// As a tutor would name it: "a PNG picture".
    pub fn described(self) -> &'static str {
        match self {
            MediaKind::Png => "a PNG picture",
            MediaKind::Jpeg => "a JPEG picture",
            MediaKind::Gif => "a GIF picture",
            MediaKind::Webp => "a WebP picture",
            MediaKind::Svg => "an SVG drawing",
            MediaKind::Mp3 => "an MP3 sound file",
            MediaKind::Ogg => "an Ogg sound file",
            MediaKind::M4a => "an M4A sound file",
            MediaKind::Aac => "an AAC sound file",
            MediaKind::Wav => "a WAV sound file",
        }
    }

    /// The usual ending, for "rename it to end in .jpg".
    fn ending(self) -> &'static str {
        match self {
            MediaKind::Png => "png",
            MediaKind::Jpeg => "jpg",
            MediaKind::Gif => "gif",
            MediaKind::Webp => "webp",
            MediaKind::Svg => "svg",
            MediaKind::Mp3 => "mp3",
            MediaKind::Ogg => "ogg",
            MediaKind::M4a => "m4a",
            MediaKind::Aac => "aac",
            MediaKind::Wav => "wav",
        }
    }

    /// Whether `head` (the first bytes of a file) starts the way files of
    /// this kind do. SVG is text and is checked whole by [`check`].
    fn has_signature(self, head: &[u8]) -> bool {
        let at = |offset: usize, magic: &[u8]| {
            head.get(offset..offset + magic.len())
                .is_some_and(|b| b == magic)
        };
        // MPEG audio frame sync: 11 bits set; the layer bits say MP3 (not
        // 00) or AAC in ADTS (00).
        let frame_sync = |adts: bool| match head {
            [0xFF, second, ..] if second & 0xE0 == 0xE0 => (second & 0x06 == 0) == adts,
            _ => false,
        };
        match self {
            MediaKind::Png => at(0, b"\x89PNG\r\n\x1a\n"),
            MediaKind::Jpeg => at(0, b"\xFF\xD8\xFF"),
            MediaKind::Gif => at(0, b"GIF87a") || at(0, b"GIF89a"),
            MediaKind::Webp => at(0, b"RIFF") && at(8, b"WEBP"),
            MediaKind::Wav => (at(0, b"RIFF") || at(0, b"RF64")) && at(8, b"WAVE"),
            MediaKind::Ogg => at(0, b"OggS"),
            MediaKind::Mp3 => at(0, b"ID3") || frame_sync(false),
            MediaKind::M4a => at(4, b"ftyp"),
            // Raw AAC (ADTS or ADIF, ID3 tagged or not), or AAC in an MP4
            // box saved with the .aac ending.
            MediaKind::Aac => frame_sync(true) || at(0, b"ADIF") || at(0, b"ID3") || at(4, b"ftyp"),
            MediaKind::Svg => false,
        }
    }
}

/// Why a file cannot be course media.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MediaProblem {
    /// Its ending is not a picture's or a sound file's (`x.html`, `x.js`,
    /// `x.pdf`, no ending).
    NotAllowed,
    /// The bytes are not what the ending promises (a web page named
    /// `.png`); `found` says what they look like, when that is known.
    WrongContent {
        expected: MediaKind,
        found: Option<Found>,
    },
    /// An SVG that could run script or pull in a web page if opened on its
    /// own.
    UnsafeSvg(SvgRisk),
}

/// What a file's bytes look like, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    Media(MediaKind),
    WebPage,
    Pdf,
    Zip,
    Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SvgRisk {
    Script,
    EventAttribute,
    ScriptLink,
    EmbeddedPage,
    Entities,
    StyleSheet,
    TooLarge,
}

impl SvgRisk {
    fn described(self) -> String {
        match self {
            SvgRisk::Script => "a script (<script>)".to_string(),
            SvgRisk::EventAttribute => {
                "an event attribute (like onload= or onclick=) that runs a script".to_string()
            }
            SvgRisk::ScriptLink => "a javascript: link".to_string(),
            SvgRisk::EmbeddedPage => {
                "a web page inside it (<foreignObject>, <iframe>, <embed> or <object>)".to_string()
            }
            SvgRisk::Entities => "entity declarations (<!ENTITY ...>)".to_string(),
            SvgRisk::StyleSheet => "an <?xml-stylesheet?> instruction".to_string(),
            SvgRisk::TooLarge => format!(
                "more than {} MB of text, too much to check",
                MAX_SVG_BYTES / 1024 / 1024
            ),
        }
    }
}

/// A media problem told the way a tutor can act on, for a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub code: &'static str,
    pub message: String,
    pub hint: String,
}

impl MediaProblem {
    /// The diagnostic for the file at `path` (`media/x.html`).
    pub fn explain(&self, path: &str) -> Explained {
        match self {
            MediaProblem::NotAllowed => Explained {
                code: "media-not-allowed",
                message: format!("`{path}` is not a picture or a sound file, so it cannot be in the media folder."),
                hint: format!(
                    "The media folder may hold {ALLOWED_ENDINGS}. Remove this file from the course; a document can go on a website and be linked from there."
                ),
            },
            MediaProblem::WrongContent { expected, found } => {
                let holds = match found {
                    Some(Found::Media(kind)) => kind.described(),
                    Some(Found::WebPage) => "a web page (HTML)",
                    Some(Found::Pdf) => "a PDF document",
                    Some(Found::Zip) => "a zip file or an Office document",
                    Some(Found::Text) => "text",
                    None => "something else",
                };
                let hint = match found {
                    Some(Found::Media(kind)) if kind != expected => format!(
                        "Rename it to end in .{} (and change the links to it), the ending for {}.",
                        kind.ending(),
                        kind.described()
                    ),
                    _ => format!(
                        "Save it again as {} from the program that made it, or remove it from the media folder.",
                        expected.described()
                    ),
                };
                Explained {
                    code: "media-wrong-content",
                    message: format!(
                        "`{path}` is named as {} but holds {holds}.",
                        expected.described()
                    ),
                    hint,
                }
            }
            MediaProblem::UnsafeSvg(risk) => Explained {
                code: "unsafe-svg",
                message: format!(
                    "The drawing `{path}` holds {}, which a picture in a course may not have.",
                    risk.described()
                ),
                hint: "Save the drawing again as a plain picture, without scripts or links that run code (in Inkscape: File > Save As > Optimized SVG), or as a PNG."
                    .to_string(),
            },
        }
    }
}

/// Checks a media file by its name and contents. `bytes` is the whole file,
/// or at least its first [`HEAD_BYTES`] for a file that is not an SVG;
/// `size` is the whole file's size.
pub fn check(name: &str, bytes: &[u8], size: u64) -> Result<MediaKind, MediaProblem> {
    let kind = MediaKind::of_name(name).ok_or(MediaProblem::NotAllowed)?;
    let wrong = |found| MediaProblem::WrongContent {
        expected: kind,
        found,
    };
    if kind != MediaKind::Svg {
        // Only the head, whether the caller had more or not: a file judged
        // from a zip in memory and from the disk gets the same message.
        let head = &bytes[..bytes.len().min(HEAD_BYTES)];
        return if kind.has_signature(head) {
            Ok(kind)
        } else {
            Err(wrong(looks_like(head)))
        };
    }
    if size > MAX_SVG_BYTES {
        return Err(MediaProblem::UnsafeSvg(SvgRisk::TooLarge));
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(wrong(looks_like(bytes)));
    };
    match svg(text.strip_prefix('\u{feff}').unwrap_or(text)) {
        Markup::Safe => Ok(kind),
        Markup::NotSvg => Err(wrong(looks_like(bytes))),
        Markup::Risky(risk) => Err(MediaProblem::UnsafeSvg(risk)),
    }
}

/// What the first bytes of a file look like.
fn looks_like(bytes: &[u8]) -> Option<Found> {
    const BINARY: &[MediaKind] = &[
        MediaKind::Png,
        MediaKind::Jpeg,
        MediaKind::Gif,
        MediaKind::Webp,
        MediaKind::Wav,
        MediaKind::Ogg,
        MediaKind::M4a,
        MediaKind::Mp3,
        MediaKind::Aac,
    ];
    if let Some(kind) = BINARY.iter().find(|k| k.has_signature(bytes)) {
        return Some(Found::Media(*kind));
    }
    if bytes.starts_with(b"%PDF") {
        return Some(Found::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Some(Found::Zip);
    }
    // Only the start is known for large files: cut at a character boundary.
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&bytes[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    let text = text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if matches!(svg(text), Markup::Safe | Markup::Risky(_)) {
        return Some(Found::Media(MediaKind::Svg));
    }
    let start: String = text
        .chars()
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    if [
        "<!doctype html",
        "<html",
        "<head",
        "<body",
        "<script",
        "<iframe",
        "<!--",
    ]
    .iter()
    .any(|tag| start.starts_with(tag))
    {
        return Some(Found::WebPage);
    }
    Some(Found::Text)
}

enum Markup {
    Safe,
    /// Not XML with an `<svg>` root.
    NotSvg,
    Risky(SvgRisk),
}

/// Elements that run script or show a web page, by local name in lower case
/// (XML is case-sensitive; a browser would ignore `<SCRIPT>`, but refusing
/// it costs nothing).
const RISKY_ELEMENTS: &[(&str, SvgRisk)] = &[
    ("script", SvgRisk::Script),
    ("handler", SvgRisk::Script),
    ("listener", SvgRisk::Script),
    ("foreignobject", SvgRisk::EmbeddedPage),
    ("iframe", SvgRisk::EmbeddedPage),
    ("embed", SvgRisk::EmbeddedPage),
    ("object", SvgRisk::EmbeddedPage),
    ("frame", SvgRisk::EmbeddedPage),
    ("frameset", SvgRisk::EmbeddedPage),
];

/// Link targets that run code when followed, once entities, spaces and
/// control characters are taken out and letters lowered (browsers ignore
/// tabs and newlines inside a URL's scheme).
const RISKY_TARGETS: &[&str] = &[
    "javascript:",
    "vbscript:",
    "data:text/html",
    "data:application/xhtml",
    "data:text/xml",
    "data:application/xml",
];

/// Walks the markup of an SVG: the first element must be `<svg>`, and no
/// element, attribute or instruction may run script. Not a full XML parser:
/// what it cannot make sense of it either refuses or leaves to the browser,
/// which will not render a document that is not well-formed XML. Whatever
/// this misses, the server still sends every SVG with a sandboxing CSP.
fn svg(text: &str) -> Markup {
    let mut rest = text;
    let mut seen_root = false;
    while let Some(at) = rest.find('<') {
        if !seen_root && !rest[..at].trim().is_empty() {
            return Markup::NotSvg;
        }
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix("!--") {
            rest = after.find("-->").map_or("", |end| &after[end + 3..]);
        } else if let Some(after) = rest.strip_prefix("![CDATA[") {
            if !seen_root {
                return Markup::NotSvg;
            }
            rest = after.find("]]>").map_or("", |end| &after[end + 3..]);
        } else if let Some(after) = rest.strip_prefix('!') {
            // <!DOCTYPE svg PUBLIC "..." "..."> is harmless; an internal
            // subset ([ ... ]) can declare entities that expand to markup.
            let end = after.find('>').unwrap_or(after.len());
            let declaration = &after[..end];
            if declaration.contains('[') || starts_with_ignoring_case(declaration, "entity") {
                return Markup::Risky(SvgRisk::Entities);
            }
            if seen_root || !starts_with_ignoring_case(declaration, "doctype") {
                return Markup::Risky(SvgRisk::Entities);
            }
            rest = after.get(end + 1..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix('?') {
            let target: String = after
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != '?')
                .collect();
            if !target.eq_ignore_ascii_case("xml") {
                // xml-stylesheet can apply XSLT that writes a page with
                // scripts; no other instruction belongs in a drawing.
                return Markup::Risky(SvgRisk::StyleSheet);
            }
            rest = after.find("?>").map_or("", |end| &after[end + 2..]);
        } else if let Some(after) = rest.strip_prefix('/') {
            rest = after.find('>').map_or("", |end| &after[end + 1..]);
        } else {
            let name_end = rest
                .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
                .unwrap_or(rest.len());
            let local = local_name(&rest[..name_end]).to_ascii_lowercase();
            if !seen_root {
                if local != "svg" {
                    return Markup::NotSvg;
                }
                seen_root = true;
            }
            if let Some((_, risk)) = RISKY_ELEMENTS.iter().find(|(name, _)| *name == local) {
                return Markup::Risky(*risk);
            }
            match attributes(&rest[name_end..]) {
                Ok(after) => rest = after,
                Err(risk) => return Markup::Risky(risk),
            }
        }
    }
    if seen_root {
        Markup::Safe
    } else {
        Markup::NotSvg
    }
}

/// Reads a start tag's attributes up to its `>`; what follows the tag, or
/// the risk found in it.
fn attributes(mut rest: &str) -> Result<&str, SvgRisk> {
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("/>").or_else(|| rest.strip_prefix('>')) {
            return Ok(after);
        }
        if rest.is_empty() {
            return Ok(rest);
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len());
        if name_end == 0 {
            // A stray `/` or `=`: not well-formed; step over it.
            rest = &rest[1..];
            continue;
        }
        let name = local_name(&rest[..name_end]).to_ascii_lowercase();
        if name.starts_with("on") {
            return Err(SvgRisk::EventAttribute);
        }
        rest = rest[name_end..].trim_start();
        let Some(after) = rest.strip_prefix('=') else {
            continue;
        };
        rest = after.trim_start();
        let (value, after) = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => {
                let inner = &rest[1..];
                let end = inner.find(quote).unwrap_or(inner.len());
                (&inner[..end], inner.get(end + 1..).unwrap_or(""))
            }
            _ => {
                let end = rest
                    .find(|c: char| c.is_whitespace() || c == '>')
                    .unwrap_or(rest.len());
                (&rest[..end], &rest[end..])
            }
        };
        let value = squeezed(value);
        if RISKY_TARGETS.iter().any(|target| value.contains(target)) {
            return Err(SvgRisk::ScriptLink);
        }
        // <set attributeName="onclick" to="..."> would make an event
        // attribute on the fly.
        if name == "attributename" && value.starts_with("on") {
            return Err(SvgRisk::EventAttribute);
        }
        rest = after;
    }
}

/// `svg:script` -> `script`.
fn local_name(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

fn starts_with_ignoring_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// An attribute value as a browser would read a URL in it: character
/// references decoded, spaces and control characters gone, in lower case.
fn squeezed(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(c) = rest.chars().next() {
        if c == '&'
            && let Some(end) = rest[1..].find(';').filter(|end| *end <= 12)
        {
            let reference = &rest[1..1 + end];
            let decoded = match reference {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => reference.strip_prefix('#').and_then(|number| {
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => number.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            if let Some(decoded) = decoded {
                if !decoded.is_whitespace() && !decoded.is_control() {
                    out.extend(decoded.to_lowercase());
                }
                rest = &rest[end + 2..];
                continue;
            }
        }
        if !c.is_whitespace() && !c.is_control() {
            out.extend(c.to_lowercase());
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn checked(name: &str, bytes: &[u8]) -> Result<MediaKind, MediaProblem> {
        check(name, bytes, bytes.len() as u64)
    }

    const SVG: &str = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10" fill="red"/></svg>"#;

    #[test]
    fn pictures_and_sound_with_the_right_bytes_are_allowed() {
        let cases: &[(&str, &[u8], MediaKind)] = &[
            (
                "media/a.png",
                b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
                MediaKind::Png,
            ),
            (
                "media/a.JPG",
                b"\xFF\xD8\xFF\xE0\0\x10JFIF",
                MediaKind::Jpeg,
            ),
            ("media/a.jpeg", b"\xFF\xD8\xFF\xE1", MediaKind::Jpeg),
            ("media/a.gif", b"GIF89a\x01\0", MediaKind::Gif),
            ("media/a.webp", b"RIFF\x24\0\0\0WEBPVP8 ", MediaKind::Webp),
            ("media/a.wav", b"RIFF\x24\0\0\0WAVEfmt ", MediaKind::Wav),
            ("media/a.ogg", b"OggS\0\x02", MediaKind::Ogg),
            ("media/a.opus", b"OggS\0\x02", MediaKind::Ogg),
            ("media/a.mp3", b"ID3\x04\0", MediaKind::Mp3),
            ("media/a.mp3", b"\xFF\xFB\x90\x64", MediaKind::Mp3),
            ("media/a.m4a", b"\0\0\0\x20ftypM4A ", MediaKind::M4a),
            ("media/a.aac", b"\xFF\xF1\x50\x80", MediaKind::Aac),
            ("media/sub/a.svg", SVG.as_bytes(), MediaKind::Svg),
        ];
        for (name, bytes, kind) in cases {
            assert_eq!(checked(name, bytes), Ok(*kind), "{name}");
        }
    }

    #[test]
    fn other_endings_are_not_media() {
        for name in [
            "media/x.html",
            "media/x.htm",
            "media/x.js",
            "media/x.xhtml",
            "media/x.svgz",
            "media/x.pdf",
            "media/README",
            "media/x.png.html",
        ] {
            assert_eq!(
                checked(name, b"<script>alert(1)</script>"),
                Err(MediaProblem::NotAllowed),
                "{name}"
            );
        }
        assert_eq!(
            MediaKind::of_name("media/x.html.png"),
            Some(MediaKind::Png),
            "only the last ending counts"
        );
    }

    #[test]
    fn bytes_that_do_not_match_the_ending_are_refused_and_named() {
        let page = b"<!DOCTYPE html><html><script>fetch('/admin')</script></html>";
        assert_eq!(
            checked("media/x.png", page),
            Err(MediaProblem::WrongContent {
                expected: MediaKind::Png,
                found: Some(Found::WebPage)
            })
        );
        assert_eq!(
            checked("media/photo.png", b"\xFF\xD8\xFF\xE0\0\x10JFIF"),
            Err(MediaProblem::WrongContent {
                expected: MediaKind::Png,
                found: Some(Found::Media(MediaKind::Jpeg))
            })
        );
        assert_eq!(
            checked("media/drawing.png", SVG.as_bytes()),
            Err(MediaProblem::WrongContent {
                expected: MediaKind::Png,
                found: Some(Found::Media(MediaKind::Svg))
            })
        );
        assert!(matches!(
            checked("media/x.svg", page),
            Err(MediaProblem::WrongContent {
                found: Some(Found::WebPage),
                ..
            })
        ));
        assert!(checked("media/x.mp3", b"").is_err(), "empty");
        assert!(checked("media/x.wav", b"RIFF\0\0\0\0WEBP").is_err());
        assert!(checked("media/x.svg", b"\xFF\xFE<\0s\0").is_err());
        let told = checked("media/photo.png", b"\xFF\xD8\xFF")
            .unwrap_err()
            .explain("media/photo.png");
        assert_eq!(told.code, "media-wrong-content");
        assert!(told.message.contains("holds a JPEG picture"), "{told:?}");
        assert!(told.hint.contains(".jpg"), "{told:?}");
    }

    #[test]
    fn svgs_that_could_run_script_are_refused() {
        let risky: &[(&str, SvgRisk)] = &[
            (
                r#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#,
                SvgRisk::Script,
            ),
            (
                r#"<svg><svg:script xmlns:svg="http://www.w3.org/2000/svg"/></svg>"#,
                SvgRisk::Script,
            ),
            (
                r#"<svg><g><html:script xmlns:html="http://www.w3.org/1999/xhtml">x</html:script></g></svg>"#,
                SvgRisk::Script,
            ),
            (r#"<svg onload="alert(1)"/>"#, SvgRisk::EventAttribute),
            (
                "<svg><rect\n  ONCLICK = 'x()' /></svg>",
                SvgRisk::EventAttribute,
            ),
            (
                r#"<svg><a href="javascript:alert(1)"><text>x</text></a></svg>"#,
                SvgRisk::ScriptLink,
            ),
            (
                r#"<svg><a xlink:href=" java&#x09;script&#58;alert(1)">x</a></svg>"#,
                SvgRisk::ScriptLink,
            ),
            (
                r#"<svg><a href="&#106;avascript:x">x</a></svg>"#,
                SvgRisk::ScriptLink,
            ),
            (
                r#"<svg><set attributeName="href" to="javascript:alert(1)"/></svg>"#,
                SvgRisk::ScriptLink,
            ),
            (
                r#"<svg><set attributeName="onmouseover" to="alert(1)"/></svg>"#,
                SvgRisk::EventAttribute,
            ),
            (
                r#"<svg><foreignObject><div>x</div></foreignObject></svg>"#,
                SvgRisk::EmbeddedPage,
            ),
            (
                "<?xml version=\"1.0\"?>\n<!DOCTYPE svg [<!ENTITY x \"&lt;script&gt;\">]>\n<svg>&x;</svg>",
                SvgRisk::Entities,
            ),
            (
                "<?xml-stylesheet type=\"text/xsl\" href=\"x.xsl\"?><svg/>",
                SvgRisk::StyleSheet,
            ),
        ];
        for (text, risk) in risky {
            assert_eq!(
                checked("media/x.svg", text.as_bytes()),
                Err(MediaProblem::UnsafeSvg(*risk)),
                "{text}"
            );
        }
        assert_eq!(
            check("media/x.svg", b"<svg/>", MAX_SVG_BYTES + 1),
            Err(MediaProblem::UnsafeSvg(SvgRisk::TooLarge))
        );
    }

    #[test]
    fn ordinary_drawings_pass() {
        let inkscape = "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"no\"?>\n\
            <!-- Created with Inkscape (http://www.inkscape.org/) -->\n\
            <!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\">\n\
            <svg xmlns=\"http://www.w3.org/2000/svg\" xmlns:xlink=\"http://www.w3.org/1999/xlink\" \
            xmlns:sodipodi=\"http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd\" width=\"10\" height=\"10\">\n\
            <style><![CDATA[ .a { fill: red } ]]></style>\n\
            <sodipodi:namedview id=\"base\" showgrid=\"false\"/>\n\
            <text x=\"1\" y=\"5\" opacity=\"0.5\" font-family=\"Noto Sans Arabic\">سلام &amp; hello</text>\n\
            <image href=\"data:image/png;base64,iVBORw0KGgo=\" width=\"1\" height=\"1\"/>\n\
            <a href=\"https://example.org/\"><use xlink:href=\"#x\"/></a>\n\
            </svg>\n";
        assert_eq!(
            checked("media/drawing.svg", inkscape.as_bytes()),
            Ok(MediaKind::Svg)
        );
        for shipped in [
            include_str!("../../courses/hospitality-kitchen-english/media/fridge-shelves.svg"),
            include_str!("../../courses/construction-cscs/media/safety-signs.svg"),
        ] {
            assert_eq!(
                checked("media/x.svg", shipped.as_bytes()),
                Ok(MediaKind::Svg)
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_are_judged_without_panicking(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..200),
            ending in "(svg|png|jpg|webp|wav|mp3|aac|html)",
        ) {
            let _ = checked(&format!("media/x.{ending}"), &bytes);
        }

        #[test]
        fn any_markup_is_judged_without_panicking(
            text in "[<>!?/=a-zA-Z:\"' &#;0-9\\[\\]é\n-]{0,200}",
        ) {
            let _ = checked("media/x.svg", format!("<svg>{text}").as_bytes());
            let _ = checked("media/x.svg", text.as_bytes());
        }
    }

    #[test]
    fn broken_markup_never_panics() {
        for text in [
            "<svg",
            "<svg a",
            "<svg a=",
            "<svg a='",
            "<svg a=\"x",
            "<",
            "<!",
            "<?",
            "<svg><!--",
            "<svg/><![CDATA[",
            "<svg & = />",
            "<svg a='&#xFFFFFFFF;'/>",
            "<svg a='&#;'/>",
            "<svg a=&#x6a;avascript:x>",
            "<svg><é",
            "<svg =x/>",
        ] {
            let _ = checked("media/x.svg", text.as_bytes());
        }
        assert!(checked("media/x.svg", b"<svg a=&#x6a;avascript:x>").is_err());
    }
}
