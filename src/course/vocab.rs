//! Vocabulary: definition lists become a glossary and a word list in the
//! lesson. A definition starting with a language code (`ar: ثلاجة`) is a
//! translation; the others are English definitions.
//!
//! Every translation is in the HTML with its `lang` and `dir`, hidden by
//! the stylesheet; the lesson page marks the learner's home language's with
//! [`show_translation`] (once per cached page), so the HTML stays compiled
//! once for everyone.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::hash::BuildHasher;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag};

use super::markdown::{Ev, block_end};
use super::markdown::{is_single_spaced, plain_text};
use super::model::{GlossaryTerm, LanguageCode};
use super::render::{
    RenderContext, any_byte, is_plain, push_escaped, push_escaped_attribute, push_plain_inline,
};
use super::settings::{is_language_code, is_rtl, language_mix_up};

/// The course's glossary as it is built: one entry per term (ignoring
/// case), in the order first met. A term defined again adds whatever the
/// first definition lacked.
#[derive(Default)]
pub struct Glossary {
    pub terms: Vec<GlossaryTerm>,
    /// Places in `terms`, found by the lowercased term. The table holds only
    /// the places: a key is the term itself, lowercased when it is looked at,
    /// so a new term costs no copy of its own for the index.
    index: hashbrown::HashTable<usize>,
    hasher: hashbrown::DefaultHashBuilder,
}

impl Glossary {
    fn find(&self, term: &str) -> Option<usize> {
        let key = lowercase_key(term);
        let hash = self.hasher.hash_one(key.as_ref());
        self.index
            .find(hash, |&at| lowercase_key(&self.terms[at].term) == key)
            .copied()
    }

    fn insert(&mut self, term: GlossaryTerm) {
        let hash = self.hasher.hash_one(lowercase_key(&term.term).as_ref());
        let (terms, hasher) = (&self.terms, &self.hasher);
        self.index.insert_unique(hash, terms.len(), |&at| {
            hasher.hash_one(lowercase_key(&terms[at].term).as_ref())
        });
        self.terms.push(term);
    }
}

/// The glossary key of a term. Most terms are lowercase ASCII already and
/// are looked at as they are, with no copy.
fn lowercase_key(term: &str) -> Cow<'_, str> {
    if any_byte(term, |b| b.is_ascii_uppercase() | !b.is_ascii()) {
        Cow::Owned(term.to_lowercase())
    } else {
        Cow::Borrowed(term)
    }
}

/// The term a word list is reading, until the next term or the list's end.
struct Current<'a> {
    text: Cow<'a, str>,
    span: Range<usize>,
    /// A term new to the glossary is built here; a term the glossary has
    /// already gets only what its entry lacks (most repeats: nothing), so a
    /// repeat costs no copies.
    entry: Entry,
    definitions: usize,
    /// This definition's translation codes, for its warnings.
    codes: Vec<Cow<'a, str>>,
}

enum Entry {
    New(GlossaryTerm),
    Known {
        at: usize,
        /// The entry had no English definition: it takes these.
        takes_definitions: bool,
    },
}

/// `events` are the children of a `DefinitionList`.
pub fn render_definition_list(cx: &mut RenderContext, events: &[Ev<'_>]) -> String {
    let mut html = String::with_capacity(64 + 48 * events.len());
    html.push_str("<dl class=\"vocab\">\n");
    let mut i = 0;
    let mut current: Option<Current> = None;
    while i < events.len() {
        let end = block_end(events, i);
        let (event, span) = &events[i];
        let inner = events.get(i + 1..end).unwrap_or_default();
        match event {
            Event::Start(Tag::DefinitionListTitle) => {
                let codes = match current.take() {
                    Some(term) => {
                        html.push_str("</div>\n");
                        finish_term(cx, term)
                    }
                    None => Vec::new(),
                };
                // A plain term (the usual) is escaped straight into the list.
                let (text, rich_html) = if is_plain(inner) {
                    (plain_cow(inner), None)
                } else {
                    let rich = cx.render_inline(inner);
                    (Cow::Owned(rich.text), Some(rich.html))
                };
                if inner
                    .iter()
                    .any(|(e, _)| matches!(e, Event::SoftBreak | Event::HardBreak))
                {
                    joined_term(cx, &text, span.clone());
                }
                html.push_str("<div class=\"vocab-entry\"><dt data-say=\"");
                push_escaped_attribute(&mut html, &text);
                html.push_str("\">");
                match &rich_html {
                    Some(rich) => html.push_str(rich),
                    None => push_plain_inline(&mut html, inner),
                }
                html.push_str("</dt>\n");
                let entry = match cx.glossary.find(&text) {
                    Some(at) => Entry::Known {
                        at,
                        takes_definitions: cx.glossary.terms[at].definitions.is_empty(),
                    },
                    None => Entry::New(GlossaryTerm {
                        term: text.to_string(),
                        definitions: Vec::new(),
                        translations: BTreeMap::new(),
                        lesson: cx.lesson.clone(),
                    }),
                };
                current = Some(Current {
                    text,
                    span: span.clone(),
                    entry,
                    definitions: 0,
                    codes,
                });
            }
            Event::Start(Tag::DefinitionListDefinition) => {
                let (language, text, rich_html) = definition(cx, inner);
                if let Some(term) = current.as_mut() {
                    if let Some(code) = &language {
                        check_translation(cx, &term.text, code, &text, span.clone());
                    }
                    // `ar: فرن` on the next line, without the `: ` that
                    // starts a definition, joined this one.
                    if let Some(code) = joined_translation(cx, &term.text, inner) {
                        term.codes.push(Cow::Owned(code));
                    }
                }
                match &language {
                    Some(code) => {
                        // Codes are checked to be ASCII letters and hyphens.
                        html.push_str(TRANSLATION_START);
                        html.push_str(code);
                        html.push_str(if is_rtl(code) {
                            "\" dir=\"rtl\">"
                        } else {
                            "\" dir=\"ltr\">"
                        });
                    }
                    None => html.push_str("<dd>"),
                }
                match &rich_html {
                    Some(rich) => html.push_str(rich),
                    None => push_escaped(&mut html, &text),
                }
                html.push_str("</dd>\n");
                if let Some(term) = current.as_mut() {
                    term.add(&mut cx.glossary, language, text);
                }
            }
            _ => {}
        }
        i = end + 1;
    }
    if let Some(term) = current.take() {
        finish_term(cx, term);
        html.push_str("</div>\n");
    }
    html.push_str("</dl>\n");
    html
}

/// Where a translation's `<dd>` starts, as [`render_definition_list`]
/// writes it.
const TRANSLATION_START: &str = "<dd class=\"tr\" lang=\"";

/// Compiled lesson HTML with the translations into `code` marked to be
/// shown (`class="tr home"`); the others stay hidden. No copy when the
/// lesson has none in that language.
pub fn show_translation<'a>(html: &'a str, code: &str) -> Cow<'a, str> {
    // Codes are ASCII letters and hyphens; anything else names none.
    if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Cow::Borrowed(html);
    }
    let wanted = format!("{TRANSLATION_START}{code}\"");
    if !html.contains(&wanted) {
        return Cow::Borrowed(html);
    }
    Cow::Owned(html.replace(&wanted, &format!("<dd class=\"tr home\" lang=\"{code}\"")))
}

/// An empty translation, or one of only question marks: what is left of
/// Arabic, Persian or Ukrainian letters after a file is saved as "Western"
/// (Windows-1252) in Word.
fn check_translation(
    cx: &mut RenderContext,
    term: &str,
    code: &str,
    text: &str,
    span: Range<usize>,
) {
    let text = text.trim();
    if text.is_empty() {
        cx.diags.warning(
            "empty-translation",
            span,
            format!("The {code} translation of \"{term}\" is empty."),
            format!("Write the translation after `: {code}:`, or remove the line."),
        );
    } else if text.contains('?')
        && text
            .chars()
            .all(|c| c == '?' || c.is_whitespace() || c.is_ascii_punctuation())
    {
        cx.diags.warning(
            "empty-translation",
            span,
            format!(
                "The {code} translation of \"{term}\" is only question marks: its letters were lost when the file was saved."
            ),
            "Type or paste the translation again, and save the file as UTF-8 text. In Word: Save As, Plain Text, then Unicode (UTF-8), not Western or Windows.",
        );
    }
}

/// A line `ar: فرن` inside a definition: a translation written without the
/// `: ` in front, so it joined the line above. Warns at the line and returns
/// its code (the word does have that translation, only badly written).
#[cold]
#[inline(never)]
fn joined_translation(cx: &mut RenderContext, term: &str, inner: &[Ev<'_>]) -> Option<String> {
    let mut after_break = false;
    for (event, span) in inner {
        match event {
            Event::SoftBreak | Event::HardBreak => after_break = true,
            Event::Text(line) if after_break => {
                after_break = false;
                let Some((code, rest)) = language_prefix(line) else {
                    continue;
                };
                // English can start "so:" or "uk:" too: a language of the
                // course, or another script, says it is a translation.
                let listed = cx.languages.iter().any(|known| known == code);
                if rest.is_empty() || (rest.is_ascii() && !listed) {
                    continue;
                }
                let line = line.trim();
                cx.diags.warning(
                    "missing-translation",
                    span.clone(),
                    format!(
                        "The line `{line}` has no colon in front of it, so it joined the line above it: \"{term}\" has no {code} translation."
                    ),
                    format!("Start the line with a colon and a space: `: {line}`"),
                );
                return Some(code.to_string());
            }
            _ => after_break = false,
        }
    }
    None
}

/// A term with a line break in it: the line above joined it.
// Only on a slip: kept out of the word list's loop.
#[cold]
#[inline(never)]
fn joined_term(cx: &mut RenderContext, text: &str, span: Range<usize>) {
    cx.diags.warning(
        "joined-term",
        span,
        format!(
            "The word \"{text}\" is more than one line: the line above it has joined the word."
        ),
        "Leave a blank line before each vocabulary word.",
    );
}

impl<'a> Current<'a> {
    /// One definition of the term: a translation into `language`, or an
    /// English definition. The first translation into a language counts.
    fn add(&mut self, glossary: &mut Glossary, language: Option<Cow<'a, str>>, text: Cow<'_, str>) {
        let translations = match (&mut self.entry, &language) {
            (_, None) => None,
            (Entry::New(term), Some(_)) => Some(&mut term.translations),
            (Entry::Known { at, .. }, Some(_)) => Some(&mut glossary.terms[*at].translations),
        };
        if let (Some(translations), Some(code)) = (translations, &language) {
            // Codes were checked to be language codes, which all fit.
            if !translations.contains_key(code.as_ref())
                && let Some(code) = LanguageCode::new(code)
            {
                translations.insert(code, text.into_owned());
            }
            self.codes.push(language.unwrap_or_default());
            return;
        }
        self.definitions += 1;
        match &mut self.entry {
            Entry::New(term) => term.definitions.push(text.into_owned()),
            Entry::Known {
                at,
                takes_definitions: true,
            } => glossary.terms[*at].definitions.push(text.into_owned()),
            Entry::Known { .. } => {}
        }
    }
}

/// The plain text of a term: borrowed when it is one single-spaced run.
fn plain_cow<'a>(events: &'a [Ev<'_>]) -> Cow<'a, str> {
    match events {
        [(Event::Text(t), _)] if is_single_spaced(t) => Cow::Borrowed(t.as_ref()),
        _ => Cow::Owned(plain_text(events)),
    }
}

/// One definition: its language (None for English), its plain text, and its
/// HTML when it has markup (plain text is escaped straight into the page).
fn definition<'a>(
    cx: &mut RenderContext,
    inner: &'a [Ev<'_>],
) -> (Option<Cow<'a, str>>, Cow<'a, str>, Option<String>) {
    // The usual definition is one single-spaced run of text: its prefix is
    // read in place, and the rest is copied only if the glossary keeps it.
    if let [(Event::Text(t), _)] = inner
        && is_single_spaced(t)
    {
        return match language_prefix(t) {
            Some((code, rest)) => (Some(Cow::Borrowed(code)), Cow::Borrowed(rest), None),
            None => (None, Cow::Borrowed(t.as_ref()), None),
        };
    }
    if is_plain(inner) {
        let mut text = plain_text(inner);
        let Some((code, rest)) = language_prefix(&text) else {
            return (None, Cow::Owned(text), None);
        };
        let (code, prefix_len) = (code.to_string(), text.len() - rest.len());
        text.drain(..prefix_len);
        return (Some(Cow::Owned(code)), Cow::Owned(text), None);
    }
    let (language, body) = split_language(inner);
    let rich = cx.render_inline(&body);
    (
        language.map(Cow::Borrowed),
        Cow::Owned(rich.text),
        Some(rich.html),
    )
}

/// `ar: ثلاجة` -> (`ar`, `ثلاجة`).
fn language_prefix(text: &str) -> Option<(&str, &str)> {
    let (code, rest) = text.split_once(':')?;
    let code = code.trim();
    (is_language_code(code) && (rest.is_empty() || rest.starts_with([' ', '\t'])))
        .then(|| (code, rest.trim_start()))
}

/// Warns about what the term lacks and adds a new term to the glossary.
/// Returns the term's code list, emptied, for the next term to reuse.
fn finish_term<'a>(cx: &mut RenderContext, term: Current<'a>) -> Vec<Cow<'a, str>> {
    let Current {
        text,
        span,
        entry,
        definitions,
        mut codes,
    } = term;
    if text.is_empty() {
        codes.clear();
        return codes;
    }
    if definitions == 0 {
        cx.diags.warning(
            "no-definition",
            span.clone(),
            format!("The word \"{text}\" has translations but no English definition."),
            "Add a line under the word with a short, simple English definition: `: A cold cupboard for food.`",
        );
    }
    if cx.languages_known {
        // In code order, each once, as the glossary entry lists them.
        codes.sort_unstable();
        codes.dedup();
        // `ua` written for `uk`: the one mix-up is told once, as such,
        // not again as a missing `uk` translation.
        let mut meant: Vec<&str> = Vec::new();
        for code in &codes {
            if !cx.languages.iter().any(|known| known == code) {
                let hint = match language_mix_up(code) {
                    Some(mix_up) => {
                        meant.push(mix_up.code);
                        format!(
                            "The code for {} is `{}`, not `{code}` ({}). Write `: {}: ...`.",
                            mix_up.language, mix_up.code, mix_up.why, mix_up.code
                        )
                    }
                    None => format!(
                        "Add \"{code}\" to `languages` in course.toml, or check the language code."
                    ),
                };
                cx.diags.warning(
                    "unlisted-language",
                    span.clone(),
                    format!(
                        "The word \"{text}\" has a translation into `{code}`, but course.toml does not list `{code}` in `languages`."
                    ),
                    hint,
                );
            }
        }
        let missing: Vec<&str> = cx
            .languages
            .iter()
            .map(String::as_str)
            .filter(|code| !codes.iter().any(|c| c == code) && !meant.contains(code))
            .collect();
        if !missing.is_empty() {
            // A repeated word keeps its first definitions, not these lines.
            let definitions: &[String] = match &entry {
                Entry::New(term) => &term.definitions,
                Entry::Known { .. } => &[],
            };
            let hint = missing_translation_hint(&missing, definitions);
            cx.diags.warning(
                "missing-translation",
                span.clone(),
                format!(
                    "The word \"{text}\" has no translation into {}.",
                    missing.join(", ")
                ),
                hint,
            );
        }
    }
    if let Entry::New(term) = entry {
        cx.glossary.insert(term);
    }
    codes.clear();
    codes
}

/// Names a definition that was meant as one of the missing translations,
/// or says how to add them.
#[cold]
#[inline(never)]
fn missing_translation_hint(missing: &[&str], definitions: &[String]) -> String {
    let slip = missing.iter().find_map(|code| {
        definitions
            .iter()
            .find(|line| looks_like_a_translation(line, code))
            .map(|line| (code, line))
    });
    match slip {
        Some((code, line)) => format!(
            "The line `: {line}` looks like the {code} translation. Write the language code in small letters with a colon after it: `: {code}: ...`."
        ),
        None => format!(
            "Add a line for each, like `: {}: ...`, under the word.",
            missing.first().copied().unwrap_or_default()
        ),
    }
}

/// An English definition that was meant as a translation into `code`:
/// `AR: فرن` (a capital code) or `ar فرن` (no colon; taken only when the
/// rest is in another script, as English can start with "so" or "UK").
fn looks_like_a_translation(line: &str, code: &str) -> bool {
    let Some(rest) = line
        .get(..code.len())
        .filter(|start| start.eq_ignore_ascii_case(code))
        .map(|_| &line[code.len()..])
    else {
        return false;
    };
    rest.starts_with(':') || (rest.starts_with(' ') && !rest.is_ascii())
}

/// The definition without its `xx:` prefix, for definitions with markup.
fn split_language<'a, 'e>(events: &'a [Ev<'e>]) -> (Option<&'a str>, Cow<'a, [Ev<'e>]>) {
    let unchanged = (None, Cow::Borrowed(events));
    let Some(index) = events
        .iter()
        .position(|(e, _)| !matches!(e, Event::Start(Tag::Paragraph)))
    else {
        return unchanged;
    };
    let (Event::Text(text), span) = &events[index] else {
        return unchanged;
    };
    let Some((code, rest)) = language_prefix(text) else {
        return unchanged;
    };
    let mut body = events.to_vec();
    body[index] = (Event::Text(CowStr::from(rest.to_string())), span.clone());
    (Some(code), Cow::Owned(body))
}

#[cfg(test)]
mod show_translation_tests {
    use super::show_translation;

    #[test]
    fn only_the_home_language_is_marked() {
        let html = "<dl class=\"vocab\">\n<div class=\"vocab-entry\"><dt data-say=\"shoe\">shoe</dt>\n\
                    <dd>What you wear.</dd>\n<dd class=\"tr\" lang=\"ar\" dir=\"rtl\">حذاء</dd>\n\
                    <dd class=\"tr\" lang=\"ti\" dir=\"ltr\">ጫማ</dd>\n\
                    <dd class=\"tr\" lang=\"ti-ER\" dir=\"ltr\">ጫማ</dd>\n</div>\n</dl>\n";
        let shown = show_translation(html, "ti");
        assert!(shown.contains("<dd class=\"tr home\" lang=\"ti\" dir=\"ltr\">ጫማ</dd>"));
        assert!(shown.contains("<dd class=\"tr\" lang=\"ar\""));
        assert!(shown.contains("<dd class=\"tr\" lang=\"ti-ER\""), "{shown}");
        assert!(matches!(
            show_translation(html, "en"),
            std::borrow::Cow::Borrowed(_)
        ));
        assert!(matches!(
            show_translation(html, "\"><x"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
