//! Lesson HTML, rendered once at compile time by small transforms over the
//! pulldown-cmark event stream: raw HTML out (an error), media links checked
//! and pointed at the server, callouts, vocabulary, tables that scroll on a
//! phone, and headings moved down a level under the page's own `<h1>`.

use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, Tag, TagEnd};

use super::diagnostics::FileDiagnostics;
use super::markdown::{Ev, plain_text, span_of};
use super::model::{GlossaryTerm, Rich};
use super::vocab;

/// Lists deeper than this are hard to read on a 360 px screen.
const MAX_LIST_DEPTH: usize = 3;
/// A quote in a quote is rare; deeper is a mistake.
const MAX_QUOTE_DEPTH: usize = 2;
/// Media sizes that are heavy on a slow phone.
const LARGE_IMAGE_BYTES: u64 = 300 * 1024;
const LARGE_AUDIO_BYTES: u64 = 3 * 1024 * 1024;
pub const AUDIO_EXTENSIONS: &[&str] = &["mp3", "ogg", "m4a", "wav"];

/// Everything a render needs besides the events. One per module file.
pub struct RenderContext<'a, 'f> {
    pub diags: &'a mut FileDiagnostics<'f>,
    /// Media files of the course: path relative to the course folder
    /// (`media/sink.svg`) to size in bytes.
    pub media: &'a BTreeMap<String, u64>,
    /// Where the server publishes this course's `media/` folder.
    pub media_url: &'a str,
    /// Home languages the course translates vocabulary into.
    pub languages: &'a [String],
    /// Whether course.toml was read, so language warnings make sense.
    pub languages_known: bool,
    /// Vocabulary found so far, with where each term was written.
    pub glossary: Vec<(GlossaryTerm, Range<usize>)>,
    /// The lesson being rendered, for the glossary.
    pub lesson: Option<String>,
    /// Media already warned about as large, so each is named once.
    pub warned_large: std::collections::BTreeSet<String>,
}

impl RenderContext<'_, '_> {
    /// Renders block content (a lesson body, a question body). Headings move
    /// down `heading_shift` levels.
    pub fn render_blocks(&mut self, events: &[Ev<'_>], heading_shift: usize) -> String {
        if let Some(html) = plain_paragraphs(events) {
            return html;
        }
        // HTML is a little longer than its markdown.
        let markdown_len = span_of(events).len();
        let mut html = String::with_capacity(markdown_len + markdown_len / 4);
        let transform = Transform::new(self, events.iter().cloned(), heading_shift, true);
        pulldown_cmark::html::push_html(&mut html, transform);
        html
    }

    /// Renders events straight from the parser: a lesson flows from the
    /// markdown to its HTML without being stored on the way.
    pub fn render_stream<'e>(
        &mut self,
        events: impl Iterator<Item = Ev<'e>>,
        heading_shift: usize,
    ) -> String {
        let mut html = String::new();
        pulldown_cmark::html::push_html(
            &mut html,
            Transform::new(self, events, heading_shift, true),
        );
        html
    }

    /// Renders inline content (an option, a piece of a gap fill) without the
    /// paragraph around it, and its plain text. Spaces at the ends are kept:
    /// in a gap fill they separate the text from the gaps.
    pub fn render_inline(&mut self, events: &[Ev<'_>]) -> Rich {
        let text = plain_text(events);
        // Most options, terms and translations are plain words: escape them
        // directly rather than build and render an event list.
        let plain = is_plain(events);
        if plain {
            let mut html = String::with_capacity(text.len() + text.len() / 8);
            for (event, _) in events {
                match event {
                    Event::Text(t) => {
                        let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, t);
                    }
                    Event::SoftBreak => html.push('\n'),
                    _ => {}
                }
            }
            return Rich { text, html };
        }
        let mut html = String::new();
        let transform = Transform::new(self, events.iter().cloned(), 0, false).filter(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        });
        pulldown_cmark::html::push_html(&mut html, transform);
        Rich { text, html }
    }

    fn raw_html(&mut self, span: Range<usize>) {
        self.diags.error(
            "raw-html",
            span,
            "Raw HTML is not allowed in a course.",
            "Write it in markdown instead: a blank line starts a new paragraph, **bold**, *italic*, - for a list. HTML comments <!-- --> are not allowed either.",
        );
    }

    fn image(&mut self, dest: &str, alt: &str, span: Range<usize>) -> Option<String> {
        if alt.is_empty() {
            self.diags.error(
                "image-without-alt",
                span.clone(),
                "This image has no alt text.",
                "Describe the picture in the square brackets, for learners who cannot see it: ![A red fire extinguisher on a wall](media/extinguisher.svg)",
            );
        }
        let url = match classify(dest) {
            Target::Web => {
                self.diags.warning(
                    "external-image",
                    span,
                    "This image comes from another website: it costs learners data, can disappear, and tells that site who is reading.",
                    "Save the picture in the course's media folder and link it as media/name.svg.",
                );
                dest.to_string()
            }
            Target::Relative => self.media_file(dest, span, false)?,
            Target::Anchor | Target::Mail | Target::Unsafe => {
                self.diags.error(
                    "bad-link",
                    span,
                    format!("`{dest}` is not a picture Presto can show."),
                    "Put the picture in the course's media folder and link it as media/name.svg.",
                );
                return None;
            }
        };
        Some(format!(
            "<img src=\"{}\" alt=\"{}\" loading=\"lazy\" decoding=\"async\">",
            escape_href(&url),
            escape(alt)
        ))
    }

    /// What to do with a link: keep it (pointing at `url`), wrap it in an
    /// audio player, or drop the link and keep only its text.
    fn link_action(&mut self, dest: &str, span: Range<usize>) -> LinkAction {
        match classify(dest) {
            Target::Web | Target::Anchor | Target::Mail => LinkAction::Keep(None),
            Target::Unsafe => {
                self.diags.error(
                    "bad-link",
                    span,
                    format!("The link `{dest}` is not allowed."),
                    "Links may go to web pages (https://...), email (mailto:), phone numbers (tel:) or files in the course's media folder.",
                );
                LinkAction::Drop
            }
            Target::Relative => match self.media_file(dest, span, true) {
                Some(url) if is_audio(dest) => LinkAction::Audio(url),
                Some(url) => LinkAction::Keep(Some(url)),
                None => LinkAction::Drop,
            },
        }
    }

    /// Checks a relative link to a media file and returns its URL on the
    /// server. Paths may not climb out of the course folder.
    fn media_file(&mut self, dest: &str, span: Range<usize>, is_link: bool) -> Option<String> {
        let path = match normalise_relative(dest) {
            Some(path) => path,
            None => {
                self.diags.error(
                    "outside-course",
                    span,
                    format!("`{dest}` points outside the course folder."),
                    "Copy the file into this course's media folder and link it as media/name.",
                );
                return None;
            }
        };
        let Some(size) = self.media.get(&path) else {
            let what = if is_link { "linked file" } else { "picture" };
            self.diags.error(
                "missing-media",
                span,
                format!("The {what} `{dest}` is not in the course's media folder."),
                "Check the spelling (capital letters count) and that the file is in courses/<course>/media/.",
            );
            return None;
        };
        let limit = if is_audio(&path) {
            LARGE_AUDIO_BYTES
        } else {
            LARGE_IMAGE_BYTES
        };
        if *size > limit && self.warned_large.insert(path.clone()) {
            self.diags.warning(
                "large-media",
                span,
                format!("`{path}` is {} KB: heavy for a learner on a slow phone.", size / 1024),
                "Make it smaller: SVG for drawings, a smaller JPEG or WebP for photos, mono 64 kbps for speech.",
            );
        }
        let rest = path.strip_prefix("media/").unwrap_or(&path);
        let base = self.media_url.trim_end_matches('/');
        let mut url = String::with_capacity(base.len() + 1 + rest.len());
        url.push_str(base);
        url.push('/');
        url.push_str(rest);
        Some(url)
    }
}

enum LinkAction {
    /// Keep the link; `Some(url)` when it points at a media file.
    Keep(Option<String>),
    /// A sound file: a player, with the link for phones without one.
    Audio(String),
    /// A link that must not be followed: keep its text only.
    Drop,
}

/// The lesson transforms as an iterator adapter between the parser and the
/// HTML writer: raw HTML out (an error), media checked and pointed at the
/// server, callouts, vocabulary, tables that scroll, headings moved down.
/// Only an image (for its alt text) or a definition list is gathered before
/// it is written; everything else streams.
struct Transform<'c, 'x, 'f, 'e, I> {
    cx: &'c mut RenderContext<'x, 'f>,
    source: I,
    heading_shift: usize,
    collect_vocab: bool,
    /// Events to give out before reading more.
    pending: std::collections::VecDeque<Event<'e>>,
    /// One entry per open blockquote: is it a callout (closed by </aside>)?
    quotes: Vec<bool>,
    /// One entry per open link: how to close it.
    links: Vec<LinkClose>,
    list_depth: usize,
    warned_depth: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum LinkClose {
    Link,
    Audio,
    Dropped,
}

impl<'c, 'x, 'f, 'e, I: Iterator<Item = Ev<'e>>> Transform<'c, 'x, 'f, 'e, I> {
    fn new(
        cx: &'c mut RenderContext<'x, 'f>,
        source: I,
        heading_shift: usize,
        collect_vocab: bool,
    ) -> Self {
        Transform {
            cx,
            source,
            heading_shift,
            collect_vocab,
            pending: std::collections::VecDeque::new(),
            quotes: Vec::new(),
            links: Vec::new(),
            list_depth: 0,
            warned_depth: false,
        }
    }

    /// The events up to and including the `End` of a `Start` already read.
    fn gather(&mut self, start: Ev<'e>) -> Vec<Ev<'e>> {
        let mut events = vec![start];
        let mut depth = 1usize;
        for (event, span) in self.source.by_ref() {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => depth -= 1,
                _ => {}
            }
            events.push((event, span));
            if depth == 0 {
                break;
            }
        }
        events
    }

    fn warn_depth(&mut self, span: Range<usize>, message: String, hint: String) {
        if !self.warned_depth {
            self.warned_depth = true;
            self.cx.diags.warning("deep-nesting", span, message, hint);
        }
    }
}

impl<'e, I: Iterator<Item = Ev<'e>>> Iterator for Transform<'_, '_, '_, 'e, I> {
    type Item = Event<'e>;

    fn next(&mut self) -> Option<Event<'e>> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Some(event);
            }
            let (event, span) = self.source.next()?;
            match event {
                Event::Start(Tag::HtmlBlock) => {
                    let block = self.gather((event, span.clone()));
                    self.cx
                        .raw_html(block.get(1).map_or(span, |(_, s)| s.clone()));
                }
                Event::Html(_) | Event::InlineHtml(_) => self.cx.raw_html(span),
                Event::Start(Tag::MetadataBlock(_)) => {
                    self.gather((event, span));
                }
                Event::Start(Tag::Image { ref dest_url, .. }) => {
                    let dest = dest_url.clone();
                    let image = self.gather((event, span.clone()));
                    let alt = plain_text(&image[1..image.len().saturating_sub(1)]);
                    if let Some(html) = self.cx.image(&dest, &alt, span) {
                        return Some(Event::Html(html.into()));
                    }
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => match self.cx.link_action(&dest_url, span) {
                    LinkAction::Drop => self.links.push(LinkClose::Dropped),
                    LinkAction::Keep(url) => {
                        self.links.push(LinkClose::Link);
                        return Some(Event::Start(Tag::Link {
                            link_type,
                            dest_url: url.map_or(dest_url, CowStr::from),
                            title,
                            id,
                        }));
                    }
                    LinkAction::Audio(url) => {
                        self.links.push(LinkClose::Audio);
                        let player = format!(
                            "<span class=\"audio\"><audio controls preload=\"none\" src=\"{}\"></audio> ",
                            escape_href(&url)
                        );
                        self.pending.push_back(Event::Start(Tag::Link {
                            link_type,
                            dest_url: url.into(),
                            title,
                            id,
                        }));
                        return Some(Event::Html(player.into()));
                    }
                },
                Event::End(TagEnd::Link) => match self.links.pop() {
                    Some(LinkClose::Dropped) => {}
                    Some(LinkClose::Audio) => {
                        self.pending.push_back(Event::Html("</span>".into()));
                        return Some(event);
                    }
                    _ => return Some(event),
                },
                Event::Start(Tag::BlockQuote(kind)) => {
                    self.quotes.push(kind.is_some());
                    if self.quotes.len() > MAX_QUOTE_DEPTH {
                        let depth = self.quotes.len();
                        self.warn_depth(
                            span,
                            format!("These > quotes are nested {depth} levels deep, which is hard to read on a phone."),
                            "Use one level of > for a quote or a note; start a new paragraph instead of another >.".to_string(),
                        );
                    }
                    return Some(match kind {
                        Some(kind) => Event::Html(callout_start(kind).into()),
                        None => event,
                    });
                }
                Event::End(TagEnd::BlockQuote(_)) => {
                    return Some(if self.quotes.pop() == Some(true) {
                        Event::Html("</aside>\n".into())
                    } else {
                        event
                    });
                }
                Event::Start(Tag::DefinitionList) if self.collect_vocab => {
                    let list = self.gather((event, span));
                    let inner = &list[1..list.len().saturating_sub(1)];
                    let html = vocab::render_definition_list(self.cx, inner);
                    return Some(Event::Html(html.into()));
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    if !classes.is_empty() || !attrs.is_empty() {
                        self.cx.diags.warning(
                            "unknown-attribute",
                            span,
                            "Only lesson and quiz headings (`##`) take settings in { }; these are ignored.",
                            "Remove the { } part, or keep only an id like {#my-id}.",
                        );
                    }
                    return Some(Event::Start(Tag::Heading {
                        level: shift_heading(level, self.heading_shift),
                        id,
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }));
                }
                Event::End(TagEnd::Heading(level)) => {
                    return Some(Event::End(TagEnd::Heading(shift_heading(
                        level,
                        self.heading_shift,
                    ))));
                }
                Event::Start(Tag::List(_)) => {
                    self.list_depth += 1;
                    if self.list_depth > MAX_LIST_DEPTH {
                        let depth = self.list_depth;
                        self.warn_depth(
                            span,
                            format!("This list is nested {depth} levels deep, which is hard to read on a phone."),
                            format!("Keep lists at most {MAX_LIST_DEPTH} levels deep: split the list or use short paragraphs."),
                        );
                    }
                    return Some(event);
                }
                Event::End(TagEnd::List(_)) => {
                    self.list_depth = self.list_depth.saturating_sub(1);
                    return Some(event);
                }
                Event::Start(Tag::Table(_)) => {
                    self.pending.push_back(event);
                    return Some(Event::Html("<div class=\"table-wrap\">".into()));
                }
                Event::End(TagEnd::Table) => {
                    self.pending.push_back(Event::Html("</div>\n".into()));
                    return Some(event);
                }
                _ => return Some(event),
            }
        }
    }
}

enum Target {
    Web,
    Mail,
    Anchor,
    Relative,
    Unsafe,
}

fn classify(dest: &str) -> Target {
    let lower = dest.trim().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        Target::Web
    } else if lower.starts_with("mailto:") || lower.starts_with("tel:") {
        Target::Mail
    } else if lower.starts_with('#') {
        Target::Anchor
    } else if lower.is_empty() || lower.contains(':') || lower.starts_with("//") {
        // javascript:, data:, file:, protocol-relative: never in a lesson.
        Target::Unsafe
    } else {
        Target::Relative
    }
}

fn is_audio(path: &str) -> bool {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.rsplit_once('.')
        .is_some_and(|(_, ext)| AUDIO_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()))
}

/// `./media/a b.svg?x` -> `media/a b.svg`; None when the path leaves the
/// course folder (`..` too far, or an absolute path).
pub fn normalise_relative(dest: &str) -> Option<String> {
    // Nearly every link is already plain, like `media/sink.svg`.
    if let Some(name) = dest.strip_prefix("media/")
        && !name.is_empty()
        && name
            .split('/')
            .all(|part| !part.is_empty() && !part.starts_with('.'))
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '/' | '.'))
    {
        return Some(dest.to_string());
    }
    let path = dest.split(['?', '#']).next().unwrap_or(dest);
    let path = percent_decode(path);
    if path.starts_with('/') || path.starts_with('\\') {
        return None;
    }
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Spaces and other characters in file names arrive percent-encoded.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(hex) = text.get(i + 1..i + 3)
            && let Ok(byte) = u8::from_str_radix(hex, 16)
        {
            out.push(byte);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn callout_start(kind: BlockQuoteKind) -> String {
    let (class, label) = match kind {
        BlockQuoteKind::Note => ("note", "Note"),
        BlockQuoteKind::Tip => ("tip", "Tip"),
        BlockQuoteKind::Important => ("important", "Important"),
        BlockQuoteKind::Warning => ("warning", "Warning"),
        BlockQuoteKind::Caution => ("caution", "Caution"),
    };
    format!(
        "<aside class=\"callout callout-{class}\" role=\"note\"><p class=\"callout-title\">{label}</p>\n"
    )
}

fn shift_heading(level: HeadingLevel, by: usize) -> HeadingLevel {
    let n = (level as usize).saturating_sub(by).max(2);
    match n {
        2 => HeadingLevel::H2,
        3 => HeadingLevel::H3,
        4 => HeadingLevel::H4,
        5 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Paragraphs of plain text (most feedback, hints and short lessons) as
/// HTML, without building an event list; None for anything richer.
fn plain_paragraphs(events: &[Ev<'_>]) -> Option<String> {
    let capacity = events
        .iter()
        .map(|(e, _)| match e {
            Event::Text(t) => t.len() + 4,
            _ => 4,
        })
        .sum();
    let mut html = String::with_capacity(capacity);
    for (event, _) in events {
        match event {
            Event::Start(Tag::Paragraph) => html.push_str("<p>"),
            Event::End(TagEnd::Paragraph) => html.push_str("</p>\n"),
            Event::Text(t) => {
                let _ = pulldown_cmark_escape::escape_html_body_text(&mut html, t);
            }
            Event::SoftBreak => html.push('\n'),
            _ => return None,
        }
    }
    Some(html)
}

/// Only text and paragraphs: nothing to transform, so escaping is enough.
pub fn is_plain(events: &[Ev<'_>]) -> bool {
    events.iter().all(|(e, _)| {
        matches!(
            e,
            Event::Text(_)
                | Event::Start(Tag::Paragraph)
                | Event::End(TagEnd::Paragraph)
                | Event::SoftBreak
        )
    })
}

pub fn push_escaped(out: &mut String, text: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut *out, text);
}

/// Escapes text for the body of an element, as pulldown-cmark does.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// Escapes for an attribute value too (quotes included).
pub fn push_escaped_attribute(out: &mut String, text: &str) {
    let _ = pulldown_cmark_escape::escape_html(&mut *out, text);
}

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, text);
    out
}

fn escape_href(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    let _ = pulldown_cmark_escape::escape_href(&mut out, url);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_stay_inside_the_course() {
        assert_eq!(
            normalise_relative("media/a.svg").as_deref(),
            Some("media/a.svg")
        );
        assert_eq!(
            normalise_relative("./media/../media/a%20b.svg?x=1").as_deref(),
            Some("media/a b.svg")
        );
        assert_eq!(normalise_relative("../other/media/a.svg"), None);
        assert_eq!(normalise_relative("/etc/passwd"), None);
    }

    #[test]
    fn unsafe_links_are_recognised() {
        assert!(matches!(classify("javascript:alert(1)"), Target::Unsafe));
        assert!(matches!(classify("JavaScript:alert(1)"), Target::Unsafe));
        assert!(matches!(classify("//evil.example/x"), Target::Unsafe));
        assert!(matches!(classify("https://www.food.gov.uk"), Target::Web));
        assert!(matches!(classify("media/a.mp3"), Target::Relative));
    }
}
