//! Lesson HTML, rendered once at compile time by small transforms over the
//! pulldown-cmark event stream: raw HTML out (an error), media links checked
//! and pointed at the server, callouts, vocabulary, tables that scroll on a
//! phone, and headings moved down a level under the page's own `<h1>`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::Range;

use pulldown_cmark::{BlockQuoteKind, CowStr, Event, HeadingLevel, LinkType, Tag, TagEnd};

use super::diagnostics::FileDiagnostics;
use super::markdown::{Ev, block_end, plain_text, span_of};
use super::media::MediaKind;
use super::model::Rich;
use super::source::MediaFile;
use super::vocab;

/// Lists deeper than this are hard to read on a 360 px screen.
const MAX_LIST_DEPTH: usize = 3;
/// A quote in a quote is rare; deeper is a mistake.
const MAX_QUOTE_DEPTH: usize = 2;
/// Media sizes that are heavy on a slow phone.
const LARGE_IMAGE_BYTES: u64 = 300 * 1024;
const LARGE_AUDIO_BYTES: u64 = 3 * 1024 * 1024;

/// Everything a render needs besides the events. One per module file.
pub struct RenderContext<'a, 'f> {
    pub diags: &'a mut FileDiagnostics<'f>,
    /// Media files of the course, by path relative to the course folder
    /// (`media/sink.svg`).
    pub media: &'a BTreeMap<String, MediaFile>,
    /// Where the server publishes this course's `media/` folder.
    pub media_url: &'a str,
    /// Home languages the course translates vocabulary into.
    pub languages: &'a [String],
    /// Whether course.toml was read, so language warnings make sense.
    pub languages_known: bool,
    /// The course's vocabulary so far; word lists add to it as they are
    /// rendered.
    pub glossary: vocab::Glossary,
    /// The lesson being rendered, for the glossary.
    pub lesson: Option<std::sync::Arc<str>>,
    /// Media already named in a diagnostic (as large, or as not allowed),
    /// so each is named once, where it is first used.
    pub media_named: std::collections::BTreeSet<String>,
}

impl RenderContext<'_, '_> {
    /// Renders block content (a lesson body, a question body). Headings move
    /// down `heading_shift` levels.
    pub fn render_blocks(&mut self, events: &[Ev<'_>], heading_shift: usize) -> String {
        if let Some(html) = plain_paragraphs(events) {
            return html;
        }
        let mut out = Vec::with_capacity(events.len());
        self.transform(events, heading_shift, true, &mut out);
        // HTML is a little longer than its markdown, plus what the
        // transform wrote itself (word lists, pictures, callouts): sized so
        // the writer does not have to grow and copy the page.
        let markdown_len = span_of(events).len();
        let written: usize = out
            .iter()
            .map(|e| match e {
                Event::Html(html) => html.len(),
                _ => 0,
            })
            .sum();
        to_html(out, markdown_len + markdown_len / 4 + written)
    }

    /// Renders inline content (an option, a piece of a gap fill) without the
    /// paragraph around it, and its plain text. Spaces at the ends are kept:
    /// in a gap fill they separate the text from the gaps.
    pub fn render_inline(&mut self, events: &[Ev<'_>]) -> Rich {
        let text = plain_text(events);
        let html = self.render_inline_html(events);
        Rich { text, html }
    }

    /// The HTML half of [`Self::render_inline`], for text whose plain form
    /// is not kept (the pieces of a gap fill).
    pub fn render_inline_html(&mut self, events: &[Ev<'_>]) -> String {
        // Most options, terms and translations are plain words: escape them
        // directly rather than build and render an event list.
        if is_plain(events) {
            let len: usize = events
                .iter()
                .map(|(e, _)| match e {
                    Event::Text(t) => t.len(),
                    _ => 0,
                })
                .sum();
            let mut html = String::with_capacity(len + len / 8);
            push_plain_inline(&mut html, events);
            return html;
        }
        let mut out = Vec::with_capacity(events.len());
        self.transform(events, 0, false, &mut out);
        out.retain(|e| {
            !matches!(
                e,
                Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
            )
        });
        to_html(out, 0)
    }

    fn transform<'e>(
        &mut self,
        events: &[Ev<'e>],
        heading_shift: usize,
        collect_vocab: bool,
        out: &mut Vec<Event<'e>>,
    ) {
        let mut list_depth = 0usize;
        let mut warned_depth = false;
        // One entry per open blockquote: is it a callout (closed by </aside>)?
        let mut quotes: Vec<bool> = Vec::new();
        let mut i = 0;
        while i < events.len() {
            let (event, span) = &events[i];
            match event {
                Event::Start(Tag::HtmlBlock) => {
                    let end = block_end(events, i);
                    self.raw_html(
                        events
                            .get(i + 1)
                            .map(|(_, s)| s.clone())
                            .unwrap_or(span.clone()),
                    );
                    i = end;
                }
                Event::Html(_) | Event::InlineHtml(_) => self.raw_html(span.clone()),
                Event::Start(Tag::Image { dest_url, .. }) => {
                    let end = block_end(events, i);
                    let alt = plain_text(&events[i + 1..end]);
                    if let Some(html) = self.image(dest_url, &alt, span.clone()) {
                        out.push(Event::Html(html.into()));
                    }
                    i = end;
                }
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let end = block_end(events, i);
                    self.link(
                        *link_type,
                        dest_url,
                        title,
                        id,
                        &events[i + 1..end],
                        span.clone(),
                        heading_shift,
                        out,
                    );
                    i = end;
                }
                Event::Start(Tag::BlockQuote(kind)) => {
                    // `> [` starts like a callout: see whether it is one.
                    if kind.is_none()
                        && matches!(events.get(i + 2), Some((Event::Text(t), _)) if t.as_ref() == "[")
                    {
                        self.unknown_callout(&events[i + 1..]);
                    }
                    quotes.push(kind.is_some());
                    if quotes.len() > MAX_QUOTE_DEPTH && !warned_depth {
                        warned_depth = true;
                        self.diags.warning(
                            "deep-nesting",
                            span.clone(),
                            format!("These > quotes are nested {} levels deep, which is hard to read on a phone.", quotes.len()),
                            "Use one level of > for a quote or a note; start a new paragraph instead of another >.",
                        );
                    }
                    match kind {
                        Some(kind) => out.push(Event::Html(callout_start(*kind).into())),
                        None => out.push(event.clone()),
                    }
                }
                Event::End(TagEnd::BlockQuote(_)) => {
                    if quotes.pop() == Some(true) {
                        out.push(Event::Html("</aside>\n".into()));
                    } else {
                        out.push(event.clone());
                    }
                }
                Event::Start(Tag::DefinitionList) if collect_vocab => {
                    let end = block_end(events, i);
                    let html = vocab::render_definition_list(self, &events[i + 1..end]);
                    out.push(Event::Html(html.into()));
                    i = end;
                }
                Event::Start(Tag::Heading {
                    level,
                    id,
                    classes,
                    attrs,
                }) => {
                    if !classes.is_empty() || !attrs.is_empty() {
                        self.diags.warning(
                            "unknown-attribute",
                            span.clone(),
                            "Only lesson and quiz headings (`##`) take settings in { }; these are ignored.",
                            "Remove the { } part, or keep only an id like {#my-id}.",
                        );
                    }
                    out.push(Event::Start(Tag::Heading {
                        level: shift_heading(*level, heading_shift),
                        id: id.clone(),
                        classes: Vec::new(),
                        attrs: Vec::new(),
                    }));
                }
                Event::End(TagEnd::Heading(level)) => {
                    out.push(Event::End(TagEnd::Heading(shift_heading(
                        *level,
                        heading_shift,
                    ))));
                }
                Event::Start(Tag::List(_)) => {
                    list_depth += 1;
                    if list_depth > MAX_LIST_DEPTH && !warned_depth {
                        warned_depth = true;
                        self.diags.warning(
                            "deep-nesting",
                            span.clone(),
                            format!("This list is nested {list_depth} levels deep, which is hard to read on a phone."),
                            format!("Keep lists at most {MAX_LIST_DEPTH} levels deep: split the list or use short paragraphs."),
                        );
                    }
                    out.push(event.clone());
                }
                Event::End(TagEnd::List(_)) => {
                    list_depth = list_depth.saturating_sub(1);
                    out.push(event.clone());
                }
                Event::Start(Tag::Table(_)) => {
                    out.push(Event::Html("<div class=\"table-wrap\">".into()));
                    out.push(event.clone());
                }
                Event::End(TagEnd::Table) => {
                    out.push(event.clone());
                    out.push(Event::Html("</div>\n".into()));
                }
                Event::Start(Tag::MetadataBlock(_)) => i = block_end(events, i),
                _ => out.push(event.clone()),
            }
            i += 1;
        }
    }

    /// `> [!WARN]`: meant as a callout, but not one of the five kinds, so
    /// pulldown-cmark leaves a quote that shows `[!WARN]`. `rest` starts
    /// just inside the quote.
    // Only on a slip: kept out of the hot loop's code.
    #[cold]
    #[inline(never)]
    fn unknown_callout(&mut self, rest: &[Ev<'_>]) {
        let [
            (Event::Start(Tag::Paragraph), _),
            (Event::Text(open), span),
            (Event::Text(name), _),
            (Event::Text(close), _),
            ..,
        ] = rest
        else {
            return;
        };
        if open.as_ref() != "[" || !name.starts_with('!') || close.as_ref() != "]" {
            return;
        }
        self.diags.warning(
            "unknown-callout",
            span.start..span.start + 2 + name.len(),
            format!(
                "[{name}] is not a kind of callout, so learners see a quote with [{name}] in it."
            ),
            "Use one of [!NOTE], [!TIP], [!IMPORTANT], [!WARNING] or [!CAUTION].",
        );
    }

    fn raw_html(&mut self, span: Range<usize>) {
        // `<b>word</b>` is one mistake to a tutor: one error per line, with
        // every tag on it underlined.
        if self.diags.widen_last_on_line("raw-html", span.clone()) {
            return;
        }
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
        // Written in one buffer: a lesson has a picture or two, a course
        // hundreds.
        let mut html = String::with_capacity(url.len() + alt.len() + 64);
        html.push_str("<img src=\"");
        push_escaped_href(&mut html, &url);
        html.push_str("\" alt=\"");
        push_escaped_attribute(&mut html, alt);
        html.push_str("\" loading=\"lazy\" decoding=\"async\">");
        Some(html)
    }

    #[allow(clippy::too_many_arguments)]
    fn link<'e>(
        &mut self,
        link_type: LinkType,
        dest: &CowStr<'e>,
        title: &CowStr<'e>,
        id: &CowStr<'e>,
        inner: &[Ev<'e>],
        span: Range<usize>,
        heading_shift: usize,
        out: &mut Vec<Event<'e>>,
    ) {
        // The link text goes straight into `out` (checked first, so the
        // diagnostics come in the same order); the opening events are put
        // in front of it once the link is known to be good.
        let text_at = out.len();
        self.transform(inner, heading_shift, false, out);
        let target = classify(dest);
        let is_audio = matches!(target, Target::Relative) && is_audio(dest);
        let url: CowStr<'e> = match target {
            Target::Web | Target::Anchor | Target::Mail => dest.clone(),
            Target::Unsafe => {
                self.diags.error(
                    "bad-link",
                    span,
                    format!("The link `{dest}` is not allowed."),
                    "Links may go to web pages (https://...), email (mailto:), phone numbers (tel:) or files in the course's media folder.",
                );
                return;
            }
            Target::Relative => match self.media_file(dest, span, true) {
                Some(url) => url.into(),
                None => return,
            },
        };
        let player = is_audio.then(|| {
            let mut html = String::with_capacity(url.len() + 80);
            html.push_str("<span class=\"audio\"><audio controls preload=\"none\" src=\"");
            push_escaped_href(&mut html, &url);
            html.push_str("\"></audio> ");
            html
        });
        out.insert(
            text_at,
            Event::Start(Tag::Link {
                link_type,
                dest_url: url,
                title: title.clone(),
                id: id.clone(),
            }),
        );
        if let Some(player) = player {
            out.insert(text_at, Event::Html(player.into()));
        }
        out.push(Event::End(TagEnd::Link));
        if is_audio {
            out.push(Event::Html("</span>".into()));
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
        let Some(file) = self.media.get(path.as_ref()) else {
            let what = if is_link { "linked file" } else { "picture" };
            let hint = match near_miss(&path, self.media) {
                Some(name) => format!(
                    "Did you mean `{name}`? Write the name exactly as the file is named: capital letters, - and _, and the ending count."
                ),
                None => "Check the spelling (capital letters count) and that the file is in courses/<course>/media/.".to_string(),
            };
            self.diags.error(
                "missing-media",
                span,
                format!("The {what} `{dest}` is not in the course's media folder."),
                hint,
            );
            return None;
        };
        if let Some(problem) = &file.problem {
            if self.media_named.insert(path.to_string()) {
                let told = problem.explain(&path);
                self.diags.error(told.code, span, told.message, told.hint);
            }
            return None;
        }
        let size = file.size;
        let limit = if is_audio(&path) {
            LARGE_AUDIO_BYTES
        } else {
            LARGE_IMAGE_BYTES
        };
        if size > limit && self.media_named.insert(path.to_string()) {
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

/// The media file a missing one was meant to be: the same name but for
/// capital letters, `_` for `-` (or a space), or the ending
/// (`media/Stock_Rotation.png` for `media/stock-rotation.svg`).
// Only on a slip: kept out of the renderer's code.
#[cold]
#[inline(never)]
fn near_miss<'m>(path: &str, media: &'m BTreeMap<String, MediaFile>) -> Option<&'m str> {
    fn key(path: &str) -> String {
        let stem = match path.rsplit_once('.') {
            Some((stem, ending)) if !ending.contains('/') => stem,
            _ => path,
        };
        stem.chars()
            .map(|c| match c {
                '_' | ' ' => '-',
                c => c.to_ascii_lowercase(),
            })
            .collect()
    }
    let wanted = key(path);
    // With a different ending, the same kind (a picture for a picture) first.
    let same_kind = |name: &str| {
        MediaKind::of_name(name).map(MediaKind::is_audio)
            == MediaKind::of_name(path).map(MediaKind::is_audio)
    };
    let mut found: Vec<&str> = media
        .keys()
        .map(String::as_str)
        .filter(|name| key(name) == wanted)
        .collect();
    found.sort_by_key(|name| !same_kind(name));
    found.first().copied()
}

enum Target {
    Web,
    Mail,
    Anchor,
    Relative,
    Unsafe,
}

fn classify(dest: &str) -> Target {
    // Schemes are compared ignoring ASCII case, without a lowercased copy:
    // this runs for every link and picture.
    let dest = dest.trim();
    let starts = |prefix: &str| {
        dest.as_bytes()
            .get(..prefix.len())
            .is_some_and(|start| start.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    if starts("https://") || starts("http://") {
        Target::Web
    } else if starts("mailto:") || starts("tel:") {
        Target::Mail
    } else if dest.starts_with('#') {
        Target::Anchor
    } else if dest.is_empty() || dest.contains(':') || dest.starts_with("//") {
        // javascript:, data:, file:, protocol-relative: never in a lesson.
        Target::Unsafe
    } else {
        Target::Relative
    }
}

fn is_audio(path: &str) -> bool {
    // A byte search: splitting on a set of chars decodes every character.
    let end = path
        .bytes()
        .position(|b| b == b'?' || b == b'#')
        .unwrap_or(path.len());
    MediaKind::of_name(&path[..end]).is_some_and(MediaKind::is_audio)
}

/// `./media/a b.svg?x` -> `media/a b.svg`; None when the path leaves the
/// course folder (`..` too far, or an absolute path).
pub fn normalise_relative(dest: &str) -> Option<Cow<'_, str>> {
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
        return Some(Cow::Borrowed(dest));
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
    Some(Cow::Owned(parts.join("/")))
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

/// The opening of a callout: fixed text for each kind, so nothing to build.
fn callout_start(kind: BlockQuoteKind) -> &'static str {
    macro_rules! callout {
        ($class:literal, $label:literal) => {
            concat!(
                "<aside class=\"callout callout-",
                $class,
                "\" role=\"note\"><p class=\"callout-title\">",
                $label,
                "</p>\n"
            )
        };
    }
    match kind {
        BlockQuoteKind::Note => callout!("note", "Note"),
        BlockQuoteKind::Tip => callout!("tip", "Tip"),
        BlockQuoteKind::Important => callout!("important", "Important"),
        BlockQuoteKind::Warning => callout!("warning", "Warning"),
        BlockQuoteKind::Caution => callout!("caution", "Caution"),
    }
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
    // Look before allocating: most lesson bodies are richer, and a buffer
    // sized for a whole lesson, made only to be thrown away, is not free.
    let mut capacity = 0;
    for (event, _) in events {
        capacity += match event {
            Event::Text(t) => t.len() + 4,
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) | Event::SoftBreak => 4,
            _ => return None,
        };
    }
    let mut html = String::with_capacity(capacity);
    for (event, _) in events {
        match event {
            Event::Start(Tag::Paragraph) => html.push_str("<p>"),
            Event::End(TagEnd::Paragraph) => html.push_str("</p>\n"),
            Event::Text(t) => {
                push_escaped(&mut html, t);
            }
            Event::SoftBreak => html.push('\n'),
            // Ruled out above.
            _ => {}
        }
    }
    Some(html)
}

fn to_html(events: Vec<Event<'_>>, capacity: usize) -> String {
    let mut html = String::with_capacity(capacity);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
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

/// The HTML of inline events that [`is_plain`] accepts, without the
/// paragraph around them.
pub fn push_plain_inline(out: &mut String, events: &[Ev<'_>]) {
    for (event, _) in events {
        match event {
            Event::Text(t) => push_escaped(out, t),
            Event::SoftBreak => out.push('\n'),
            _ => {}
        }
    }
}

pub fn push_escaped(out: &mut String, text: &str) {
    // Most words, options and definitions have nothing to escape: one look
    // at the bytes and a copy beat the general escaper on short text.
    if !any_byte(text, |b| matches!(b, b'&' | b'<' | b'>')) {
        out.push_str(text);
        return;
    }
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html_body_text(&mut *out, text);
}

/// Does any byte of `text` match? Without an early exit, unlike
/// `Iterator::any`: the loop then compiles to vector code with no branch per
/// byte, which on the short runs of text this looks at beats stopping early.
#[inline]
pub fn any_byte(text: &str, matches: impl Fn(u8) -> bool) -> bool {
    text.bytes().fold(false, |found, b| found | matches(b))
}

/// Escapes text for the body of an element, as pulldown-cmark does.
pub fn escape_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    push_escaped(&mut out, text);
    out
}

/// Escapes for an attribute value too (quotes included).
pub fn push_escaped_attribute(out: &mut String, text: &str) {
    // As in `push_escaped`; an attribute escapes quotes too.
    if !any_byte(text, |b| matches!(b, b'&' | b'<' | b'>' | b'"' | b'\'')) {
        out.push_str(text);
        return;
    }
    let _ = pulldown_cmark_escape::escape_html(&mut *out, text);
}

fn push_escaped_href(out: &mut String, url: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_href(&mut *out, url);
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

    #[test]
    fn escaping_still_finds_every_special_character() {
        assert_eq!(
            escape_text("fish & chips <hot>"),
            "fish &amp; chips &lt;hot&gt;"
        );
        assert_eq!(escape_text("5°C, 63°C"), "5°C, 63°C");
        let mut attribute = String::new();
        push_escaped_attribute(&mut attribute, "say \"hello\" & 'bye'");
        assert_eq!(attribute, "say &quot;hello&quot; &amp; &#39;bye&#39;");
        assert!(any_byte("a<b", |b| b == b'<'));
        assert!(!any_byte("", |_| true));
    }
}
