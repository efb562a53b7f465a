//! The importer: GIFT items in file order, gathered into quizzes by
//! category, written out as one module.

use super::chars::*;
use super::questions::*;
use super::text::*;
use super::*;

/// The warnings of one question, kept only if the question is imported.
pub(super) struct QCtx {
    pub(super) line: usize,
    pub(super) col: usize,
    pub(super) flags: Flags,
    pub(super) warnings: Vec<GiftWarning>,
}

impl QCtx {
    pub(super) fn make(&self, at: Option<Ch>, message: String, hint: &str) -> GiftWarning {
        let (line, column) = at.map_or((self.line, self.col), |c| (c.line, c.col));
        GiftWarning {
            line,
            column,
            message,
            hint: hint.to_string(),
        }
    }

    pub(super) fn warn(&mut self, at: Option<Ch>, message: String, hint: &str) {
        let w = self.make(at, message, hint);
        self.warnings.push(w);
    }
}

/// A question ready to be written, except for its number.
pub(super) struct Built {
    pub(super) text: Rendered,
    pub(super) title: Option<String>,
    pub(super) fixed_heading: Option<String>,
    pub(super) answers: String,
    pub(super) explanation: Rendered,
}

impl Built {
    pub(super) fn assemble(self, number: usize) -> String {
        let one_line = match self.text.paras.as_slice() {
            [only] if self.text.plain.chars().count() <= MAX_HEADING_CHARS => Some(only.clone()),
            _ => None,
        };
        let (heading, body) = match (self.fixed_heading, one_line) {
            (Some(h), _) => (h, self.text.paras),
            (None, Some(line)) => (line, Vec::new()),
            (None, None) => (
                self.title.unwrap_or_else(|| format!("Question {number}")),
                self.text.paras,
            ),
        };
        let mut md = format!("### {heading}\n");
        for p in &body {
            md.push('\n');
            md.push_str(p);
            md.push('\n');
        }
        if !self.answers.is_empty() {
            md.push('\n');
            md.push_str(&self.answers);
        }
        if !self.explanation.is_empty() {
            md.push('\n');
            md.push_str(&blockquote(&self.explanation.paras, ""));
        }
        md
    }
}

pub(super) enum Parsed {
    Nothing,
    Description(String),
    Question(Built),
}

pub(super) struct ChoiceOption {
    pub(super) text: Rendered,
    pub(super) feedback: Rendered,
    pub(super) weight: f64,
    pub(super) at: Option<Ch>,
}

pub(super) struct Quiz {
    pub(super) name: String,
    pub(super) slug: String,
    pub(super) about: Vec<String>,
    pub(super) questions: Vec<String>,
}

pub(super) struct Importer {
    pub(super) title: String,
    pub(super) warnings: Vec<GiftWarning>,
    pub(super) quizzes: Vec<Quiz>,
    pub(super) quiz_index: HashMap<String, usize>,
    pub(super) category: String,
    pub(super) used_slugs: HashSet<String>,
    pub(super) slug_counters: HashMap<String, usize>,
    pub(super) imported: usize,
}

impl Importer {
    pub(super) fn new(title: &str) -> Self {
        let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
        Importer {
            title: if title.is_empty() {
                "Imported questions".to_string()
            } else {
                title
            },
            warnings: Vec::new(),
            quizzes: Vec::new(),
            quiz_index: HashMap::new(),
            category: String::new(),
            used_slugs: HashSet::new(),
            slug_counters: HashMap::new(),
            imported: 0,
        }
    }

    pub(super) fn unique_slug(&mut self, base: String) -> String {
        if self.used_slugs.insert(base.clone()) {
            return base;
        }
        let counter = self.slug_counters.entry(base.clone()).or_insert(1);
        loop {
            *counter = counter.saturating_add(1);
            let candidate = format!("{base}-{counter}");
            if self.used_slugs.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// Index of the quiz of the current category, created on first use.
    pub(super) fn current_quiz(&mut self) -> usize {
        if let Some(&i) = self.quiz_index.get(&self.category) {
            return i;
        }
        let name = category_name(&self.category).unwrap_or_else(|| self.title.clone());
        let slug = self.unique_slug(slugify(&name));
        self.quizzes.push(Quiz {
            name,
            slug,
            about: Vec::new(),
            questions: Vec::new(),
        });
        let i = self.quizzes.len().saturating_sub(1);
        self.quiz_index.insert(self.category.clone(), i);
        i
    }

    /// One blank-line-separated item of the file.
    pub(super) fn block(&mut self, chars: &[Ch]) {
        let chars = trim(chars);
        let is_category = chars.len() >= 10
            && "$CATEGORY:"
                .chars()
                .zip(chars.iter())
                .all(|(want, got)| !got.esc && got.c.to_ascii_uppercase() == want);
        if !is_category {
            self.question(chars);
            return;
        }
        let end = find(chars, '\n').unwrap_or(chars.len());
        let path: String = sub(chars, 10, end)
            .iter()
            .map(|c| if c.c.is_control() { ' ' } else { c.c })
            .collect();
        let path = path.trim();
        if path.is_empty() {
            let (line, column) = chars.first().map_or((1, 1), |c| (c.line, c.col));
            self.warnings.push(GiftWarning {
                line,
                column,
                message: "This $CATEGORY line has no category name, so the questions after it go in the first quiz.".to_string(),
                hint: "Write a name after the colon, for example `$CATEGORY: Food safety`.".to_string(),
            });
        }
        self.category = path.to_string();
        self.question(sub(chars, end, chars.len()));
    }

    pub(super) fn question(&mut self, chars: &[Ch]) {
        let chars = trim(chars);
        let Some(&first) = chars.first() else {
            return;
        };
        let mut q = QCtx {
            line: first.line,
            col: first.col,
            flags: Flags::default(),
            warnings: Vec::new(),
        };
        match parse_item(chars, &mut q) {
            Err(w) => self.warnings.push(w),
            Ok(Parsed::Nothing) => {}
            Ok(Parsed::Description(md)) => {
                self.keep(q);
                let i = self.current_quiz();
                if let Some(quiz) = self.quizzes.get_mut(i) {
                    quiz.about.push(md);
                }
            }
            Ok(Parsed::Question(built)) => {
                self.keep(q);
                let i = self.current_quiz();
                if let Some(quiz) = self.quizzes.get_mut(i) {
                    let number = quiz.questions.len().saturating_add(1);
                    quiz.questions.push(built.assemble(number));
                    self.imported = self.imported.saturating_add(1);
                }
            }
        }
    }

    pub(super) fn keep(&mut self, q: QCtx) {
        if q.flags.simplified {
            self.warnings.push(GiftWarning {
                line: q.line,
                column: q.col,
                message: "This item contains HTML; its formatting was simplified to plain text.".to_string(),
                hint: "Check the imported text, and add markdown emphasis or lists by hand if they matter.".to_string(),
            });
        }
        if q.flags.brackets {
            self.warnings.push(GiftWarning {
                line: q.line,
                column: q.col,
                message: "The text contains `[[` or `]]`, which Presto reads as a gap, so a space was put between the brackets.".to_string(),
                hint: "Reword the text if the brackets matter; gaps come only from the answers in `{ }`.".to_string(),
            });
        }
        self.warnings.extend(q.warnings);
    }

    pub(super) fn finish(mut self) -> GiftImport {
        let mut md = format!("# {}\n", escape_plain(&self.title));
        for quiz in &self.quizzes {
            if !quiz.about.is_empty() {
                md.push_str(&format!(
                    "\n## About these questions {{#{}-about}}\n",
                    quiz.slug
                ));
                for text in &quiz.about {
                    md.push('\n');
                    md.push_str(text);
                }
            }
            if !quiz.questions.is_empty() {
                md.push_str(&format!(
                    "\n## Quiz: {} {{#{}-quiz}}\n",
                    escape_plain(&quiz.name),
                    quiz.slug
                ));
                for question in &quiz.questions {
                    md.push('\n');
                    md.push_str(question);
                }
            }
        }
        if self.imported == 0 {
            self.warnings.push(GiftWarning {
                line: 1,
                column: 1,
                message: "No questions could be imported from this file.".to_string(),
                hint: "Check that it is a GIFT file: questions separated by blank lines, answers inside { }.".to_string(),
            });
        }
        self.warnings.sort_by_key(|w| (w.line, w.column));
        GiftImport {
            markdown: md,
            warnings: self.warnings,
            imported: self.imported,
        }
    }
}
