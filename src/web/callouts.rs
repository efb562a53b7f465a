//! The labels of a lesson's callouts ("Tip", "Warning") in the learner's
//! language. The course compiler writes them in English, like the lesson
//! around them; but they are the interface's words, not the tutor's, so a
//! learner reading in Arabic sees "نصيحة" over an English tip, marked with
//! its own language and direction inside the English article.

use std::borrow::Cow;

use crate::i18n::{self, Language};

/// The compiler's callout kinds: (English label as written, Fluent key).
/// The markup is `src/course/render.rs`'s `callout!`.
const LABELS: [(&str, &str); 5] = [
    ("Note", "callout-note"),
    ("Tip", "callout-tip"),
    ("Important", "callout-important"),
    ("Warning", "callout-warning"),
    ("Caution", "callout-caution"),
];

const OPEN: &str = "<p class=\"callout-title\">";

/// `html` with every callout label in `language`. English pages, and
/// lessons without callouts, are returned as they are, without a copy.
pub fn localise_callout_labels(html: &str, language: Language) -> Cow<'_, str> {
    if language.code == "en" || !html.contains(OPEN) {
        return Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(at) = rest.find(OPEN) {
        out.push_str(&rest[..at]);
        let after = &rest[at + OPEN.len()..];
        let label = LABELS.iter().find(|(english, _)| {
            after.starts_with(english) && after[english.len()..].starts_with("</p>")
        });
        match label {
            Some((english, key)) => {
                out.push_str("<p class=\"callout-title\" lang=\"");
                out.push_str(language.html_lang);
                out.push_str("\" dir=\"");
                out.push_str(language.dir);
                out.push_str("\">");
                // Our own translations: no markup in them, but escape
                // anyway, as everything put into HTML is.
                out.push_str(&escape_text(&i18n::text(language.code, key)));
                rest = &after[english.len()..];
            }
            None => {
                out.push_str(OPEN);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn escape_text(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    // Writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut escaped, text);
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    const TIP: &str = "<aside class=\"callout callout-tip\" role=\"note\"><p class=\"callout-title\">Tip</p>\n<p>Wash your hands.</p></aside>";

    #[test]
    fn an_arabic_page_names_the_tip_in_arabic_marked_right_to_left() {
        let arabic = i18n::language("ar").unwrap();
        let html = localise_callout_labels(TIP, arabic);
        assert!(
            html.contains("<p class=\"callout-title\" lang=\"ar\" dir=\"rtl\">نصيحة</p>"),
            "{html}"
        );
        assert!(
            html.contains("<p>Wash your hands.</p>"),
            "the tip itself stays English"
        );
    }

    #[test]
    fn english_pages_and_other_paragraphs_are_left_alone() {
        let english = i18n::language("en").unwrap();
        assert!(matches!(
            localise_callout_labels(TIP, english),
            Cow::Borrowed(_)
        ));
        let ukrainian = i18n::language("uk").unwrap();
        let odd = "<p class=\"callout-title\">Tipping point</p>";
        assert_eq!(localise_callout_labels(odd, ukrainian), odd);
    }
}
