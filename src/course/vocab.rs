//! Vocabulary: definition lists become a glossary and a word list in the
//! lesson. A definition starting with a language code (`ar: ثلاجة`) is a
//! translation; the others are English definitions.
//!
//! Every translation is in the HTML with its `lang` and `dir`; the lesson
//! page shows the learner's own language with one CSS rule, so the HTML stays
//! compiled once for everyone.

use std::borrow::Cow;
use std::collections::BTreeMap;

use pulldown_cmark::{CowStr, Event, Tag};

use super::markdown::plain_text;
use super::markdown::{Ev, block_end};
use super::model::GlossaryTerm;
use super::render::{
    RenderContext, is_plain, push_escaped, push_escaped_attribute, push_plain_inline,
};
use super::settings::{is_language_code, is_rtl};

/// `events` are the children of a `DefinitionList`.
pub fn render_definition_list(cx: &mut RenderContext, events: &[Ev<'_>]) -> String {
    let mut html = String::with_capacity(64 + 48 * events.len());
    html.push_str("<dl class=\"vocab\">\n");
    let mut i = 0;
    let mut current: Option<(GlossaryTerm, std::ops::Range<usize>)> = None;
    while i < events.len() {
        let end = block_end(events, i);
        let (event, span) = &events[i];
        let inner = events.get(i + 1..end).unwrap_or_default();
        match event {
            Event::Start(Tag::DefinitionListTitle) => {
                if let Some(entry) = current.take() {
                    finish_term(cx, entry);
                    html.push_str("</div>\n");
                }
                // A plain term (the usual) is escaped straight into the list.
                let (text, rich_html) = if is_plain(inner) {
                    (plain_text(inner), None)
                } else {
                    let rich = cx.render_inline(inner);
                    (rich.text, Some(rich.html))
                };
                html.push_str("<div class=\"vocab-entry\"><dt data-say=\"");
                push_escaped_attribute(&mut html, &text);
                html.push_str("\">");
                match &rich_html {
                    Some(rich) => html.push_str(rich),
                    None => push_plain_inline(&mut html, inner),
                }
                html.push_str("</dt>\n");
                current = Some((
                    GlossaryTerm {
                        term: text,
                        definitions: Vec::new(),
                        translations: BTreeMap::new(),
                        lesson: cx.lesson.clone(),
                    },
                    span.clone(),
                ));
            }
            Event::Start(Tag::DefinitionListDefinition) => {
                let (language, text, rich_html) = definition(cx, inner);
                match &language {
                    Some(code) => {
                        // Codes are checked to be ASCII letters and hyphens.
                        html.push_str("<dd class=\"tr\" lang=\"");
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
                if let Some((term, _)) = current.as_mut() {
                    match language {
                        Some(code) => {
                            term.translations.entry(code).or_insert(text);
                        }
                        None => term.definitions.push(text),
                    }
                }
            }
            _ => {}
        }
        i = end + 1;
    }
    if let Some(entry) = current.take() {
        finish_term(cx, entry);
        html.push_str("</div>\n");
    }
    html.push_str("</dl>\n");
    html
}

/// One definition: its language (None for English), its plain text, and its
/// HTML when it has markup (plain text is escaped straight into the page).
fn definition(
    cx: &mut RenderContext,
    inner: &[Ev<'_>],
) -> (Option<String>, String, Option<String>) {
    if is_plain(inner) {
        let mut text = plain_text(inner);
        let Some((code, rest)) = language_prefix(&text) else {
            return (None, text, None);
        };
        let (code, prefix_len) = (code.to_string(), text.len() - rest.len());
        text.drain(..prefix_len);
        return (Some(code), text, None);
    }
    let (language, body) = split_language(inner);
    let rich = cx.render_inline(&body);
    (language, rich.text, Some(rich.html))
}

/// `ar: ثلاجة` -> (`ar`, `ثلاجة`).
fn language_prefix(text: &str) -> Option<(&str, &str)> {
    let (code, rest) = text.split_once(':')?;
    let code = code.trim();
    (is_language_code(code) && (rest.is_empty() || rest.starts_with([' ', '\t'])))
        .then(|| (code, rest.trim_start()))
}

fn finish_term(cx: &mut RenderContext, (term, span): (GlossaryTerm, std::ops::Range<usize>)) {
    if term.term.is_empty() {
        return;
    }
    if term.definitions.is_empty() {
        cx.diags.warning(
            "no-definition",
            span.clone(),
            format!("The word \"{}\" has translations but no English definition.", term.term),
            "Add a line under the word with a short, simple English definition: `: A cold cupboard for food.`",
        );
    }
    if cx.languages_known {
        for code in term.translations.keys() {
            if !cx.languages.contains(code) {
                cx.diags.warning(
                    "unlisted-language",
                    span.clone(),
                    format!(
                        "The word \"{}\" has a translation into `{code}`, but course.toml does not list `{code}` in `languages`.",
                        term.term
                    ),
                    format!("Add \"{code}\" to `languages` in course.toml, or check the language code."),
                );
            }
        }
        let missing: Vec<&str> = cx
            .languages
            .iter()
            .filter(|code| !term.translations.contains_key(*code))
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            cx.diags.warning(
                "missing-translation",
                span.clone(),
                format!(
                    "The word \"{}\" has no translation into {}.",
                    term.term,
                    missing.join(", ")
                ),
                format!(
                    "Add a line for each, like `: {}: ...`, under the word.",
                    missing[0]
                ),
            );
        }
    }
    cx.glossary.push((term, span));
}

/// The definition without its `xx:` prefix, for definitions with markup.
fn split_language<'a, 'e>(events: &'a [Ev<'e>]) -> (Option<String>, Cow<'a, [Ev<'e>]>) {
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
    (Some(code.to_string()), Cow::Owned(body))
}
