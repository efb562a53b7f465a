//! Turning GIFT text into safe markdown: format tags, weights, HTML reduced
//! to text, markdown escaping, quoting and the small pieces of output.

use super::chars::*;
use super::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Format {
    Moodle,
    Html,
    Plain,
    Markdown,
}

/// Read a leading `[html]`-style format tag.
pub(super) fn take_format(chars: &[Ch], default: Format) -> (Format, &[Ch]) {
    let t = trim(chars);
    let end = match t.first() {
        Some(c) if c.is('[') => t.iter().take(12).position(|c| c.is(']')),
        _ => None,
    };
    if let Some(end) = end {
        let name: String = sub(t, 1, end)
            .iter()
            .map(|c| c.c.to_ascii_lowercase())
            .collect();
        let format = match name.as_str() {
            "html" => Some(Format::Html),
            "moodle" => Some(Format::Moodle),
            "plain" => Some(Format::Plain),
            "markdown" => Some(Format::Markdown),
            _ => None,
        };
        if let Some(f) = format {
            return (f, trim(sub(t, end.saturating_add(1), t.len())));
        }
    }
    (default, t)
}

/// Read a leading `%50%` weight. Returns the weight (clamped to -100..=100)
/// and the rest; no weight when the text does not start with a valid one.
pub(super) fn parse_weight(chars: &[Ch]) -> (Option<f64>, &[Ch]) {
    if !chars.first().is_some_and(|c| c.is('%')) {
        return (None, chars);
    }
    let Some(end) = chars.iter().skip(1).take(24).position(|c| c.is('%')) else {
        return (None, chars);
    };
    let end = end.saturating_add(1);
    let number: String = sub(chars, 1, end).iter().map(|c| c.c).collect();
    let unsigned = number.strip_prefix('-').unwrap_or(&number);
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let valid = (1..=3).contains(&int.len())
        && int.chars().all(|c| c.is_ascii_digit())
        && frac.chars().all(|c| c.is_ascii_digit());
    if !valid {
        return (None, chars);
    }
    match number.parse::<f64>() {
        Ok(w) if w.is_finite() => (
            Some(w.clamp(-100.0, 100.0)),
            trim(sub(chars, end.saturating_add(1), chars.len())),
        ),
        _ => (None, chars),
    }
}

pub(super) fn is_full(weight: f64) -> bool {
    weight >= 100.0 - 1e-6
}

pub(super) fn show_weight(weight: f64) -> String {
    let rounded = (weight * 1000.0).round() / 1000.0;
    format!("{rounded}%")
}

/// Text made ready for markdown: one escaped string per paragraph.
#[derive(Debug, Default, Clone)]
pub(super) struct Rendered {
    pub(super) paras: Vec<String>,
    /// The text without markdown escapes, paragraphs joined by spaces.
    pub(super) plain: String,
}

impl Rendered {
    pub(super) fn is_empty(&self) -> bool {
        self.paras.is_empty()
    }

    /// All paragraphs on one line.
    pub(super) fn flat(&self) -> String {
        self.paras.join(" ")
    }
}

/// What rendering had to change, for one warning per question.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Flags {
    /// HTML tags were removed.
    pub(super) simplified: bool,
    /// A literal `[[` or `]]` was split so that it cannot read as a gap.
    pub(super) brackets: bool,
}

/// Render GIFT text in `format` as markdown paragraphs.
pub(super) fn render(chars: &[Ch], format: Format, flags: &mut Flags) -> Rendered {
    let raw: String = chars
        .iter()
        .map(|c| match c.c {
            '\n' if c.esc => '\n',
            ch if ch.is_control() => ' ',
            ch => ch,
        })
        .collect();
    let text = match format {
        Format::Plain => raw,
        Format::Html | Format::Moodle => {
            let (stripped, had_tags) = strip_html(&raw);
            flags.simplified |= had_tags;
            decode_entities(&stripped)
        }
        Format::Markdown => {
            let (stripped, had_tags) = strip_html(&raw);
            flags.simplified |= had_tags;
            stripped
        }
    };
    let mut out = Rendered::default();
    for line in text.split('\n') {
        let words: Vec<&str> = line
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            continue;
        }
        let mut para = words.join(" ");
        let split = split_double_brackets(&para, format == Format::Markdown);
        if split != para {
            para = split;
            flags.brackets = true;
        }
        if !out.plain.is_empty() {
            out.plain.push(' ');
        }
        out.plain.push_str(&para);
        out.paras.push(match format {
            Format::Markdown => escape_markdown_source(&para),
            _ => escape_plain(&para),
        });
    }
    out
}

/// Put a space inside every `[[` and `]]`: Presto reads them as a gap
/// even when escaped. In markdown source, emphasis and code markers between
/// two brackets vanish when rendered, so they do not separate them.
pub(super) fn split_double_brackets(s: &str, markdown: bool) -> String {
    let mut out = String::with_capacity(s.len().saturating_add(8));
    let mut prev = None;
    for c in s.chars() {
        if matches!(c, '[' | ']') && prev == Some(c) {
            out.push(' ');
        }
        out.push(c);
        if !(markdown && matches!(c, '*' | '_' | '~' | '`')) {
            prev = Some(c);
        }
    }
    out
}

/// Escape plain text so that markdown shows it literally. `s` is one line;
/// it is treated as the start of a markdown line.
pub(super) fn escape_plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len().saturating_add(s.len() / 8).saturating_add(4));
    let mut prev: Option<char> = None;
    let mut chars = s.chars().peekable();
    let mut index = 0usize;
    let mut only_digits = true;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let escape = match c {
            '\\' | '*' | '_' | '[' | ']' | '`' | '<' | '>' | '{' | '}' | '~' | '|' | '$' => true,
            '#' => prev.is_none_or(char::is_whitespace),
            '&' => next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#'),
            '-' | '+' | '=' | ':' => index == 0,
            '.' | ')' => {
                only_digits && (1..=9).contains(&index) && next.is_none_or(char::is_whitespace)
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
        only_digits &= c.is_ascii_digit();
        prev = Some(c);
        index = index.saturating_add(1);
    }
    out
}

/// Make one line of `[markdown]` text safe while keeping its inline
/// markdown: no raw HTML, no heading attributes, no accidental gaps, no
/// block structure.
pub(super) fn escape_markdown_source(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let in_code = code_span_mask(&chars);
    let mut out = String::with_capacity(s.len().saturating_add(8));
    // Block markers at the start of the line.
    let first = chars.first().copied();
    let second = chars.get(1).copied();
    let thematic = chars.len() >= 3
        && first.is_some_and(|f| matches!(f, '-' | '*' | '_'))
        && chars.iter().all(|&c| Some(c) == first || c == ' ');
    let list = matches!(first, Some('-' | '+' | '*')) && second.is_none_or(char::is_whitespace);
    let digits = chars.iter().take_while(|c| c.is_ascii_digit()).count();
    let ordered = (1..=9).contains(&digits)
        && matches!(chars.get(digits), Some('.' | ')'))
        && chars
            .get(digits.saturating_add(1))
            .is_none_or(|c| c.is_whitespace());
    for (i, &c) in chars.iter().enumerate() {
        if in_code.get(i).copied().unwrap_or(false) {
            out.push(c);
            continue;
        }
        let prev = i.checked_sub(1).and_then(|p| chars.get(p)).copied();
        let next = chars.get(i.saturating_add(1)).copied();
        let escape = match c {
            '<' | '{' | '}' | '|' => true,
            '[' => prev == Some('[') || next == Some('['),
            ']' => prev == Some(']') || next == Some(']'),
            '#' => prev.is_none_or(char::is_whitespace),
            '>' | '=' | ':' | '+' => i == 0,
            '-' | '*' | '_' => i == 0 && (thematic || list),
            '.' | ')' => ordered && i == digits,
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Which characters belong to a markdown code span (backtick runs of equal
/// length). Linear: each length keeps a cursor that only moves forward.
pub(super) fn code_span_mask(chars: &[char]) -> Vec<bool> {
    let mut mask = vec![false; chars.len()];
    // (start, length) of each backtick run not preceded by a backslash.
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars.get(i) == Some(&'`') {
            let start = i;
            while chars.get(i) == Some(&'`') {
                i = i.saturating_add(1);
            }
            let escaped = start
                .checked_sub(1)
                .is_some_and(|p| chars.get(p) == Some(&'\\'));
            if !escaped {
                runs.push((start, i.saturating_sub(start)));
            }
        } else {
            i = i.saturating_add(1);
        }
    }
    let mut by_len: HashMap<usize, (Vec<usize>, usize)> = HashMap::new();
    for (index, &(_, len)) in runs.iter().enumerate() {
        by_len.entry(len).or_default().0.push(index);
    }
    let mut r = 0;
    while r < runs.len() {
        let Some(&(start, len)) = runs.get(r) else {
            break;
        };
        let mut closing = None;
        if let Some((list, cursor)) = by_len.get_mut(&len) {
            while list.get(*cursor).is_some_and(|&k| k <= r) {
                *cursor = cursor.saturating_add(1);
            }
            if let Some(&k) = list.get(*cursor) {
                closing = Some(k);
                *cursor = cursor.saturating_add(1);
            }
        }
        match closing.and_then(|k| runs.get(k).map(|run| (k, *run))) {
            Some((k, (close_start, close_len))) => {
                let end = close_start.saturating_add(close_len);
                for m in mask.iter_mut().take(end).skip(start) {
                    *m = true;
                }
                r = k.saturating_add(1);
            }
            None => r = r.saturating_add(1),
        }
    }
    mask
}

/// Remove HTML tags. `<br>` and block tags become line breaks; autolinks
/// `<https://...>` keep their address. Returns whether any tag was removed.
pub(super) fn strip_html(s: &str) -> (String, bool) {
    if !s.contains('<') {
        return (s.to_string(), false);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut had_tags = false;
    let mut next_gt: Option<usize> = None;
    let mut no_more_gt = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let starts_tag = c == '<'
            && !no_more_gt
            && chars
                .get(i.saturating_add(1))
                .is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?'));
        if starts_tag {
            let gt = match next_gt {
                Some(g) if g > i => Some(g),
                _ => {
                    let found = chars
                        .get(i.saturating_add(1)..)
                        .and_then(|rest| rest.iter().position(|&x| x == '>'))
                        .map(|p| p.saturating_add(i).saturating_add(1));
                    next_gt = found;
                    found
                }
            };
            match gt {
                Some(g) => {
                    let body: String = chars
                        .get(i.saturating_add(1)..g)
                        .unwrap_or(&[])
                        .iter()
                        .collect();
                    let lower = body.trim().to_ascii_lowercase();
                    if ["http://", "https://", "mailto:"]
                        .iter()
                        .any(|p| lower.starts_with(p))
                    {
                        out.push_str(body.trim());
                    } else {
                        had_tags = true;
                        let name: String = lower
                            .trim_start_matches('/')
                            .chars()
                            .take_while(char::is_ascii_alphanumeric)
                            .collect();
                        match name.as_str() {
                            "br" | "p" | "div" | "li" | "ul" | "ol" | "h1" | "h2" | "h3" | "h4"
                            | "h5" | "h6" | "tr" | "table" | "blockquote" | "pre" | "hr" | "dl"
                            | "dt" | "dd" => out.push('\n'),
                            "td" | "th" => out.push(' '),
                            _ => {}
                        }
                    }
                    i = g.saturating_add(1);
                    continue;
                }
                None => no_more_gt = true,
            }
        }
        out.push(c);
        i = i.saturating_add(1);
    }
    (out, had_tags)
}

/// Decode the common HTML entities; anything else is kept as written.
pub(super) fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(p) = rest.find('&') {
        out.push_str(rest.get(..p).unwrap_or(""));
        let after = rest.get(p.saturating_add(1)..).unwrap_or("");
        let semi = after
            .char_indices()
            .take(12)
            .find(|&(_, c)| c == ';')
            .map(|(i, _)| i);
        let decoded = semi.and_then(|sc| {
            let name = after.get(..sc)?;
            entity(name).map(|ch| (ch, sc))
        });
        match decoded {
            Some((ch, sc)) => {
                out.push(ch);
                rest = after.get(sc.saturating_add(1)..).unwrap_or("");
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

pub(super) fn entity(name: &str) -> Option<char> {
    let named = match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '\u{2013}',
        "mdash" => '\u{2014}',
        "hellip" => '\u{2026}',
        "lsquo" => '\u{2018}',
        "rsquo" => '\u{2019}',
        "ldquo" => '\u{201c}',
        "rdquo" => '\u{201d}',
        "deg" => '\u{b0}',
        "pound" => '\u{a3}',
        "euro" => '\u{20ac}',
        "times" => '\u{d7}',
        "copy" => '\u{a9}',
        _ => {
            let code = name.strip_prefix('#')?;
            let value = match code.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => code.parse::<u32>().ok()?,
            };
            return char::from_u32(value);
        }
    };
    Some(named)
}

/// Short quotation of an answer for a message.
pub(super) fn quote(plain: &str) -> String {
    let mut q: String = plain.chars().take(60).collect();
    if plain.chars().nth(60).is_some() {
        q.push('\u{2026}');
    }
    format!("\"{q}\"")
}

pub(super) fn blockquote(paras: &[String], indent: &str) -> String {
    let mut s = String::new();
    for (i, p) in paras.iter().enumerate() {
        if i > 0 {
            s.push_str(indent);
            s.push_str(">\n");
        }
        s.push_str(indent);
        s.push_str("> ");
        s.push_str(p);
        s.push('\n');
    }
    s
}

/// Join text before and after the answer braces around `middle`.
pub(super) fn splice(
    before: Rendered,
    space_before: bool,
    middle: (&str, &str),
    space_after: bool,
    after: Rendered,
) -> Rendered {
    let (middle_md, middle_plain) = middle;
    let mut paras = before.paras;
    let mut line = paras.pop().unwrap_or_default();
    let mut plain = before.plain;
    // A bracket next to the gap's own brackets would make `[[[`.
    let touching_before = line.ends_with('[') && middle_md.starts_with('[');
    if !line.is_empty() && (space_before || touching_before) {
        line.push(' ');
        plain.push(' ');
    }
    line.push_str(middle_md);
    plain.push_str(middle_plain);
    let mut rest = after.paras.into_iter();
    if let Some(first) = rest.next() {
        let touching_after =
            middle_md.ends_with(']') && first.trim_start_matches('\\').starts_with(']');
        if space_after || touching_after {
            line.push(' ');
            plain.push(' ');
        } else if middle_md.ends_with(']') && first.starts_with('(') {
            // `]](` would make the gap the text of a link.
            line.push('\\');
        }
        line.push_str(&first);
        plain.push_str(&after.plain);
    }
    paras.push(line);
    paras.extend(rest);
    Rendered { paras, plain }
}

pub(super) fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
        if slug.len() >= 60 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        "questions".to_string()
    } else {
        slug.to_string()
    }
}

/// The name shown for a category path: its last real segment (`//` is a
/// literal slash; `$course$`-style context markers and `top` are skipped).
pub(super) fn category_name(path: &str) -> Option<String> {
    let mut segments = Vec::new();
    let mut current = String::new();
    let mut chars = path.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '/' {
            if chars.peek() == Some(&'/') {
                chars.next();
                current.push('/');
            } else {
                segments.push(std::mem::take(&mut current));
            }
        } else {
            current.push(c);
        }
    }
    segments.push(current);
    segments
        .into_iter()
        .map(|s| s.trim().to_string())
        .rfind(|s| {
            let context = s.len() >= 2 && s.starts_with('$') && s.ends_with('$');
            !s.is_empty() && !context && s != "top"
        })
}
