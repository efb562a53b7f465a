//! One GIFT item at a time: what kind of question it is, and its answers
//! in the course format (choice, matching, true/false, gap).

use super::chars::*;
use super::importer::*;
use super::text::*;
use super::*;

/// Parse one item (question or description) of the file.
pub(super) fn parse_item(chars: &[Ch], q: &mut QCtx) -> Result<Parsed, GiftWarning> {
    // ::title::
    let (title_chars, body) = if find_pair(chars, ':', ':') == Some(0) {
        let rest = sub(chars, 2, chars.len());
        match find_pair(rest, ':', ':') {
            Some(p) => (
                Some(sub(rest, 0, p)),
                sub(rest, p.saturating_add(2), rest.len()),
            ),
            None => {
                return Err(q.make(
                    None,
                    "The question title starting with `::` is never closed with `::`, so this question was left out.".to_string(),
                    "Close the title with `::`, or write `\\:` for a colon that is part of the text.",
                ));
            }
        }
    } else {
        (None, chars)
    };
    let title = title_chars
        .map(|t| render(trim(t), Format::Plain, &mut q.flags))
        .filter(|r| !r.is_empty())
        .map(|r| r.flat());

    let (format, body) = take_format(body, Format::Moodle);
    let open = find(body, '{');
    let close = find(body, '}');
    let (open, close) = match (open, close) {
        (None, None) => return description(body, format, title, q),
        (Some(o), Some(c)) if o < c => (o, c),
        (Some(o), None) => {
            return Err(q.make(
                body.get(o).copied(),
                "This `{` opens the answers, but there is no `}` to close them before the next blank line, so this question was left out.".to_string(),
                "Add `}` after the last answer (a question must not contain blank lines), or write `\\{` for a literal brace.",
            ));
        }
        (_, Some(c)) => {
            return Err(q.make(
                body.get(c).copied(),
                "This `}` has no `{` before it, so this question was left out.".to_string(),
                "Write `\\}` for a literal brace, or add the missing `{` before the answers.",
            ));
        }
    };
    let inner = sub(body, open.saturating_add(1), close);
    if let Some(n) = find(inner, '{') {
        return Err(q.make(
            inner.get(n).copied(),
            "There is a second `{` inside the answers, so this question was left out.".to_string(),
            "Write `\\{` and `\\}` for braces that are part of an answer.",
        ));
    }
    let after = sub(body, close.saturating_add(1), body.len());
    if let Some(n) = after.iter().position(|c| c.is('{') || c.is('}')) {
        return Err(q.make(
            after.get(n).copied(),
            "This question has more than one set of answers in `{ }`, so it was left out.".to_string(),
            "GIFT allows one answer set per question: split it into separate questions, or write `\\{` and `\\}` for literal braces.",
        ));
    }
    let before = sub(body, 0, open);
    let missing_word = !trim(after).is_empty();

    // ####general feedback
    let gf_at = inner.windows(4).rposition(|w| w.iter().all(|c| c.is('#')));
    let (answers, general) = match gf_at {
        Some(i) => (
            sub(inner, 0, i),
            Some(sub(inner, i.saturating_add(4), inner.len())),
        ),
        None => (inner, None),
    };
    let answers = trim(answers);

    if answers.is_empty() {
        return Err(q.make(
            None,
            "Essay questions (`{}` with no answers) need a person to mark them, which Presto quizzes cannot do, so this question was left out.".to_string(),
            "Rewrite it as a choice or fill-in-the-gap question, or move the text into a lesson.",
        ));
    }
    let numerical = answers.first().is_some_and(|c| c.is('#'));

    let explanation = general
        .map(|g| {
            let (f, g) = take_format(g, format);
            render(g, f, &mut q.flags)
        })
        .unwrap_or_default();
    let before_text = render(trim(before), format, &mut q.flags);
    let after_text = render(trim(after), format, &mut q.flags);
    let space_before = before.last().is_some_and(|c| c.c.is_whitespace());
    let space_after = after.first().is_some_and(|c| c.c.is_whitespace());

    let is_choice = !numerical && answers.iter().any(|c| c.is('~'));
    let is_matching =
        !is_choice && answers.iter().any(|c| c.is('=')) && find_pair(answers, '-', '>').is_some();
    let tf_value = if is_choice || is_matching {
        None
    } else {
        let check = match find(answers, '#') {
            Some(p) if p > 0 => trim(sub(answers, 0, p)),
            _ => answers,
        };
        let word: String = check.iter().map(|c| c.c).collect();
        match word.as_str() {
            "T" | "TRUE" if check.iter().all(|c| !c.esc) => Some(true),
            "F" | "FALSE" if check.iter().all(|c| !c.esc) => Some(false),
            _ => None,
        }
    };

    let with_blank = |before_text: Rendered, after_text: Rendered| {
        if missing_word {
            splice(
                before_text,
                space_before,
                (BLANK_MD, BLANK_PLAIN),
                space_after,
                after_text,
            )
        } else {
            before_text
        }
    };

    let built = if numerical {
        let line = build_number(sub(answers, 1, answers.len()), q)?;
        // `... places)? {#3.141..3.142}.`: a full stop after the answers
        // is not a sentence around a missing number.
        let text = if after_text.plain.chars().any(char::is_alphanumeric) {
            with_blank(before_text, after_text)
        } else {
            before_text
        };
        Built {
            text,
            title,
            fixed_heading: None,
            answers: line,
            explanation,
        }
    } else if is_choice {
        let list = build_choice(answers, format, q)?;
        Built {
            text: with_blank(before_text, after_text),
            title,
            fixed_heading: None,
            answers: list,
            explanation,
        }
    } else if is_matching {
        let list = build_matching(answers, format, q)?;
        Built {
            text: with_blank(before_text, after_text),
            title,
            fixed_heading: None,
            answers: list,
            explanation,
        }
    } else if let Some(value) = tf_value {
        let list = build_true_false(answers, value, format, q);
        Built {
            text: with_blank(before_text, after_text),
            title,
            fixed_heading: None,
            answers: list,
            explanation,
        }
    } else {
        let gap = build_gap(answers, format, q)?;
        let text = if missing_word {
            splice(
                before_text,
                space_before,
                (&gap, &gap),
                space_after,
                after_text,
            )
        } else {
            splice(before_text, true, (&gap, &gap), false, Rendered::default())
        };
        Built {
            text,
            fixed_heading: Some(title.clone().unwrap_or_else(|| FILL_IN_HEADING.to_string())),
            title,
            answers: String::new(),
            explanation,
        }
    };
    Ok(Parsed::Question(built))
}

pub(super) fn description(
    body: &[Ch],
    format: Format,
    title: Option<String>,
    q: &mut QCtx,
) -> Result<Parsed, GiftWarning> {
    let text = render(body, format, &mut q.flags);
    if text.is_empty() {
        if title.is_some() {
            return Err(q.make(
                None,
                "This item has a title but no text and no answers, so it was left out.".to_string(),
                "Write the question text after the title, followed by its answers in `{ }`.",
            ));
        }
        return Ok(Parsed::Nothing);
    }
    let mut md = String::new();
    if let Some(t) = title {
        md.push_str("### ");
        md.push_str(&t);
        md.push_str("\n\n");
    }
    md.push_str(&text.paras.join("\n\n"));
    md.push('\n');
    Ok(Parsed::Description(md))
}

pub(super) fn build_choice(
    answers: &[Ch],
    format: Format,
    q: &mut QCtx,
) -> Result<String, GiftWarning> {
    let single = answers.iter().any(|c| c.is('='));
    let mut options: Vec<ChoiceOption> = Vec::new();
    for seg in split_markers(answers, &['~', '=']) {
        let body = trim(seg.body);
        if seg.marker.is_none() && body.is_empty() {
            continue;
        }
        let at = seg.marker.or_else(|| body.first().copied());
        let is_right = seg.marker.is_some_and(|m| m.c == '=');
        let (weight, body) = parse_weight(body);
        let weight = weight.unwrap_or(if is_right { 100.0 } else { 0.0 });
        let (text, feedback) = split_once(body, '#');
        let (f, text) = take_format(text, format);
        let text = render(text, f, &mut q.flags);
        if text.is_empty() {
            q.warn(
                at,
                "An empty answer option was left out.".to_string(),
                "Write text after `~` or `=`, or remove the marker.",
            );
            continue;
        }
        let feedback = feedback
            .map(|fb| {
                let (f, fb) = take_format(fb, format);
                render(fb, f, &mut q.flags)
            })
            .unwrap_or_default();
        // The course format needs each option once (it is the option's id).
        if let Some(same) = options
            .iter()
            .find(|o| same_text(&o.text.plain, &text.plain))
        {
            if (same.weight - weight).abs() > f64::EPSILON {
                return Err(q.make(
                    at,
                    format!(
                        "The option {} is written twice with different marks, so this question was left out.",
                        quote(&text.plain)
                    ),
                    "Keep one copy of the option, marked right or wrong.",
                ));
            }
            q.warn(
                at,
                format!(
                    "The option {} is written twice; the second copy was left out.",
                    quote(&text.plain)
                ),
                "Remove the repeated option from the question bank.",
            );
            continue;
        }
        options.push(ChoiceOption {
            text,
            feedback,
            weight,
            at,
        });
    }
    if options.len() < 2 {
        return Err(q.make(
            None,
            format!(
                "A multiple-choice question needs at least two options, but this one has {}, so it was left out.",
                options.len()
            ),
            "Add wrong options with `~`, or write the question as a short answer `{=answer}`.",
        ));
    }
    let correct: Vec<bool> = if single {
        let full = options.iter().filter(|o| is_full(o.weight)).count();
        if full == 0 {
            return Err(no_correct_option(q));
        }
        if full > 1 {
            return Err(q.make(
                None,
                format!(
                    "{full} options are fully correct, but in Presto a single-choice question has exactly one correct option, so this question was left out."
                ),
                "Keep one `=` answer, or give each correct option a weight such as `~%50%` to make a \"tick all that apply\" question.",
            ));
        }
        for o in &options {
            if o.weight > 0.0 && !is_full(o.weight) {
                let message = format!(
                    "The option {} gives {} partial credit, which Presto does not support, so it now counts as wrong.",
                    quote(&o.text.plain),
                    show_weight(o.weight)
                );
                q.warn(
                    o.at,
                    message,
                    "Check that this is what you want, or make the question \"tick all that apply\" with `~%50%`-style weights.",
                );
            }
        }
        options.iter().map(|o| is_full(o.weight)).collect()
    } else {
        let positive: Vec<f64> = options
            .iter()
            .map(|o| o.weight)
            .filter(|&w| w > 0.0)
            .collect();
        if positive.is_empty() {
            return Err(no_correct_option(q));
        }
        let total: f64 = positive.iter().sum();
        let first = positive.first().copied().unwrap_or(0.0);
        let even = positive.iter().all(|w| (w - first).abs() < 0.01) && (total - 100.0).abs() < 0.5;
        if !even {
            let weights: Vec<String> = positive.iter().map(|&w| show_weight(w)).collect();
            q.warn(
                None,
                format!(
                    "The correct options carry weights of {} (not an even split of 100%). Presto marks this all-or-nothing: learners must choose exactly the correct options.",
                    weights.join(", ")
                ),
                "Check that all-or-nothing marking is fair for this question, or split it into simpler questions.",
            );
        }
        options.iter().map(|o| o.weight > 0.0).collect()
    };
    let mut list = String::new();
    for (o, &right) in options.iter().zip(correct.iter()) {
        list.push_str(if right { "- [x] " } else { "- [ ] " });
        list.push_str(&o.text.flat());
        list.push('\n');
        list.push_str(&blockquote(&o.feedback.paras, "  "));
    }
    Ok(list)
}

/// Equal as the course compiler sees them: case and spacing ignored.
pub(super) fn same_text(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        s.split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    words(a) == words(b)
}

pub(super) fn no_correct_option(q: &QCtx) -> GiftWarning {
    q.make(
        None,
        "None of the options is marked correct, so this question was left out.".to_string(),
        "Mark the right answer with `=`, or give the right answers a positive weight such as `~%50%`.",
    )
}

pub(super) fn build_matching(
    answers: &[Ch],
    format: Format,
    q: &mut QCtx,
) -> Result<String, GiftWarning> {
    let mut pairs: Vec<(Rendered, Rendered)> = Vec::new();
    for seg in split_markers(answers, &['=']) {
        let body = trim(seg.body);
        let at = seg.marker.or_else(|| body.first().copied());
        if body.is_empty() {
            if seg.marker.is_some() {
                q.warn(
                    at,
                    "An empty matching item was left out.".to_string(),
                    "Write each item as `=left -> right`.",
                );
            }
            continue;
        }
        let Some(arrow) = find_pair(body, '-', '>') else {
            let plain: String = body.iter().map(|c| c.c).collect();
            return Err(q.make(
                at,
                format!(
                    "The matching item {} has no `->`, so this question was left out.",
                    quote(&plain)
                ),
                "Write each item as `=left -> right`.",
            ));
        };
        let (f, left) = take_format(sub(body, 0, arrow), format);
        let left = render(left, f, &mut q.flags);
        let right = render(
            trim(sub(body, arrow.saturating_add(2), body.len())),
            Format::Plain,
            &mut q.flags,
        );
        if left.is_empty() {
            if !right.is_empty() {
                q.warn(
                    at,
                    format!(
                        "The extra answer {} has nothing to match, and Presto matching has no extra answers, so it was left out.",
                        quote(&right.plain)
                    ),
                    "Add a left side for it, or ignore this warning.",
                );
            }
            continue;
        }
        if right.is_empty() {
            q.warn(
                at,
                format!(
                    "The matching item {} has nothing after `->`, so it was left out.",
                    quote(&left.plain)
                ),
                "Write each item as `=left -> right`.",
            );
            continue;
        }
        if left.plain.contains('=') || right.plain.contains('=') {
            return Err(q.make(
                at,
                "A matching text contains `=`, which Presto uses to separate the two sides, so this question was left out.".to_string(),
                "Reword the text without `=` (for example write \"equals\").",
            ));
        }
        if pairs.iter().any(|(l, _)| same_text(&l.plain, &left.plain)) {
            return Err(q.make(
                at,
                format!(
                    "{} is on the left of two matching pairs, so this question was left out.",
                    quote(&left.plain)
                ),
                "Each item on the left must be different.",
            ));
        }
        pairs.push((left, right));
    }
    if pairs.len() < 2 {
        return Err(q.make(
            None,
            format!(
                "A matching question needs at least two pairs, but this one has {}, so it was left out.",
                pairs.len()
            ),
            "Add more `=left -> right` pairs, or rewrite it as a choice question.",
        ));
    }
    let mut list = String::new();
    for (left, right) in &pairs {
        list.push_str("- ");
        list.push_str(&left.flat());
        list.push_str(" = ");
        list.push_str(&right.flat());
        list.push('\n');
    }
    Ok(list)
}

pub(super) fn build_true_false(
    answers: &[Ch],
    value: bool,
    format: Format,
    q: &mut QCtx,
) -> String {
    let (_, rest) = split_once(answers, '#');
    let (wrong, right) = match rest {
        Some(r) => {
            let (w, r) = split_once(r, '#');
            (Some(w), r)
        }
        None => (None, None),
    };
    let mut feedback = |part: Option<&[Ch]>| {
        part.map(|p| {
            let (f, p) = take_format(p, format);
            render(p, f, &mut q.flags)
        })
        .unwrap_or_default()
    };
    let wrong = feedback(wrong);
    let right = feedback(right);
    let (true_fb, false_fb) = if value {
        (right, wrong)
    } else {
        (wrong, right)
    };
    let mut list = String::new();
    list.push_str(if value {
        "- [x] True\n"
    } else {
        "- [ ] True\n"
    });
    list.push_str(&blockquote(&true_fb.paras, "  "));
    list.push_str(if value {
        "- [ ] False\n"
    } else {
        "- [x] False\n"
    });
    list.push_str(&blockquote(&false_fb.paras, "  "));
    list
}

/// The `[[a|b]]` gap of a short-answer question.
pub(super) fn build_gap(
    answers: &[Ch],
    format: Format,
    q: &mut QCtx,
) -> Result<String, GiftWarning> {
    let segs = split_markers(answers, &['=']);
    let only_unmarked = segs.len() == 1;
    let mut alternatives: Vec<String> = Vec::new();
    let mut feedback_dropped = false;
    for seg in segs {
        let body = trim(seg.body);
        let at = seg.marker.or_else(|| body.first().copied());
        if body.is_empty() {
            if seg.marker.is_some() {
                q.warn(
                    at,
                    "An empty answer was left out.".to_string(),
                    "Write the answer after `=`, or remove the `=`.",
                );
            }
            continue;
        }
        let (weight, body) = parse_weight(body);
        let weight = weight.unwrap_or(100.0);
        let (text, feedback) = split_once(body, '#');
        let (f, text) = take_format(text, format);
        let mut scratch = Flags::default();
        let plain = render(text, f, &mut scratch).plain;
        q.flags.simplified |= scratch.simplified;
        if plain.is_empty() {
            q.warn(
                at,
                "An empty answer was left out.".to_string(),
                "Write the answer after `=`, or remove the `=`.",
            );
            continue;
        }
        if !is_full(weight) {
            q.warn(
                at,
                format!(
                    "The answer {} earns {} credit; Presto gaps accept only fully correct answers, so it was left out.",
                    quote(&plain),
                    show_weight(weight)
                ),
                "Make it a full-credit answer (remove the `%..%` weight) if it should be accepted.",
            );
            continue;
        }
        if let Some(bad) = plain.chars().find(|c| GAP_FORBIDDEN.contains(c)) {
            q.warn(
                at,
                format!(
                    "The answer {} contains `{bad}`, which cannot be written inside a Presto gap, so it was left out.",
                    quote(&plain)
                ),
                "Reword the answer without | [ ] * _ ` < > ~ or \\.",
            );
            continue;
        }
        if feedback.is_some_and(|fb| !trim(fb).is_empty()) {
            feedback_dropped = true;
        }
        if only_unmarked
            && matches!(
                plain.to_ascii_lowercase().as_str(),
                "t" | "true" | "f" | "false"
            )
        {
            q.warn(
                at,
                format!(
                    "{} is read as the answer to type in a gap, not as true/false, because Moodle only recognises T, TRUE, F and FALSE in capitals.",
                    quote(&plain)
                ),
                "Write {TRUE} or {FALSE} for a true/false question.",
            );
        }
        alternatives.push(plain);
    }
    if alternatives.is_empty() {
        return Err(q.make(
            None,
            "This fill-in-the-gap question has no fully correct answer that Presto can use, so it was left out.".to_string(),
            "Give at least one answer as `=answer`, without a `%..%` weight.",
        ));
    }
    if feedback_dropped {
        q.warn(
            None,
            "Feedback on individual answers of a fill-in-the-gap question was left out: Presto gaps have no per-answer feedback.".to_string(),
            "Use general feedback (`####...`) for an explanation shown after answering.",
        );
    }
    Ok(format!("[[{}]]", alternatives.join("|")))
}

/// The `= 5 ± 3` answer line of a numerical question (what follows `{#`):
/// `5:3` (5 give or take 3), `1..5` (a range) or `5`. Of several answers
/// (`=1822:0 =%50%1822:2`) the first with full credit is kept; the import
/// report names each one left out.
pub(super) fn build_number(answers: &[Ch], q: &mut QCtx) -> Result<String, GiftWarning> {
    let answers = trim(answers);
    let segs = if answers.iter().any(|c| c.is('=')) {
        split_markers(answers, &['='])
    } else {
        vec![Seg {
            marker: None,
            body: answers,
        }]
    };
    let mut kept: Option<String> = None;
    let mut feedback_dropped = false;
    for seg in segs {
        let body = trim(seg.body);
        let at = seg.marker.or_else(|| body.first().copied());
        if body.is_empty() {
            continue;
        }
        let (weight, body) = parse_weight(body);
        let weight = weight.unwrap_or(100.0);
        let (value, feedback) = split_once(body, '#');
        let written: String = trim(value).iter().map(|c| c.c).collect();
        let Some(line) = number_line(&written) else {
            return Err(q.make(
                at,
                format!(
                    "The numerical answer {} is not a number, a number:tolerance or a low..high range that Presto can read, so this question was left out.",
                    quote(&written)
                ),
                "Write the answer as {#5}, {#5:3} (5 give or take 3) or {#1..5}, with a tolerance of 0 or more and the smaller number first.",
            ));
        };
        if !is_full(weight) {
            q.warn(
                at,
                format!(
                    "The answer {} earns {} credit; a Presto number question takes one fully correct answer, so it was left out.",
                    quote(&written),
                    show_weight(weight)
                ),
                "If it should count as right, widen the full-credit answer's tolerance or range to cover it.",
            );
            continue;
        }
        if kept.is_some() {
            q.warn(
                at,
                format!(
                    "The answer {} is a second fully correct answer; a Presto number question takes one, so it was left out.",
                    quote(&written)
                ),
                "Write one range that covers both, like {#1..5}.",
            );
            continue;
        }
        if feedback.is_some_and(|fb| !trim(fb).is_empty()) {
            feedback_dropped = true;
        }
        kept = Some(line);
    }
    let Some(line) = kept else {
        return Err(q.make(
            None,
            "This numerical question has no fully correct answer, so it was left out.".to_string(),
            "Give one answer without a `%..%` weight, like {#5:1}.",
        ));
    };
    if feedback_dropped {
        q.warn(
            None,
            "Feedback on the answer of a numerical question was left out: Presto number questions have no per-answer feedback.".to_string(),
            "Use general feedback (`####...`) for an explanation shown after answering.",
        );
    }
    Ok(line)
}

/// `5:3`, `1..5` or `5` as the course format's answer line, checked by the
/// same reader the compiler uses, so an imported question always compiles.
fn number_line(written: &str) -> Option<String> {
    let whole = |text: &str| {
        let text = text.trim();
        crate::course::number::scan_number(text)
            .filter(|(_, len)| *len == text.len())
            .map(|_| text.to_string())
    };
    let spec = if let Some((low, high)) = written.split_once("..") {
        format!("{}..{}", whole(low)?, whole(high)?)
    } else if let Some((value, tolerance)) = written.split_once(':') {
        let (value, tolerance) = (whole(value)?, whole(tolerance)?);
        if crate::course::number::scan_number(&tolerance).is_some_and(|(t, _)| t == 0.0) {
            value
        } else {
            format!("{value} ± {tolerance}")
        }
    } else {
        whole(written)?
    };
    crate::course::number::parse_spec(&spec).ok()?;
    Some(format!("= {spec}\n"))
}
