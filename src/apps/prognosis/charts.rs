//! The model pages' charts as inline SVG: the ROC curve and the feature-importance bars. Sized
//! by `viewBox` so they scale to a phone's width; every text is escaped. Text is drawn in
//! `currentColor` and lines and bars are coloured by `static/css/app.css` (the attributes are a
//! fallback), so one rendering reads in the light and the dark mode.

use std::fmt::Write;

use super::ml::RocPoint;
use crate::graphics::fonts::{SANS_BOLD, SANS_FAMILY, measure};

/// Font size of the importance chart's labels, measured with the bundled font it is drawn in.
const LABEL_PX: f32 = 13.0;

/// `text` cut (with an ellipsis) to at most `width` pixels at [`LABEL_PX`].
fn fit(text: &str, width: f32) -> String {
    if measure(&SANS_BOLD, LABEL_PX, text).0 <= width {
        return text.to_owned();
    }
    let mut cut: String = text.to_owned();
    while !cut.is_empty() && measure(&SANS_BOLD, LABEL_PX, &format!("{cut}…")).0 > width {
        cut.pop();
    }
    format!("{}…", cut.trim_end())
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Labels of the ROC chart, translated.
pub struct RocLabels<'a> {
    /// Accessible title.
    pub title: &'a str,
    /// x axis.
    pub fpr: &'a str,
    /// y axis.
    pub tpr: &'a str,
}

/// The ROC curve (false-positive rate → true-positive rate) with the chance diagonal.
pub fn roc_curve(points: &[RocPoint], auc: f64, labels: &RocLabels<'_>) -> String {
    const SIZE: f64 = 300.0;
    const PAD: f64 = 40.0;
    // Room for the tick labels and, left of them, the rotated axis title.
    const LEFT: f64 = 56.0;
    let x = |v: f64| LEFT + v.clamp(0.0, 1.0) * SIZE;
    let y = |v: f64| PAD + (1.0 - v.clamp(0.0, 1.0)) * SIZE;
    let mut path = String::new();
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            path,
            "{}{:.1},{:.1}",
            if i == 0 { "M" } else { " L" },
            x(p.fpr),
            y(p.tpr)
        );
    }
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" role="img" class="chart" id="roc-chart" fill="currentColor"><title>{title}</title>"#,
        w = LEFT + SIZE + PAD,
        h = SIZE + 2.0 * PAD,
        title = escape(labels.title)
    );
    // Grid and ticks every 0.25.
    for step in 0..=4 {
        let v = f64::from(step) / 4.0;
        let _ = write!(
            svg,
            r##"<line x1="{x0}" y1="{yv}" x2="{x1}" y2="{yv}" stroke="#dee2e6" class="chart-grid"/><line x1="{xv}" y1="{y0}" x2="{xv}" y2="{y1}" stroke="#dee2e6" class="chart-grid"/><text x="{tx}" y="{ty}" font-size="12" text-anchor="end">{v}</text><text x="{xv}" y="{bx}" font-size="12" text-anchor="middle">{v}</text>"##,
            x0 = x(0.0),
            x1 = x(1.0),
            yv = y(v),
            xv = x(v),
            y0 = y(0.0),
            y1 = y(1.0),
            tx = x(0.0) - 4.0,
            ty = y(v) + 4.0,
            bx = y(0.0) + 16.0,
        );
    }
    let _ = write!(
        svg,
        r##"<line x1="{x0}" y1="{y0}" x2="{x1}" y2="{y1}" stroke="#adb5bd" stroke-dasharray="4 4" class="chart-chance"/><path d="{path}" fill="none" stroke="#0d6efd" stroke-width="2.5" class="chart-line"/><text x="{cx}" y="{ly}" font-size="13" text-anchor="middle">{fpr}</text><text x="16" y="{cy}" font-size="13" text-anchor="middle" transform="rotate(-90 16 {cy})">{tpr}</text><text x="{ax}" y="{ay}" font-size="13" text-anchor="end" font-weight="bold">AUC {auc:.3}</text></svg>"##,
        x0 = x(0.0),
        y0 = y(0.0),
        x1 = x(1.0),
        y1 = y(1.0),
        cx = x(0.5),
        ly = y(0.0) + 34.0,
        cy = y(0.5),
        ax = x(1.0) - 6.0,
        ay = y(0.0) - 8.0,
        fpr = escape(labels.fpr),
        tpr = escape(labels.tpr),
    );
    svg
}

/// Horizontal bars of (label, importance), largest first, at most `limit` of them. Each label
/// stands on its own line above its bar: the chart stays narrow, so its text is still readable
/// scaled down to a phone's width.
pub fn importance_bars(items: &[(String, f64)], title: &str, limit: usize) -> String {
    const WIDTH: f64 = 400.0;
    /// One feature: its label's line, then its bar.
    const ROW: f64 = 34.0;
    const BAR: f64 = 12.0;
    /// Room right of the longest bar for its percentage.
    const VALUE: f64 = 56.0;
    let mut sorted: Vec<&(String, f64)> = items.iter().collect();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    sorted.truncate(limit);
    let max = sorted.first().map_or(1.0, |i| i.1).max(f64::EPSILON);
    let height = sorted.len() as f64 * ROW + 4.0;
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" class="chart" id="importance-chart" fill="currentColor" font-family="{SANS_FAMILY}" font-weight="bold"><title>{}</title>"#,
        escape(title)
    );
    for (i, (label, value)) in sorted.iter().enumerate() {
        let top = 2.0 + i as f64 * ROW;
        let length = (value / max).clamp(0.0, 1.0) * (WIDTH - VALUE);
        let _ = write!(
            svg,
            r##"<g data-feature="{label}"><text x="0" y="{ly}" font-size="{LABEL_PX}"><title>{label}</title>{shown}</text><rect x="0" y="{by}" width="{length:.1}" height="{BAR}" fill="#198754" rx="2" class="chart-bar"/><text x="{vx:.1}" y="{vy}" font-size="{LABEL_PX}">{pct:.1}&#160;%</text></g>"##,
            label = escape(label),
            // Very long translated feature names are cut to the width (whole in the title).
            shown = escape(&fit(label, WIDTH as f32)),
            ly = top + LABEL_PX as f64,
            by = top + LABEL_PX as f64 + 5.0,
            vx = length + 4.0,
            vy = top + LABEL_PX as f64 + 5.0 + BAR - 1.0,
            pct = value * 100.0,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_escaped_and_charts_are_well_formed() {
        let svg = importance_bars(&[("a<b & \"c\"".into(), 0.5)], "t<", 10);
        assert!(svg.contains("a&lt;b &amp; &quot;c&quot;"));
        assert!(!svg.contains("a<b"));
        let roc = roc_curve(
            &[
                RocPoint { fpr: 0.0, tpr: 0.0 },
                RocPoint { fpr: 1.0, tpr: 1.0 },
            ],
            0.5,
            &RocLabels {
                title: "<x>",
                fpr: "F",
                tpr: "T",
            },
        );
        assert!(roc.starts_with("<svg") && roc.ends_with("</svg>"));
        assert!(roc.contains("&lt;x&gt;") && roc.contains("AUC 0.500"));
    }

    #[test]
    fn bars_are_sorted_and_limited() {
        let items: Vec<(String, f64)> = (0..30).map(|i| (format!("f{i}"), f64::from(i))).collect();
        let svg = importance_bars(&items, "t", 10);
        assert_eq!(svg.matches("<rect").count(), 10);
        assert!(svg.find("f29").unwrap() < svg.find("f28").unwrap());
    }
}
