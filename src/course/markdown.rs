//! The markdown dialect of the course format, and small helpers for walking
//! pulldown-cmark's event stream with source offsets.

use std::ops::Range;

use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Tag};

/// An event with the byte range it came from.
pub type Ev<'a> = (Event<'a>, Range<usize>);

/// The options the course format promises tutors, spelled out: GitHub tables,
/// task lists and alerts, heading attributes for ids and quiz settings,
/// definition lists for vocabulary and `+++` TOML front matter. Smart
/// punctuation stays off so gap answers keep the apostrophes a learner types.
pub fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_DEFINITION_LIST
        | Options::ENABLE_GFM
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// Index of the `End` that closes the `Start` at `start`; for any other event,
/// `start` itself. Unbalanced input (which pulldown-cmark never produces)
/// ends at the last event rather than panicking.
pub fn block_end(events: &[Ev], start: usize) -> usize {
    if !matches!(events.get(start), Some((Event::Start(_), _))) {
        return start;
    }
    let mut depth = 0usize;
    for (i, (event, _)) in events.iter().enumerate().skip(start) {
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    events.len().saturating_sub(1)
}

/// Top-level blocks of a slice: (first index, last index) of each.
pub fn blocks<'s, 'e>(events: &'s [Ev<'e>]) -> impl Iterator<Item = (usize, usize)> + use<'s, 'e> {
    let mut i = 0;
    std::iter::from_fn(move || {
        if i >= events.len() {
            return None;
        }
        let end = block_end(events, i);
        let block = (i, end);
        i = end + 1;
        Some(block)
    })
}

/// The text a reader sees, with runs of whitespace made one space. One pass
/// over the bytes and one allocation: it runs for every heading, option and
/// definition. Only ASCII whitespace separates words, so a no-break space
/// a tutor typed (as in `8 °C`) stays.
pub fn plain_text(events: &[Ev]) -> String {
    // The usual option, term or definition is one run of text.
    if let [(Event::Text(t), _)] = events
        && is_single_spaced(t)
    {
        // `String::from`, not `to_string`: a `CowStr` would go through `Display`.
        return String::from(t.as_ref());
    }
    let capacity = events
        .iter()
        .map(|(e, _)| match e {
            Event::Text(t) | Event::Code(t) => t.len() + 1,
            _ => 0,
        })
        .sum();
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => push_words(&mut out, t, &mut pending_space),
            Event::SoftBreak | Event::HardBreak | Event::End(pulldown_cmark::TagEnd::Paragraph) => {
                pending_space = true
            }
            _ => {}
        }
    }
    out
}

fn push_words(out: &mut String, text: &str, pending_space: &mut bool) {
    // Most text runs are already single-spaced: copy them whole. One pass
    // over the bytes decides it (a substring search for two spaces cost
    // more than the copy on the short runs of options and definitions).
    if is_single_spaced(text) {
        push_word(out, text, pending_space);
        return;
    }
    let bytes = text.as_bytes();
    let mut start = None;
    for (i, b) in bytes.iter().enumerate() {
        if b.is_ascii_whitespace() {
            if let Some(s) = start.take() {
                push_word(out, &text[s..i], pending_space);
            }
            *pending_space = true;
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        push_word(out, &text[s..], pending_space);
    }
}

/// Non-empty, no ASCII whitespace at either end, and words separated by
/// single spaces only: the text is already what [`plain_text`] would write.
pub fn is_single_spaced(text: &str) -> bool {
    let bytes = text.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    if first == b' ' || last == b' ' {
        return false;
    }
    // Each byte and the one after it, folded with `|` and no early exit:
    // a branch per space (one a word) was mispredicted often enough to make
    // this a hot spot, while this form compiles to vector code.
    let bad = bytes.iter().zip(&bytes[1..]).fold(false, |bad, (&a, &b)| {
        bad | (a == b' ' && b == b' ') | (a != b' ' && a.is_ascii_whitespace())
    });
    !(bad || (last != b' ' && last.is_ascii_whitespace()))
}

fn push_word(out: &mut String, word: &str, pending_space: &mut bool) {
    if *pending_space && !out.is_empty() {
        out.push(' ');
    }
    *pending_space = false;
    out.push_str(word);
}

/// Byte range covering a slice of events.
pub fn span_of(events: &[Ev]) -> Range<usize> {
    match (events.first(), events.last()) {
        (Some((_, first)), Some((_, last))) => first.start..last.end.max(first.start),
        _ => 0..0,
    }
}

pub struct Heading<'a> {
    pub level: HeadingLevel,
    pub id: Option<CowStr<'a>>,
    pub classes: Vec<CowStr<'a>>,
    pub attrs: Vec<(CowStr<'a>, Option<CowStr<'a>>)>,
    pub text: String,
    /// Indices of the heading's inline events (between Start and End).
    pub inline: Range<usize>,
    pub span: Range<usize>,
}

/// Reads the heading whose `Start` is at `start` in `events`.
pub fn heading<'a>(events: &[Ev<'a>], start: usize) -> Option<Heading<'a>> {
    let (
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }),
        span,
    ) = events.get(start)?
    else {
        return None;
    };
    let end = block_end(events, start);
    let inline = (start + 1)..end;
    Some(Heading {
        level: *level,
        id: id.clone(),
        classes: classes.clone(),
        attrs: attrs.clone(),
        text: plain_text(events.get(inline.clone()).unwrap_or_default()),
        inline,
        span: span.clone(),
    })
}

/// Is this the start of a heading of exactly this level?
pub fn is_heading(event: &Event, level: HeadingLevel) -> bool {
    matches!(event, Event::Start(Tag::Heading { level: l, .. }) if *l == level)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::Parser;

    fn parse(text: &str) -> Vec<Ev<'_>> {
        Parser::new_ext(text, parser_options())
            .into_offset_iter()
            .collect()
    }

    #[test]
    fn block_end_finds_the_matching_close() {
        let events = parse("- a\n  - b\n\npara\n");
        let top: Vec<_> = blocks(&events).collect();
        assert_eq!(top.len(), 2);
        assert!(matches!(events[top[1].0].0, Event::Start(Tag::Paragraph)));
    }

    #[test]
    fn plain_text_joins_words_with_single_spaces() {
        let events = parse("Hello   *big*\nworld `code`\n\nNext");
        assert_eq!(plain_text(&events), "Hello big world code Next");
    }

    /// The obvious definition, one byte at a time, that the folded loop in
    /// `is_single_spaced` must agree with.
    fn single_spaced_by_the_book(text: &str) -> bool {
        let mut after_space = true;
        for b in text.bytes() {
            if b.is_ascii_whitespace() {
                if b != b' ' || after_space {
                    return false;
                }
                after_space = true;
            } else {
                after_space = false;
            }
        }
        !after_space
    }

    #[test]
    fn single_spacing_is_decided_as_by_the_book() {
        // Every string of up to five characters from an alphabet with each
        // kind of byte that matters, in every position.
        let alphabet = ["a", " ", "\t", "\n", "\r", "\x0c", "é", "ب", "\u{a0}"];
        let mut texts = vec![String::new()];
        let mut level = vec![String::new()];
        for _ in 0..5 {
            level = level
                .iter()
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(level.iter().cloned());
        }
        assert!(texts.len() > 60_000);
        for text in &texts {
            assert_eq!(
                is_single_spaced(text),
                single_spaced_by_the_book(text),
                "{text:?}"
            );
        }
        assert!(is_single_spaced("Wash your hands"));
        assert!(!is_single_spaced("Wash  your hands"));
        assert!(!is_single_spaced("Wash your hands "));
        assert!(!is_single_spaced("Wash\tyour hands"));
    }

    #[test]
    fn headings_keep_their_attributes() {
        let events = parse("## Quiz: Hygiene {#hygiene-quiz pass=70 attempts=3}\n");
        let h = heading(&events, 0).unwrap();
        assert_eq!(h.text, "Quiz: Hygiene");
        assert_eq!(h.id.as_deref(), Some("hygiene-quiz"));
        assert_eq!(h.attrs.len(), 2);
    }
}
