//! Tests for the GIFT importer: Moodle's documented examples, hand-written
//! nasty cases, and a generated no-panic sweep.

use presto::course::gift::{GiftImport, GiftWarning, import_gift};

fn import(src: &str) -> GiftImport {
    import_gift(src, "Test")
}

/// Everything about a run, for snapshots: markdown, count, warnings.
fn report(r: &GiftImport) -> String {
    let mut s = r.markdown.clone();
    s.push_str(&format!("\n----- imported: {}\n", r.imported));
    for w in &r.warnings {
        s.push_str(&format!(
            "{}:{}: {}\n    hint: {}\n",
            w.line, w.column, w.message, w.hint
        ));
    }
    s
}

/// (line, column) of every warning.
fn positions(r: &GiftImport) -> Vec<(usize, usize)> {
    r.warnings.iter().map(|w| (w.line, w.column)).collect()
}

fn has_warning(r: &GiftImport, line: usize, column: usize, needle: &str) -> bool {
    r.warnings
        .iter()
        .any(|w| w.line == line && w.column == column && w.message.contains(needle))
}

fn quiz(body: &str) -> String {
    format!("# Test\n\n## Quiz: Test {{#test-quiz}}\n{body}")
}

// ---------------------------------------------------------------------------
// Moodle's own examples
// ---------------------------------------------------------------------------

/// Every example of the "GIFT format" page of Moodle's documentation.
#[test]
fn moodle_documentation_page_examples() {
    let src = include_str!("fixtures/gift/moodle_docs.gift");
    let r = import_gift(src, "Grant");
    assert_eq!(r.imported, 39);
    // Left out: essays (Q8, "Essay", general-feedback example). Numerical
    // questions (Q5, Q6, Q7, four in "Numerical", one in "Line comments")
    // come in; of Q7's two answers, the half-credit one is named.
    let left_out: Vec<usize> = r
        .warnings
        .iter()
        .filter(|w| w.message.contains("so this question was left out"))
        .map(|w| w.line)
        .collect();
    assert_eq!(left_out, [33, 110, 142], "{left_out:?}");
    assert!(
        r.markdown
            .contains("### What is a number from 1 to 5?\n\n= 3 ± 2\n")
    );
    assert!(
        r.markdown
            .contains("### What is a number from 1 to 5?\n\n= 1..5\n")
    );
    assert!(
        r.markdown
            .contains("### What is the value of pi (to 3 decimal places)?\n\n= 3.141..3.142\n")
    );
    assert!(has_warning(&r, 29, 10, "\"1822:2\" earns 50% credit"));
    assert!(has_warning(&r, 33, 1, "Essay questions"));
    assert!(has_warning(&r, 110, 1, "Essay questions"));
    assert!(has_warning(&r, 142, 1, "Essay questions"));
    assert!(has_warning(&r, 153, 1, "formatting was simplified"));
    assert!(has_warning(&r, 158, 5, "\"Chat\" has nothing to match"));
    assert!(has_warning(
        &r,
        168,
        35,
        "\"half credit answer\" gives 50% partial credit"
    ));
    assert!(has_warning(&r, 179, 4, "\"Nazereth\" earns 75% credit"));
    // The description is kept in a lesson before the quiz.
    assert!(r.markdown.contains(
        "## About these questions {#grant-about}\n\nYou can use your pencil and paper for these next math questions.\n"
    ));
    // $CATEGORY: tom/dick/harry starts a second quiz.
    assert!(r.markdown.contains(
        "## Quiz: harry {#harry-quiz}\n\n### Continents\n\n[[Asia]] is the largest continent in the world.\n"
    ));
    insta::assert_snapshot!("moodle_docs", report(&r));
}

/// Moodle's `question/format/gift/examples.txt`, verbatim.
#[test]
fn moodle_examples_file() {
    let src = include_str!("fixtures/gift/moodle_examples.gift");
    let r = import_gift(src, "Grant");
    assert_eq!(r.imported, 43);
    let dropped = r
        .warnings
        .iter()
        .filter(|w| w.message.contains("a Presto number question takes one"))
        .count();
    assert_eq!(
        dropped, 2,
        "the half-credit answers of the two Grant questions"
    );
    insta::assert_snapshot!("moodle_examples", report(&r));
}

// ---------------------------------------------------------------------------
// Each kind of question
// ---------------------------------------------------------------------------

#[test]
fn multiple_choice_with_feedback_and_general_feedback() {
    let r = import(
        "::Q2:: What's between orange and green in the spectrum?\n\
         { =yellow # right; good! ~red # wrong, it's yellow ~blue\n####Yellow is between them.}",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### What's between orange and green in the spectrum?

- [x] yellow
  > right; good!
- [ ] red
  > wrong, it's yellow
- [ ] blue

> Yellow is between them.
"
        )
    );
    assert_eq!(r.imported, 1);
    assert!(r.warnings.is_empty());
}

#[test]
fn true_false_feedback_goes_under_the_right_option() {
    let r = import(
        "Grant is buried in Grant's tomb.{FALSE#No one is.#Right, nobody.}\n\nThe sun rises in the east.{TRUE#Look again.#Yes.}\n\nShort {T}\n\nShorter {F}",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### Grant is buried in Grant's tomb.

- [ ] True
  > No one is.
- [x] False
  > Right, nobody.

### The sun rises in the east.

- [x] True
  > Yes.
- [ ] False
  > Look again.

### Short

- [x] True
- [ ] False

### Shorter

- [ ] True
- [x] False
"
        )
    );
}

#[test]
fn short_answer_and_missing_word_become_gaps() {
    let r = import(
        "Who's buried in Grant's tomb?{=no one =nobody}\n\n\
         ::Sum::Two plus {=two =2} equals four.\n\n\
         {=Two =2} plus two equals four.\n\n\
         Grant's{=x}s",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### Fill in the gap.

Who's buried in Grant's tomb? [[no one|nobody]]

### Sum

Two plus [[two|2]] equals four.

### Fill in the gap.

[[Two|2]] plus two equals four.

### Fill in the gap.

Grant's[[x]]s
"
        )
    );
    assert!(r.warnings.is_empty());
}

#[test]
fn missing_word_choice_shows_a_blank() {
    let r = import("Grant is {~buried =entombed ~living} in Grant's tomb.");
    assert_eq!(
        r.markdown,
        quiz(
            "
### Grant is \\_\\_\\_\\_\\_ in Grant's tomb.

- [ ] buried
- [x] entombed
- [ ] living
"
        )
    );
}

#[test]
fn matching_pairs_and_explanation() {
    let r = import(
        "Match the countries. {\n   =Canada -> Ottawa\n   =Italy  -> Rome\n   ####Capitals matter.\n}",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### Match the countries.

- Canada = Ottawa
- Italy = Rome

> Capitals matter.
"
        )
    );
}

#[test]
fn multiple_answers_even_split_imports_cleanly() {
    let r = import(
        "Pick two {~%50%a ~%50%b ~%-100%c}\n\nPick three {~%33.33333%a ~%33.33333%b ~%33.33333%c ~%-100%d}",
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(
        r.markdown,
        quiz(
            "
### Pick two

- [x] a
- [x] b
- [ ] c

### Pick three

- [x] a
- [x] b
- [x] c
- [ ] d
"
        )
    );
}

#[test]
fn multiple_answers_uneven_weights_warn_all_or_nothing() {
    let r = import("Uneven {~%70%a ~%30%b ~%-100%c}\n\nOnly half {~%50%a ~b ~c}");
    assert_eq!(r.imported, 2);
    assert_eq!(positions(&r), vec![(1, 1), (3, 1)]);
    assert!(r.warnings[0].message.contains("70%, 30%"));
    assert!(r.warnings[0].message.contains("all-or-nothing"));
    assert!(r.warnings[1].message.contains("50%"));
    // A single positive option makes a single-choice question.
    assert!(
        r.markdown
            .contains("### Only half\n\n- [x] a\n- [ ] b\n- [ ] c\n")
    );
}

#[test]
fn single_choice_partial_credit_becomes_wrong() {
    let r =
        import("Difficult question.{~wrong answer ~%50%half credit answer =full credit answer}");
    assert_eq!(r.imported, 1);
    assert_eq!(positions(&r), vec![(1, 35)]);
    assert!(
        r.markdown
            .contains("- [ ] half credit answer\n- [x] full credit answer\n")
    );
}

#[test]
fn short_answer_partial_answers_are_dropped() {
    let r = import("Jesus Christ was from {\n=Nazareth\n=%75%Nazereth\n=%25%Bethlehem\n}.");
    assert_eq!(r.imported, 1);
    assert_eq!(positions(&r), vec![(3, 1), (4, 1)]);
    assert!(r.markdown.contains("Jesus Christ was from [[Nazareth]].\n"));
    let none_full = import("Where? {=%50%Paris =%50%Lyon}");
    assert_eq!(none_full.imported, 0);
    assert!(has_warning(&none_full, 1, 1, "no fully correct answer"));
}

#[test]
fn not_expressible_questions_are_left_out_with_their_position() {
    let src = "Intro line\n\n  When was Grant born? {#1822:-5}\n\nHow are you? {}\n\nMatch {=a -> b}\n\nNone right {~a ~b}\n\nOne option {=a ~}\n\nTwo right {=a =b ~c}";
    let r = import(src);
    assert_eq!(r.imported, 0);
    assert!(has_warning(&r, 3, 26, "\"1822:-5\" is not a number"));
    assert!(has_warning(&r, 5, 1, "Essay questions"));
    assert!(has_warning(
        &r,
        7,
        1,
        "at least two pairs, but this one has 1"
    ));
    assert!(has_warning(
        &r,
        9,
        1,
        "None of the options is marked correct"
    ));
    assert!(has_warning(
        &r,
        11,
        1,
        "at least two options, but this one has 1"
    ));
    assert!(has_warning(&r, 13, 1, "2 options are fully correct"));
    assert!(has_warning(&r, 1, 1, "No questions could be imported"));
    // The description still makes it in.
    assert_eq!(
        r.markdown,
        "# Test\n\n## About these questions {#test-about}\n\nIntro line\n"
    );
    for w in &r.warnings {
        assert!(!w.hint.is_empty());
    }
}

#[test]
fn descriptions_go_in_a_lesson_before_their_quiz() {
    let r = import(
        "::Intro::Use a pencil for these.\n\nQ {T}\n\nMore notes\\non two lines.\n\n$CATEGORY: Unit 2\n\nUnit two notes.\n\nR {F}",
    );
    assert_eq!(
        r.markdown,
        "# Test

## About these questions {#test-about}

### Intro

Use a pencil for these.

More notes

on two lines.

## Quiz: Test {#test-quiz}

### Q

- [x] True
- [ ] False

## About these questions {#unit-2-about}

Unit two notes.

## Quiz: Unit 2 {#unit-2-quiz}

### R

- [ ] True
- [x] False
"
    );
}

#[test]
fn categories_make_quizzes_with_unique_ids() {
    let r = import(
        "Before {T}\n\n$CATEGORY: $course$/top/Default for Hygiene/Hand washing\n\nA {T}\n\n\
         $CATEGORY: other/Hand washing\nB {T}\n\n$CATEGORY: $course$/top/Default for Hygiene/Hand washing\n\nC {T}\n\n\
         $CATEGORY: Tom//Jerry\n\nD {T}\n\n$CATEGORY:\n\nE {T}",
    );
    let headings: Vec<&str> = r
        .markdown
        .lines()
        .filter(|l| l.starts_with("## "))
        .collect();
    assert_eq!(
        headings,
        vec![
            "## Quiz: Test {#test-quiz}",
            "## Quiz: Hand washing {#hand-washing-quiz}",
            "## Quiz: Hand washing {#hand-washing-2-quiz}",
            "## Quiz: Tom/Jerry {#tom-jerry-quiz}",
        ]
    );
    // C joins the first "Hand washing" quiz; E (empty category) the first quiz.
    assert!(
        r.markdown
            .contains("### A\n\n- [x] True\n- [ ] False\n\n### C\n")
    );
    assert!(
        r.markdown
            .contains("### Before\n\n- [x] True\n- [ ] False\n\n### E\n")
    );
    assert_eq!(r.imported, 6);
    assert!(has_warning(&r, 18, 1, "no category name"));
}

#[test]
fn long_or_multi_paragraph_text_moves_below_the_heading() {
    let long = "word ".repeat(30);
    let r = import(&format!(
        "::Long one::{long}{{T}}\n\n{long}{{F}}\n\nFirst line\\nsecond line {{T}}\n\n{{=a ~b}}"
    ));
    let text = long.trim_end();
    assert_eq!(
        r.markdown,
        quiz(&format!(
            "
### Long one

{text}

- [x] True
- [ ] False

### Question 2

{text}

- [ ] True
- [x] False

### Question 3

First line

second line

- [x] True
- [ ] False

### Question 4

- [x] a
- [ ] b
"
        ))
    );
}

#[test]
fn html_is_reduced_to_text_with_one_warning_per_question() {
    let r = import(
        "[html]<p>The sun rises in which direction?</p> {\n    =<p>The east.</p>#<b>Awesome!</b>\n    ~<p>The west.</p>#What planet did <em>you</em> grow up on?\n}\n\n\
         [html]Line one<br/>line &amp; two &lt;b&gt; &#1575; <a href=\"https://x.org\">link</a>{T}\n\n\
         Moodle format <b>bold</b> and 3 < 4 {T}\n\n\
         [plain]<b>not html</b> *stars* {F}",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### The sun rises in which direction?

- [x] The east.
  > Awesome!
- [ ] The west.
  > What planet did you grow up on?

### Question 2

Line one

line & two \\<b\\> ا link

- [x] True
- [ ] False

### Moodle format bold and 3 \\< 4

- [x] True
- [ ] False

### \\<b\\>not html\\</b\\> \\*stars\\*

- [ ] True
- [x] False
"
        )
    );
    assert_eq!(positions(&r), vec![(1, 1), (6, 1), (8, 1)]);
    assert!(r.warnings.iter().all(|w| w.message.contains("simplified")));
    assert!(!r.markdown.contains("<b>") && !r.markdown.contains("<p>"));
}

#[test]
fn markdown_format_keeps_inline_markdown_but_stays_safe() {
    let r = import(
        "[markdown]Who's buried in **Grant's tomb**? Use `x|y` or [a link](https://x.org) {=*east* ~west}\n\n\
         [markdown]# Not a heading \\{x\\} [[no gap]] <i>tag</i> {T}\n\n\
         [markdown]- not a list {T}\n\n\
         [markdown]1. not a list either {T}\n\n\
         [markdown]Code `\\{x\\}` stays \\\\ as is {T}",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### Who's buried in **Grant's tomb**? Use `x|y` or [a link](https://x.org)

- [x] *east*
- [ ] west

### \\# Not a heading \\{x\\} [ [no gap] ] tag

- [x] True
- [ ] False

### \\- not a list

- [x] True
- [ ] False

### 1\\. not a list either

- [x] True
- [ ] False

### Code `{x}` stays \\ as is

- [x] True
- [ ] False
"
        )
    );
    // `<i>` is stripped (line 3) and `[[no gap]]` split apart (line 3).
    assert_eq!(positions(&r), vec![(3, 1), (3, 1)]);
}

// ---------------------------------------------------------------------------
// Nasty cases
// ---------------------------------------------------------------------------

#[test]
fn escapes_in_every_position() {
    let r = import(
        "::Title \\: with \\{ braces \\} and \\#::Is 1 \\= 1 \\~ \\# \\{ok\\}? {\n\
         =yes \\= sure \\~ \\# \\{\\} \\: #fb with \\= \\~ \\# \\{ \\} \\:\n\
         ~no\\: really #a\\\\b\n\
         ####General \\= \\# \\{ \\}\n}",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### Is 1 = 1 \\~ \\# \\{ok\\}?

- [x] yes = sure \\~ \\# \\{\\} :
  > fb with = \\~ \\# \\{ \\} :
- [ ] no: really
  > a\\\\b

> General = \\# \\{ \\}
"
        )
    );
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn titles_with_escapes_and_colons() {
    let r = import(
        "::Q\\:1 \\{x\\}::first\\nsecond {T}\n\n::Q: 2::Text {T}\n\n:: ::Empty title {T}\n\n::Unclosed title {T}",
    );
    assert!(r.markdown.contains("### Q:1 \\{x\\}\n\nfirst\n\nsecond\n"));
    assert!(r.markdown.contains("### Text\n"));
    assert!(r.markdown.contains("### Empty title\n"));
    assert_eq!(r.imported, 3);
    assert_eq!(positions(&r), vec![(7, 1)]);
    assert!(r.warnings[0].message.contains("never closed"));
}

#[test]
fn comments_between_questions_and_inside_answers() {
    let r = import(
        "// header\n//another\nQ1 {\n// comment inside\n=a\n  // indented comment\n~b // not a comment: mid-line\n}\n// between\n\n// only comments here\n// and here\n\nQ2 {T}",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### Q1

- [x] a
- [ ] b // not a comment: mid-line

### Q2

- [x] True
- [ ] False
"
        )
    );
    assert!(r.warnings.is_empty());
}

#[test]
fn crlf_cr_and_bom() {
    let lf = import("::T::Q? {=a ~b}\n\nR {T}\n");
    let crlf = import("\u{feff}::T::Q? {=a ~b}\r\n\r\nR {T}\r\n");
    let cr = import("::T::Q? {=a ~b}\r\rR {T}\r");
    assert_eq!(lf.markdown, crlf.markdown);
    assert_eq!(lf.markdown, cr.markdown);
    assert_eq!(crlf.imported, 2);
    // Positions count from after the BOM and across CRLF.
    let bad = import("\u{feff}ok {T}\r\n\r\nbad {=a\r\n");
    assert_eq!(positions(&bad), vec![(3, 5)]);
}

#[test]
fn brace_on_next_line_and_multi_line_questions() {
    let r = import(
        "The American holiday of Thanksgiving is celebrated on the\n{\n    ~second\n    ~third\n    =fourth\n} Thursday of November.\n\n\
         Japanese characters originally\ncame from what country?\n{\n~India\n=China\n}",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### The American holiday of Thanksgiving is celebrated on the \\_\\_\\_\\_\\_ Thursday of November.

- [ ] second
- [ ] third
- [x] fourth

### Japanese characters originally came from what country?

- [ ] India
- [x] China
"
        )
    );
}

#[test]
fn empty_file_and_file_of_only_comments() {
    for src in [
        "",
        "\n\n  \n",
        "\u{feff}",
        "// one\n// two\n\n   // three\n",
    ] {
        let r = import(src);
        assert_eq!(r.markdown, "# Test\n");
        assert_eq!(r.imported, 0);
        assert_eq!(positions(&r), vec![(1, 1)]);
        assert!(r.warnings[0].message.contains("No questions"));
    }
}

#[test]
fn syntax_errors_skip_only_the_broken_question() {
    let r = import(
        "Unclosed { =a ~b\n\nGood one {T}\n\nStray } here {T}\n\nNested {=a {b} ~c}\n\nTwo {=a ~b} blocks {=c ~d}\n\nBroken match {=a -> b =c}\n\nEmpty set {=}\n\nAfter all {F}",
    );
    assert_eq!(r.imported, 2);
    assert!(has_warning(&r, 1, 10, "no `}` to close them"));
    assert!(has_warning(&r, 5, 7, "has no `{` before it"));
    assert!(has_warning(&r, 7, 12, "second `{` inside the answers"));
    assert!(has_warning(&r, 9, 20, "more than one set of answers"));
    assert!(has_warning(&r, 11, 23, "\"c\" has no `->`"));
    assert!(has_warning(&r, 13, 1, "no fully correct answer"));
    // A skipped question reports only why it was skipped.
    assert_eq!(r.warnings.iter().filter(|w| w.line == 13).count(), 1);
    assert!(r.markdown.contains("### Good one\n"));
    assert!(r.markdown.contains("### After all\n"));
}

#[test]
fn arrow_inside_escaped_or_choice_text() {
    let r = import(
        "Arrows in options {~a -> b =c \\= d -> e}\n\nMatch {=x \\# y -> right -> more =p -> q}\n\nEscaped equals {=a -> b \\= c =d -> e}",
    );
    assert!(r.markdown.contains("- [ ] a -\\> b\n- [x] c = d -\\> e\n"));
    assert!(
        r.markdown
            .contains("- x \\# y = right -\\> more\n- p = q\n")
    );
    assert_eq!(r.imported, 2);
    assert!(has_warning(&r, 5, 17, "contains `=`"));
}

#[test]
fn arabic_and_ukrainian_text() {
    let r = import(
        "::سؤال::ما هي عاصمة مصر؟ {=القاهرة #صحيح ~الإسكندرية ~أسوان}\n\n\
         Столиця України — {=Київ =Kyiv} (місто).\n\n\
         Що це? {=так =%50%ні}\n\n\
         ::Назва без кінця {T}",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### ما هي عاصمة مصر؟

- [x] القاهرة
  > صحيح
- [ ] الإسكندرية
- [ ] أسوان

### Fill in the gap.

Столиця України — [[Київ|Kyiv]] (місто).

### Fill in the gap.

Що це? [[так]]
"
        )
    );
    // Columns count characters, not bytes.
    assert_eq!(positions(&r), vec![(5, 14), (7, 1)]);
}

#[test]
fn markdown_special_characters_in_plain_text_are_escaped() {
    let r = import(
        "# not a heading * _ ` [x] a < b > | ~ {T}\n\n\
         Options {=*star* ~_under_ ~`tick` ~[link](x) ~<i>i</i> ~\\# hash ~- dash ~+ plus ~1. one ~> quote ~a & b &amp; ~[[gap]]}\n\n\
         Gap {=a_b =ok =[x] =<y> =a|b =x\\\\y}",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### \\# not a heading \\* \\_ \\` \\[x\\] a \\< b \\> \\| \\~

- [x] True
- [ ] False

### Options

- [x] \\*star\\*
- [ ] \\_under\\_
- [ ] \\`tick\\`
- [ ] \\[link\\](x)
- [ ] i
- [ ] \\# hash
- [ ] \\- dash
- [ ] \\+ plus
- [ ] 1\\. one
- [ ] \\> quote
- [ ] a & b &
- [ ] \\[ \\[gap\\] \\]

### Fill in the gap.

Gap [[ok]]
"
        )
    );
    // One warning for the HTML option; `<y>` is an HTML tag in Moodle
    // format, so that answer is empty; four gap answers cannot stand in a gap.
    assert!(has_warning(&r, 3, 1, "simplified"));
    assert!(has_warning(&r, 5, 20, "empty answer"));
    assert!(has_warning(&r, 3, 1, "`[[` or `]]`"));
    let gap_warnings: Vec<usize> = r
        .warnings
        .iter()
        .filter(|w| w.message.contains("cannot be written inside a Presto gap"))
        .map(|w| w.column)
        .collect();
    assert_eq!(gap_warnings, vec![6, 15, 25, 30]);
}

#[test]
fn literal_double_brackets_cannot_become_gaps() {
    let r = import(
        "Is [[this]] a gap? {=no ~yes}\n\n\
         Array a[ {=i} ] here\n\n\
         [markdown]Also `[[code]]` {T}\n\n\
         Costs $5 or $10 {T}",
    );
    assert_eq!(
        r.markdown,
        quiz(
            "
### Is \\[ \\[this\\] \\] a gap?

- [x] no
- [ ] yes

### Fill in the gap.

Array a\\[ [[i]] \\] here

### Also `[ [code] ]`

- [x] True
- [ ] False

### Costs \\$5 or \\$10

- [x] True
- [ ] False
"
        )
    );
    assert_eq!(positions(&r), vec![(1, 1), (5, 1)]);
    assert!(
        r.warnings
            .iter()
            .all(|w| w.message.contains("`[[` or `]]`"))
    );
    // In markdown, markup between brackets vanishes when rendered.
    let md = import("[markdown]a [~[b]~] c {T}");
    assert!(
        md.markdown.contains("### a [~ [b]~ ] c\n"),
        "{}",
        md.markdown
    );
    let touching = import("Array a[{=i}] here");
    assert!(touching.markdown.contains("Array a\\[ [[i]] \\] here\n"));
}

#[test]
fn weights_that_are_not_weights() {
    let r = import("Odd {~%abc%a =b}\n\nHundred {~%100%a ~b}\n\nBig {~%150%a ~%-200%b}");
    assert!(r.markdown.contains("- [ ] %abc%a\n- [x] b\n"));
    assert!(r.markdown.contains("### Hundred\n\n- [x] a\n- [ ] b\n"));
    assert!(r.markdown.contains("### Big\n\n- [x] a\n- [ ] b\n"));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
}

#[test]
fn lower_case_true_is_a_short_answer_with_a_note() {
    let r = import("Sky is blue {true}\n\n1 + 2 \\= {3}");
    assert!(r.markdown.contains("Sky is blue [[true]]\n"));
    assert!(r.markdown.contains("1 + 2 = [[3]]\n"));
    assert_eq!(positions(&r), vec![(1, 14)]);
}

#[test]
fn title_only_and_format_only_items() {
    let r = import("::Just a title::\n\n[html]\n\nQ {T}");
    assert_eq!(r.imported, 1);
    assert_eq!(positions(&r), vec![(1, 1)]);
    assert!(r.warnings[0].message.contains("title but no text"));
}

#[test]
fn title_is_escaped_and_defaults() {
    let r = import_gift("Q {T}", "  *Week*   1 ");
    assert!(
        r.markdown
            .starts_with("# \\*Week\\* 1\n\n## Quiz: \\*Week\\* 1 {#week-1-quiz}\n")
    );
    let r = import_gift("Q {T}", "");
    assert!(r.markdown.starts_with(
        "# Imported questions\n\n## Quiz: Imported questions {#imported-questions-quiz}\n"
    ));
    let r = import_gift("Q {T}", "Тест");
    assert!(
        r.markdown
            .starts_with("# Тест\n\n## Quiz: Тест {#questions-quiz}\n")
    );
}

#[test]
fn warnings_are_sorted_by_position() {
    let r = import("B {#1}\n\nA {}\n\nC {~a ~b}");
    let mut sorted = positions(&r);
    sorted.sort();
    assert_eq!(positions(&r), sorted);
}

// ---------------------------------------------------------------------------
// Generated inputs: never panic, output stays well formed
// ---------------------------------------------------------------------------

/// xorshift64*: small, deterministic, good enough to drive a fuzzer.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items.get(self.below(items.len())).copied().unwrap_or("")
    }
}

const TOKENS: &[&str] = &[
    "{",
    "}",
    "~",
    "=",
    "#",
    "####",
    "->",
    "::",
    ":",
    "%",
    "%50%",
    "%-100%",
    "%abc",
    "\\",
    "\\n",
    "\\{",
    "\\}",
    "\\=",
    "\\~",
    "\\#",
    "\\:",
    "\\\\",
    "\n",
    "\n\n",
    "\r\n",
    "\r",
    "//",
    "// c\n",
    "$CATEGORY:",
    "$CATEGORY: a/b\n",
    "[html]",
    "[markdown]",
    "[plain]",
    "[moodle]",
    "[x]",
    "<b>",
    "</p>",
    "<br>",
    "<",
    ">",
    "&amp;",
    "&#x41;",
    "&#99999999;",
    "&",
    "`",
    "``",
    "*",
    "_",
    "|",
    "[[",
    "]]",
    "T",
    "TRUE",
    "F",
    "FALSE",
    "true",
    " ",
    "\t",
    "word",
    "Grant",
    "12",
    "1.",
    "-",
    "+",
    "ما",
    "Київ",
    "\u{feff}",
    "\u{0}",
    "\u{200b}",
    "é",
    "🦀",
    "{#1:2}",
    "{}",
    "{T}",
    "{=a ~b}",
    "{=a -> b =c -> d}",
    "{~%50%a ~%50%b}",
];

fn generate(rng: &mut Rng) -> String {
    let len = rng.below(60);
    let mut s = String::new();
    for _ in 0..len {
        s.push_str(rng.pick(TOKENS));
    }
    s
}

/// Delete, duplicate or insert pieces of a valid file.
fn mutate(rng: &mut Rng, base: &str) -> String {
    let mut chars: Vec<char> = base.chars().collect();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(chars.len() + 1);
        match rng.below(4) {
            0 if !chars.is_empty() => {
                let end = (at + rng.below(20)).min(chars.len());
                chars.drain(at.min(end)..end);
            }
            1 => {
                let token: Vec<char> = rng.pick(TOKENS).chars().collect();
                chars.splice(at..at, token);
            }
            2 if !chars.is_empty() => {
                let start = rng.below(chars.len());
                let end = (start + rng.below(40)).min(chars.len());
                let piece: Vec<char> = chars[start..end].to_vec();
                chars.splice(at..at, piece);
            }
            _ => {
                let c = char::from_u32(rng.next() as u32 % 0x3000).unwrap_or('?');
                chars.insert(at, c);
            }
        }
    }
    chars.into_iter().collect()
}

/// Properties every import must have, whatever the input.
fn check_well_formed(src: &str) {
    let r = import_gift(src, "Fuzz");
    assert!(r.markdown.starts_with("# Fuzz\n"), "{src:?}");
    assert!(r.markdown.ends_with('\n'));
    let line_count = src.split(['\n', '\r']).count();
    for w in &r.warnings {
        assert!(w.line >= 1 && w.column >= 1, "{w:?} for {src:?}");
        assert!(w.line <= line_count, "{w:?} for {src:?}");
        assert!(!w.message.is_empty() && !w.hint.is_empty());
    }
    let sorted = r.warnings.windows(2).all(|p| match p {
        [a, b] => (a.line, a.column) <= (b.line, b.column),
        _ => true,
    });
    assert!(sorted);
    // Exactly one `# ` line; every quiz has questions; the `###` headings
    // under quizzes are the imported questions.
    let mut in_quiz = false;
    let mut questions = 0;
    let mut quiz_sizes: Vec<usize> = Vec::new();
    let mut titles = 0;
    for line in r.markdown.lines() {
        if line.starts_with("# ") {
            titles += 1;
        } else if line.starts_with("## ") {
            in_quiz = line.starts_with("## Quiz: ");
            if in_quiz {
                quiz_sizes.push(0);
            }
        } else if line.starts_with("### ") && in_quiz {
            questions += 1;
            if let Some(last) = quiz_sizes.last_mut() {
                *last += 1;
            }
        }
    }
    assert_eq!(titles, 1, "{src:?}\n{}", r.markdown);
    assert_eq!(questions, r.imported, "{src:?}\n{}", r.markdown);
    assert!(quiz_sizes.iter().all(|&n| n > 0), "{src:?}");
    if r.imported == 0 {
        assert!(
            r.warnings
                .iter()
                .any(|w| w.message.contains("No questions"))
        );
    }
    // No raw HTML: every `<` that starts a tag is escaped (code spans of
    // `[markdown]` text are literal, so skip inputs that use backticks).
    if !src.contains('`') {
        let chars: Vec<char> = r.markdown.chars().collect();
        for (i, pair) in chars.windows(2).enumerate() {
            if pair[0] == '<' && (pair[1].is_ascii_alphabetic() || pair[1] == '/' || pair[1] == '!')
            {
                assert!(
                    i > 0 && chars[i - 1] == '\\',
                    "raw HTML in {:?}",
                    r.markdown
                );
            }
        }
    }
}

#[test]
fn generated_inputs_never_panic() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..20_000 {
        let src = generate(&mut rng);
        check_well_formed(&src);
    }
}

#[test]
fn mutated_fixtures_never_panic() {
    let bases = [
        include_str!("fixtures/gift/moodle_docs.gift"),
        include_str!("fixtures/gift/moodle_examples.gift"),
    ];
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    for round in 0..1_500 {
        let base = bases[round % bases.len()];
        // Mutate a window of the file so each run stays quick.
        let chars: Vec<char> = base.chars().collect();
        let start = rng.below(chars.len());
        let end = (start + 400).min(chars.len());
        let window: String = chars[start..end].iter().collect();
        check_well_formed(&mutate(&mut rng, &window));
    }
}

#[test]
fn every_byte_boundary_of_a_fixture_is_safe() {
    // Cut the file at every character: unclosed braces, titles, escapes.
    let base = include_str!("fixtures/gift/moodle_docs.gift");
    let chars: Vec<char> = base.chars().collect();
    for cut in (0..chars.len()).step_by(7) {
        let head: String = chars[..cut].iter().collect();
        let r = import_gift(&head, "Cut");
        assert!(r.markdown.starts_with("# Cut\n"));
    }
}

#[test]
fn huge_inputs_stay_fast() {
    use std::time::{Duration, Instant};
    let n = 200_000;
    let cases: Vec<String> = vec![
        "Q {=a ~b}\n\n".repeat(n / 10),
        format!("[html]{}{{T}}", "<".repeat(n)),
        format!("[html]{}{{T}}", "<a".repeat(n / 2)),
        format!("[markdown]{}{{T}}", "` `` ```".repeat(n / 8)),
        format!("Q {{{}}}", "~a ".repeat(n / 3)),
        format!("Q {{{}}}", "=a -> b ".repeat(n / 8)),
        format!("Q {{{}}}", "=%50%a ".repeat(n / 7)),
        "::".repeat(n / 2),
        "{".repeat(n),
        "}".repeat(n),
        "#".repeat(n),
        format!("{}\n", "&amp".repeat(n / 4)),
        "\\".repeat(n),
        format!("{}{{T}}", "word ".repeat(n / 5)),
        "ما هي {=ن}\n".repeat(n / 10),
        "$CATEGORY: a/b\n\n".repeat(n / 16),
        (0..n / 20)
            .map(|i| format!("$CATEGORY: c{i}/x\nQ {{T}}\n\n"))
            .collect(),
    ];
    for src in &cases {
        let started = Instant::now();
        let r = import_gift(src, "Big");
        assert!(r.markdown.starts_with("# Big\n"));
        // Linear work on ~200 KB is milliseconds even unoptimised; a
        // quadratic path would take minutes.
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "slow on input starting {:?}",
            src.chars().take(40).collect::<String>()
        );
    }
}

#[test]
fn warning_type_is_plain_data() {
    let w = GiftWarning {
        line: 1,
        column: 2,
        message: "m".into(),
        hint: "h".into(),
    };
    assert_eq!(w.clone(), w);
}

/// Whatever the importer writes, the course compiler accepts without an
/// error: a tutor never has to repair an imported file by hand.
#[test]
fn imported_banks_compile_without_errors() {
    for (name, source) in [
        (
            "moodle_docs",
            include_str!("fixtures/gift/moodle_docs.gift"),
        ),
        (
            "moodle_examples",
            include_str!("fixtures/gift/moodle_examples.gift"),
        ),
    ] {
        let import = import_gift(source, name);
        let problems = presto::cli::import_gift::compile_check(&import.markdown, None);
        assert!(
            problems.is_empty(),
            "{name}: the compiler found problems in the imported module:\n{}",
            presto::course::report::human_string(&problems, &|_| Some(import.markdown.clone()))
        );
    }
}

/// Found by the fuzzer: a repeated option used to come out twice, which the
/// course compiler rejects.
#[test]
fn repeated_options_are_left_out_with_a_warning() {
    let import = import_gift("{=yes ~no ~no}\n", "Bank");
    assert_eq!(
        import.markdown.matches("- [ ] no").count(),
        1,
        "{}",
        import.markdown
    );
    assert!(
        import
            .warnings
            .iter()
            .any(|w| w.message.contains("written twice"))
    );
    let crash = import_gift("{:=:[        ~~:                =}", "Fuzz");
    let problems = presto::cli::import_gift::compile_check(&crash.markdown, None);
    assert!(
        !problems.iter().any(|d| d.is_error()),
        "{problems:?}\n{}",
        crash.markdown
    );

    let conflicting = import_gift("Pick {=a ~a ~b}\n", "Bank");
    assert_eq!(conflicting.imported, 0, "{}", conflicting.markdown);
    assert!(
        conflicting
            .warnings
            .iter()
            .any(|w| w.message.contains("different marks"))
    );
}

#[test]
fn a_matching_left_side_used_twice_leaves_the_question_out() {
    let import = import_gift("Match {=a -> 1 =A -> 2 =b -> 3}\n", "Bank");
    assert_eq!(import.imported, 0, "{}", import.markdown);
}

/// Found by the fuzzer: a bracket right after a gap, `[[a]](`, made the gap
/// the text of a link.
#[test]
fn a_parenthesis_right_after_a_gap_stays_text() {
    let import = import_gift("The {=fridge}(cold) is here.\n", "Bank");
    let problems = presto::cli::import_gift::compile_check(&import.markdown, None);
    assert!(problems.is_empty(), "{problems:?}\n{}", import.markdown);
    assert!(
        import.markdown.contains("[[fridge]]\\(cold)"),
        "{}",
        import.markdown
    );
    let crash = import_gift("<Ca\0@\0<*{.Y-}\u{6}(\u{4}[>[)\0\0", "Fuzz");
    let problems = presto::cli::import_gift::compile_check(&crash.markdown, None);
    assert!(
        !problems.iter().any(|d| d.is_error()),
        "{problems:?}\n{}",
        crash.markdown
    );
}

/// Moodle's numerical questions become number questions: a tolerance, a
/// range or an exact number, each checked by the course compiler.
#[test]
fn numerical_questions_become_number_questions() {
    let r = import(
        "::Fridge:: How warm may a fridge be, in degrees? {#5:3}\n\n\
         Pi to three places? {#3.141..3.142}\n\n\
         What's 2 plus 2? {#4}\n\n\
         Freezer? {#-18:0####Colder is fine too.}",
    );
    assert_eq!(r.imported, 4, "{}", report(&r));
    assert!(r.warnings.is_empty(), "{}", report(&r));
    assert!(
        r.markdown
            .contains("### How warm may a fridge be, in degrees?\n\n= 5 ± 3\n"),
        "{}",
        r.markdown
    );
    assert!(
        r.markdown
            .contains("### Pi to three places?\n\n= 3.141..3.142\n")
    );
    assert!(r.markdown.contains("### What's 2 plus 2?\n\n= 4\n"));
    assert!(
        r.markdown
            .contains("### Freezer?\n\n= -18\n\n> Colder is fine too.\n"),
        "{}",
        r.markdown
    );
    let problems = presto::cli::import_gift::compile_check(&r.markdown, None);
    assert!(problems.is_empty(), "{problems:?}\n{}", r.markdown);
}

/// Several answers with partial credit: the full-credit one is kept, and
/// the import report names each answer left out.
#[test]
fn numerical_partial_credit_keeps_the_full_answer_and_reports_the_rest() {
    let r = import("When was Grant born? {#\n   =1822:0 # Correct!\n   =%50%1822:2 # Close.\n}");
    assert_eq!(r.imported, 1, "{}", report(&r));
    assert!(r.markdown.contains("\n= 1822\n"), "{}", r.markdown);
    assert!(has_warning(&r, 3, 4, "\"1822:2\" earns 50% credit"));
    assert!(
        r.warnings.iter().any(|w| w
            .message
            .contains("Feedback on the answer of a numerical question")),
        "{}",
        report(&r)
    );
    let one_line = import("Five? {#=5:0 =%50%5:2}");
    assert_eq!(one_line.imported, 1);
    assert!(one_line.markdown.contains("\n= 5\n"));
    assert!(has_warning(&one_line, 1, 14, "\"5:2\" earns 50% credit"));

    let none_full = import("Five? {#=%50%5:2}");
    assert_eq!(none_full.imported, 0);
    assert!(has_warning(&none_full, 1, 1, "no fully correct answer"));
    let backwards = import("Range? {#5..1}");
    assert_eq!(backwards.imported, 0);
    assert!(
        backwards
            .warnings
            .iter()
            .any(|w| w.message.contains("\"5..1\""))
    );
    let two_full = import("Either? {#=1:0 =5:0}");
    assert_eq!(two_full.imported, 1);
    assert!(two_full.markdown.contains("\n= 1\n"));
    assert!(has_warning(&two_full, 1, 16, "second fully correct answer"));
}
