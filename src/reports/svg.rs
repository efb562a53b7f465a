//! Charts as inline SVG, drawn on the server: no script, readable without
//! colour (every bar carries its number as text), with a visible title and
//! a description for screen readers. Each label sits on its own line(s)
//! above its bar, with the chart's whole width to wrap in, so no name is
//! cut and the chart reads at a phone's width as at a laptop's.

use std::fmt::Write;

/// One bar: its label and value.
pub struct Bar {
    pub label: String,
    pub value: f64,
    /// The number as shown next to the bar (e.g. "42" or "37.5%").
    pub shown: String,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const WIDTH: f64 = 360.0;
const PAD: f64 = 4.0;
/// A label line's length: the chart's width at 14 px, with room to spare
/// for wide letters.
const LABEL_CHARS: usize = 40;
/// A label wraps onto at most this many lines; longer ones end in "…"
/// (the whole name is in the label's `<title>` and the description).
const MAX_LINES: usize = 3;
const LINE: f64 = 17.0;
const TITLE_HEIGHT: f64 = 28.0;
const BAR_HEIGHT: f64 = 16.0;
/// Room after the longest bar for its number ("100%").
const VALUE_ROOM: f64 = 44.0;
/// The length of a full bar (the largest count, or 100 %).
const ROOM: f64 = WIDTH - 2.0 * PAD - VALUE_ROOM;

/// What a bar's length is measured against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Scale {
    /// Counts: the biggest bar takes the whole room.
    Largest,
    /// Rates in per cent: the whole room is 100 %, so 25 % is a quarter of
    /// it whatever the other bars are (a track shows the 100 %).
    Percent,
}

/// A label broken into lines at spaces, each at most `LABEL_CHARS`
/// characters (a word longer than that is cut), at most `MAX_LINES`.
fn wrap(label: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in label.split_whitespace() {
        let word: String = if word.chars().count() > LABEL_CHARS {
            word.chars().take(LABEL_CHARS - 1).chain(['…']).collect()
        } else {
            word.to_string()
        };
        if line.is_empty() {
            line = word;
        } else if line.chars().count() + 1 + word.chars().count() <= LABEL_CHARS {
            line.push(' ');
            line.push_str(&word);
        } else {
            lines.push(std::mem::replace(&mut line, word));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    if lines.len() > MAX_LINES {
        lines.truncate(MAX_LINES);
        let last = &mut lines[MAX_LINES - 1];
        if last.chars().count() >= LABEL_CHARS {
            *last = last.chars().take(LABEL_CHARS - 1).collect();
        }
        last.push('…');
    }
    lines
}

/// A horizontal bar chart: its title on top (shown, and the SVG's
/// `<title>`), then per bar its label (wrapped, never cut) and below it the
/// bar with its number after it. `id` makes the title and description ids
/// unique on the page. Right to left, everything starts at the right.
pub fn bar_chart(
    id: &str,
    title: &str,
    description: &str,
    bars: &[Bar],
    scale: Scale,
    rtl: bool,
) -> String {
    let max = match scale {
        Scale::Largest => bars.iter().map(|b| b.value).fold(0.0_f64, f64::max),
        Scale::Percent => 100.0,
    };
    let labels: Vec<Vec<String>> = bars.iter().map(|b| wrap(&b.label)).collect();
    let row_height = |lines: usize| LINE * lines as f64 + BAR_HEIGHT + 12.0;
    let height = TITLE_HEIGHT + labels.iter().map(|l| row_height(l.len())).sum::<f64>() + 4.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" direction="{direction}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{title}</title><desc id="{id}-desc">{}</desc>"#,
        escape(description),
        title = escape(title),
        direction = if rtl { "rtl" } else { "ltr" },
    );
    // Where text starts: the left edge, or the right one right to left.
    // Text is anchored at its start, which the direction puts on the right
    // right to left ("end" there would run every label off the right edge).
    let anchor = "start";
    let edge = if rtl { WIDTH - PAD } else { PAD };
    // The title, shown: the `<title>` above is only a tooltip.
    let _ = write!(
        svg,
        r#"<text x="{edge}" y="18" text-anchor="{anchor}" font-weight="700" class="chart-title" aria-hidden="true">{}</text>"#,
        escape(title)
    );
    let mut y = TITLE_HEIGHT;
    for (bar, lines) in bars.iter().zip(&labels) {
        let value = if bar.value.is_finite() {
            bar.value.clamp(0.0, max.max(0.0))
        } else {
            0.0
        };
        let length = if max > 0.0 { ROOM * value / max } else { 0.0 };
        let _ = write!(
            svg,
            r#"<text x="{edge}" y="{:.1}" text-anchor="{anchor}" class="chart-label"><title>{}</title>"#,
            y + 13.0,
            escape(&bar.label)
        );
        for (i, line) in lines.iter().enumerate() {
            let _ = write!(
                svg,
                r#"<tspan x="{edge}" y="{:.1}">{}</tspan>"#,
                y + 13.0 + LINE * i as f64,
                escape(line)
            );
        }
        svg.push_str("</text>");
        let bar_y = y + LINE * lines.len() as f64 + 2.0;
        let (track_x, bar_x, value_x) = if rtl {
            (
                WIDTH - PAD - ROOM,
                WIDTH - PAD - length,
                WIDTH - PAD - length - 4.0,
            )
        } else {
            (PAD, PAD, PAD + length + 4.0)
        };
        if scale == Scale::Percent {
            let _ = write!(
                svg,
                r#"<rect x="{track_x:.1}" y="{bar_y:.1}" width="{ROOM:.1}" height="{BAR_HEIGHT}" class="chart-track" fill="none" stroke="currentColor" stroke-opacity="0.35"/>"#
            );
        }
        let _ = write!(
            svg,
            r#"<rect x="{bar_x:.1}" y="{bar_y:.1}" width="{length:.1}" height="{BAR_HEIGHT}" class="chart-bar"/><text x="{value_x:.1}" y="{:.1}" text-anchor="{anchor}" class="chart-value">{shown}</text>"#,
            bar_y + 12.5,
            shown = escape(&bar.shown),
        );
        y += row_height(lines.len());
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bars() -> Vec<Bar> {
        vec![
            Bar {
                label: "Care".into(),
                value: 10.0,
                shown: "10".into(),
            },
            Bar {
                label: "<Build>".into(),
                value: 5.0,
                shown: "5".into(),
            },
        ]
    }

    #[test]
    fn a_chart_is_labelled_and_shows_its_numbers() {
        let svg = bar_chart(
            "c1",
            "Completions",
            "Care 10, Build 5",
            &bars(),
            Scale::Largest,
            false,
        );
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"<title id="c1-title">Completions</title>"#));
        assert!(svg.contains(r#"aria-labelledby="c1-title c1-desc""#));
        assert!(svg.contains(">10</text>") && svg.contains(">5</text>"));
        assert!(svg.contains("&lt;Build&gt;"), "labels are escaped");
        // The biggest bar takes the whole room, the half one half of it.
        assert!(svg.contains(r#"width="308.0""#) && svg.contains(r#"width="154.0""#));
        // The title is shown, not only a tooltip.
        assert!(svg.contains(r#"class="chart-title" aria-hidden="true">Completions</text>"#));
    }

    #[test]
    fn right_to_left_puts_labels_on_the_right_and_empty_data_draws_nothing_wrong() {
        let svg = bar_chart("c2", "t", "d", &bars(), Scale::Largest, true);
        // Right to left, text starts at the right edge and runs leftwards.
        assert!(svg.contains(r#"direction="rtl""#) && !svg.contains(r#"text-anchor="end""#));
        assert!(svg.contains(&format!(r#"<tspan x="{}""#, WIDTH - PAD)));
        assert!(
            bar_chart("c5", "t", "d", &bars(), Scale::Largest, false)
                .contains(r#"direction="ltr""#)
        );
        let empty = bar_chart("c3", "t", "d", &[], Scale::Percent, false);
        assert!(!empty.contains("NaN") && empty.contains("</svg>"));
        let zeros = bar_chart(
            "c4",
            "t",
            "d",
            &[Bar {
                label: "a".into(),
                value: 0.0,
                shown: "0".into(),
            }],
            Scale::Largest,
            false,
        );
        assert!(!zeros.contains("NaN"));
    }

    /// The width of the bar (not the track) drawn in a chart.
    fn bar_widths(svg: &str) -> Vec<f64> {
        svg.split(r#"class="chart-bar""#)
            .map(|before| {
                let at = before.rfind("width=\"").unwrap_or(0) + 7;
                before[at..]
                    .split('"')
                    .next()
                    .and_then(|w| w.parse().ok())
                    .unwrap_or(f64::NAN)
            })
            .take(svg.matches(r#"class="chart-bar""#).count())
            .collect()
    }

    #[test]
    fn rates_are_drawn_on_a_scale_of_a_hundred() {
        // Today's one sector at 25.7 %: a quarter of the room, not all of it.
        let one = [Bar {
            label: "Care".into(),
            value: 25.7,
            shown: "25.7%".into(),
        }];
        let svg = bar_chart("r", "Rate", "Care: 25.7%", &one, Scale::Percent, false);
        let room = ROOM;
        let widths = bar_widths(&svg);
        assert_eq!(widths.len(), 1, "{svg}");
        assert!(
            (widths[0] / room - 0.257).abs() < 0.002,
            "25.7% drawn as {} of {room}",
            widths[0]
        );
        // The 100 % is drawn as a track, so the quarter reads as a quarter.
        assert!(svg.contains(&format!(
            r#"width="{room:.1}" height="16" class="chart-track""#
        )));
        // A full rate fills the room, and nothing draws past it.
        let full = [
            Bar {
                label: "a".into(),
                value: 100.0,
                shown: "100%".into(),
            },
            Bar {
                label: "b".into(),
                value: 130.0,
                shown: "130%".into(),
            },
        ];
        let widths = bar_widths(&bar_chart("f", "t", "d", &full, Scale::Percent, true));
        assert_eq!(widths, [room, room]);
        // Counts still take the biggest as the whole.
        let counts = bar_widths(&bar_chart("n", "t", "d", &one, Scale::Largest, false));
        assert_eq!(counts, [room]);
    }

    #[test]
    fn long_labels_wrap_whole_and_carry_their_full_text() {
        let long = [Bar {
            label: "Hospitality, food service and front of house work".into(),
            value: 3.0,
            shown: "3".into(),
        }];
        let svg = bar_chart("l", "t", "d", &long, Scale::Largest, false);
        // The full name is the label's title (a tooltip, and read out).
        assert!(
            svg.contains("<title>Hospitality, food service and front of house work</title>"),
            "{svg}"
        );
        // Every word is drawn, on lines that fit the label column.
        let lines: Vec<&str> = svg
            .split("<tspan")
            .skip(1)
            .map(|t| t.split('>').nth(1).unwrap().trim_end_matches("</tspan"))
            .collect();
        assert_eq!(
            lines.join(" "),
            "Hospitality, food service and front of house work"
        );
        assert!(lines.len() > 1, "{lines:?}");
        assert!(lines.iter().all(|l| l.chars().count() <= LABEL_CHARS));
        // A name that fits stays on one line; nothing is ever dropped
        // without the ellipsis saying so.
        assert_eq!(wrap("Care"), ["Care"]);
        assert_eq!(wrap("Hospitality and food"), ["Hospitality and food"]);
        let very = wrap(&"word ".repeat(40));
        assert_eq!(very.len(), MAX_LINES);
        assert!(very[MAX_LINES - 1].ends_with('…'));
        assert!(very.iter().all(|l| l.chars().count() <= LABEL_CHARS));
    }
}
