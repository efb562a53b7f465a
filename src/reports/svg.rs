//! Charts as inline SVG, drawn on the server: no script, readable without
//! colour (every bar carries its number as text), with a title and a
//! description for screen readers. They scale to the width of a phone.

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

const WIDTH: f64 = 320.0;
const LABEL_WIDTH: f64 = 110.0;
const ROW: f64 = 26.0;

/// A horizontal bar chart: one row per bar, the label at the start, the
/// number after the bar. `id` makes the title and description ids unique
/// on the page.
pub fn bar_chart(id: &str, title: &str, description: &str, bars: &[Bar], rtl: bool) -> String {
    let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let height = ROW * bars.len().max(1) as f64 + 8.0;
    let room = WIDTH - LABEL_WIDTH - 50.0;
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(description)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = 4.0 + ROW * i as f64;
        let length = if max > 0.0 {
            room * bar.value / max
        } else {
            0.0
        };
        // Right to left: labels on the right, bars growing leftwards.
        let (label_x, anchor, bar_x, value_x, value_anchor) = if rtl {
            (
                WIDTH - 4.0,
                "end",
                WIDTH - LABEL_WIDTH - length,
                WIDTH - LABEL_WIDTH - length - 4.0,
                "end",
            )
        } else {
            (
                4.0,
                "start",
                LABEL_WIDTH,
                LABEL_WIDTH + length + 4.0,
                "start",
            )
        };
        let _ = write!(
            svg,
            r#"<text x="{label_x}" y="{ty}" text-anchor="{anchor}" class="chart-label">{label}</text><rect x="{bar_x:.1}" y="{y}" width="{length:.1}" height="{bh}" class="chart-bar"/><text x="{value_x:.1}" y="{ty}" text-anchor="{value_anchor}" class="chart-value">{shown}</text>"#,
            ty = y + 15.0,
            label = escape(&bar.label),
            bh = ROW - 8.0,
            shown = escape(&bar.shown),
        );
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
        let svg = bar_chart("c1", "Completions", "Care 10, Build 5", &bars(), false);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"<title id="c1-title">Completions</title>"#));
        assert!(svg.contains(r#"aria-labelledby="c1-title c1-desc""#));
        assert!(svg.contains(">10</text>") && svg.contains(">5</text>"));
        assert!(svg.contains("&lt;Build&gt;"), "labels are escaped");
        // The biggest bar takes the whole room, the half one half of it.
        assert!(svg.contains(r#"width="160.0""#) && svg.contains(r#"width="80.0""#));
    }

    #[test]
    fn right_to_left_puts_labels_on_the_right_and_empty_data_draws_nothing_wrong() {
        let svg = bar_chart("c2", "t", "d", &bars(), true);
        assert!(svg.contains(r#"text-anchor="end""#));
        let empty = bar_chart("c3", "t", "d", &[], false);
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
            false,
        );
        assert!(!zeros.contains("NaN"));
    }
}
