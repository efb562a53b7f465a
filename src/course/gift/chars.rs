//! GIFT text as characters that remember where they came from (line and
//! column, for warnings) and whether they were escaped.

/// One character of a question after GIFT escapes were decoded.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ch {
    pub(super) c: char,
    /// Written with a backslash: never GIFT syntax. An escaped `\n` is a
    /// hard line break; an unescaped `\n` joins two source lines.
    pub(super) esc: bool,
    pub(super) line: usize,
    pub(super) col: usize,
}

impl Ch {
    /// Is this the GIFT syntax character `c` (not escaped)?
    pub(super) fn is(self, c: char) -> bool {
        !self.esc && self.c == c
    }
}

/// Lines ending in `\n`, `\r\n` or `\r`.
pub(super) struct Lines<'a> {
    pub(super) rest: &'a str,
    pub(super) done: bool,
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.done {
            return None;
        }
        match self.rest.find(['\n', '\r']) {
            Some(end) => {
                let line = self.rest.get(..end).unwrap_or("");
                let skip = if self.rest.get(end..).is_some_and(|r| r.starts_with("\r\n")) {
                    2
                } else {
                    1
                };
                self.rest = self.rest.get(end.saturating_add(skip)..).unwrap_or("");
                Some(line)
            }
            None => {
                self.done = true;
                Some(self.rest)
            }
        }
    }
}

/// Append the characters of one source line, decoding GIFT escapes.
pub(super) fn decode_line(line: &str, line_no: usize, out: &mut Vec<Ch>) {
    let mut chars = line.chars().peekable();
    let mut col = 0usize;
    while let Some(c) = chars.next() {
        col = col.saturating_add(1);
        if c == '\\' {
            let escaped = match chars.peek() {
                Some(&n @ ('~' | '=' | '#' | '{' | '}' | ':' | '\\')) => Some(n),
                Some('n') => Some('\n'),
                _ => None,
            };
            if let Some(e) = escaped {
                chars.next();
                out.push(Ch {
                    c: e,
                    esc: true,
                    line: line_no,
                    col,
                });
                col = col.saturating_add(1);
                continue;
            }
        }
        out.push(Ch {
            c,
            esc: false,
            line: line_no,
            col,
        });
    }
}

/// `chars[start..end]`, empty when out of range.
pub(super) fn sub(chars: &[Ch], start: usize, end: usize) -> &[Ch] {
    chars.get(start..end).unwrap_or(&[])
}

pub(super) fn trim(chars: &[Ch]) -> &[Ch] {
    let Some(start) = chars.iter().position(|c| !c.c.is_whitespace()) else {
        return &[];
    };
    let end = chars
        .iter()
        .rposition(|c| !c.c.is_whitespace())
        .map_or(start, |e| e.saturating_add(1));
    sub(chars, start, end)
}

pub(super) fn find(chars: &[Ch], c: char) -> Option<usize> {
    chars.iter().position(|x| x.is(c))
}

pub(super) fn find_pair(chars: &[Ch], a: char, b: char) -> Option<usize> {
    chars.windows(2).position(|w| match w {
        [x, y] => x.is(a) && y.is(b),
        _ => false,
    })
}

/// Split at the first unescaped `c`: (before, after).
pub(super) fn split_once(chars: &[Ch], c: char) -> (&[Ch], Option<&[Ch]>) {
    match find(chars, c) {
        Some(p) => (
            sub(chars, 0, p),
            Some(sub(chars, p.saturating_add(1), chars.len())),
        ),
        None => (chars, None),
    }
}

/// One answer of an answer block: the marker (`~` or `=`) and what follows.
pub(super) struct Seg<'a> {
    pub(super) marker: Option<Ch>,
    pub(super) body: &'a [Ch],
}

pub(super) fn split_markers<'a>(chars: &'a [Ch], markers: &[char]) -> Vec<Seg<'a>> {
    let mut segs = Vec::new();
    let mut start = 0;
    let mut marker = None;
    for (i, c) in chars.iter().enumerate() {
        if !c.esc && markers.contains(&c.c) {
            segs.push(Seg {
                marker,
                body: sub(chars, start, i),
            });
            marker = Some(*c);
            start = i.saturating_add(1);
        }
    }
    segs.push(Seg {
        marker,
        body: sub(chars, start, chars.len()),
    });
    segs
}
