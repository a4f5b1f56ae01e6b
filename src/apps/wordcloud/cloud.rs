//! Server-side word-cloud layout.
//!
//! Words are sized by count on a configurable scale (linear, square root, logarithmic), measured
//! with the bundled Liberation Sans Bold (Arial-compatible metrics, so browsers draw what was
//! measured), and placed largest first along an elliptical Archimedean spiral from the centre.
//! Collisions are checked against an occupancy bitmap of 2-pixel cells kept as rows of `u64`, so
//! testing a rectangle costs a few word operations per row. Some words stand vertically (chosen
//! by a hash of the word). Everything depends only on the input: the same counts always give
//! the same picture.
//!
//! A word that does not fit is tried smaller; if one of the top words still does not fit, the
//! whole cloud is laid out again with every size reduced, so the most frequent words are never
//! dropped. Only words from the tail may be left out, and the result says how many were.

use crate::graphics::fonts::{SANS_BOLD, measure};

/// How counts map to font sizes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scale {
    /// Proportional to the count.
    Linear,
    /// Proportional to the square root (the default: big words do not crowd out the rest).
    Sqrt,
    /// Proportional to the logarithm.
    Log,
}

/// Layout settings.
#[derive(Clone, Debug)]
pub struct Options {
    /// Canvas width in pixels.
    pub width: f32,
    /// Canvas height in pixels.
    pub height: f32,
    /// Most words shown.
    pub max_words: usize,
    /// Font size of the rarest word.
    pub min_px: f32,
    /// Font size of the most frequent word.
    pub max_px: f32,
    /// Size scale.
    pub scale: Scale,
    /// Share of words set vertically (0 to 1).
    pub vertical: f32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            width: 800.0,
            height: 480.0,
            max_words: 120,
            min_px: 11.0,
            max_px: 72.0,
            scale: Scale::Sqrt,
            vertical: 0.2,
        }
    }
}

/// A placed word.
#[derive(Clone, Debug, PartialEq)]
pub struct Placed {
    /// The word.
    pub text: String,
    /// Its count.
    pub count: i64,
    /// Font size in pixels.
    pub px: f32,
    /// Set bottom-to-top.
    pub vertical: bool,
    /// Text anchor (start of the baseline; for vertical words, rotate −90° around it).
    pub x: f32,
    /// Text anchor.
    pub y: f32,
    /// Colour index into the palette.
    pub colour: usize,
}

/// A laid-out cloud.
#[derive(Clone, Debug, PartialEq)]
pub struct Cloud {
    /// Placed words, largest first.
    pub words: Vec<Placed>,
    /// Words not shown: beyond `max_words`, or from the tail and not fitting.
    pub left_out: usize,
    /// Canvas size.
    pub width: f32,
    /// Canvas size.
    pub height: f32,
}

impl Cloud {
    /// The smallest rectangle holding every word, with a margin, as (x, y, width, height); the
    /// whole canvas when empty. Drawing only this crops the empty border of sparse clouds.
    pub fn bounds(&self, margin: f32) -> (f32, f32, f32, f32) {
        let mut rect: Option<(f32, f32, f32, f32)> = None;
        for w in &self.words {
            let (advance, ascent, descent) = measure(&SANS_BOLD, w.px, &w.text);
            let (x0, y0, x1, y1) = if w.vertical {
                (w.x - ascent, w.y - advance, w.x + descent, w.y)
            } else {
                (w.x, w.y - ascent, w.x + advance, w.y + descent)
            };
            rect = Some(match rect {
                None => (x0, y0, x1, y1),
                Some((a, b, c, d)) => (a.min(x0), b.min(y0), c.max(x1), d.max(y1)),
            });
        }
        match rect {
            Some((x0, y0, x1, y1)) => (
                (x0 - margin).max(0.0),
                (y0 - margin).max(0.0),
                (x1 - x0 + 2.0 * margin).min(self.width),
                (y1 - y0 + 2.0 * margin).min(self.height),
            ),
            None => (0.0, 0.0, self.width, self.height),
        }
    }
}

/// Words at the top that must always be placed.
const GUARANTEED: usize = 10;
/// Occupancy cell size in pixels.
const CELL: f32 = 2.0;
/// Colours (Bootstrap-like, at least 4.5:1 on white), written into the SVG for the file and the
/// PNG; on HUD's pages `static/css/app.css` redraws word `i` in `--hud-cloud-i` instead, which has
/// a lighter twin in the dark mode (the same cached SVG serves both modes).
pub const PALETTE: [&str; 6] = [
    "#0d6efd", "#198754", "#d63384", "#b35c00", "#6f42c1", "#0f5132",
];

/// FNV-1a: a stable hash (std's hasher may change between releases).
fn stable_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

struct Occupancy {
    rows: Vec<Vec<u64>>,
    cols: usize,
}

impl Occupancy {
    fn new(width: f32, height: f32) -> Self {
        let cols = (width / CELL).ceil() as usize;
        let rows = (height / CELL).ceil() as usize;
        Occupancy {
            rows: vec![vec![0; cols.div_ceil(64)]; rows],
            cols,
        }
    }

    /// Cell range of a rectangle, or None when it leaves the canvas.
    fn cells(&self, x: f32, y: f32, w: f32, h: f32) -> Option<(usize, usize, usize, usize)> {
        if x < 0.0 || y < 0.0 {
            return None;
        }
        let (c0, r0) = ((x / CELL) as usize, (y / CELL) as usize);
        let (c1, r1) = (
            ((x + w) / CELL).ceil() as usize,
            ((y + h) / CELL).ceil() as usize,
        );
        (c1 <= self.cols && r1 <= self.rows.len() && c1 > c0 && r1 > r0).then_some((c0, r0, c1, r1))
    }

    fn mask(word: usize, c0: usize, c1: usize) -> u64 {
        let start = (word * 64).max(c0) - word * 64;
        let end = ((word + 1) * 64).min(c1) - word * 64;
        if end <= start {
            return 0;
        }
        let ones = if end - start == 64 {
            u64::MAX
        } else {
            (1u64 << (end - start)) - 1
        };
        ones << start
    }

    fn free(&self, (c0, r0, c1, r1): (usize, usize, usize, usize)) -> bool {
        let words = c0 / 64..=(c1 - 1) / 64;
        self.rows[r0..r1]
            .iter()
            .all(|row| words.clone().all(|w| row[w] & Self::mask(w, c0, c1) == 0))
    }

    /// Whether the cell holding pixel (x, y) is taken (a cheap first test before `free`).
    fn taken(&self, x: f32, y: f32) -> bool {
        let (c, r) = ((x / CELL) as usize, (y / CELL) as usize);
        self.rows
            .get(r)
            .and_then(|row| row.get(c / 64))
            .is_some_and(|bits| bits & (1u64 << (c % 64)) != 0)
    }

    fn fill(&mut self, (c0, r0, c1, r1): (usize, usize, usize, usize)) {
        for row in &mut self.rows[r0..r1] {
            for (w, bits) in row
                .iter_mut()
                .enumerate()
                .take((c1 - 1) / 64 + 1)
                .skip(c0 / 64)
            {
                *bits |= Self::mask(w, c0, c1);
            }
        }
    }
}

fn size_for(count: i64, min: i64, max: i64, options: &Options) -> f32 {
    let f = |n: i64| -> f32 {
        let n = n.max(1) as f32;
        match options.scale {
            Scale::Linear => n,
            Scale::Sqrt => n.sqrt(),
            Scale::Log => (1.0 + n).ln(),
        }
    };
    let t = if max > min {
        (f(count) - f(min)) / (f(max) - f(min))
    } else {
        1.0
    };
    options.min_px + t * (options.max_px - options.min_px)
}

/// Try to place one word of size `px`; returns its anchor.
fn place(
    grid: &mut Occupancy,
    text: &str,
    px: f32,
    vertical: bool,
    options: &Options,
) -> Option<(f32, f32)> {
    let (advance, ascent, descent) = measure(&SANS_BOLD, px, text);
    // A little air around each word (and room for font differences in browsers).
    let pad = (px * 0.08).max(1.0);
    let (w, h) = if vertical {
        (ascent + descent + 2.0 * pad, advance + 2.0 * pad)
    } else {
        (advance + 2.0 * pad, ascent + descent + 2.0 * pad)
    };
    let (cx, cy) = (options.width / 2.0, options.height / 2.0);
    let aspect = options.width / options.height;
    // Beyond this radius every point of the (elliptical) spiral is off the canvas.
    let max_radius = options.height / 2.0 + h;
    let mut theta: f32 = 0.0;
    loop {
        let r = 1.5 * theta;
        if r > max_radius {
            return None;
        }
        let (x, y) = (
            cx + aspect * r * theta.cos() - w / 2.0,
            cy + r * theta.sin() - h / 2.0,
        );
        // Most positions near the middle are taken: reject those on one bit.
        if !grid.taken(x + w / 2.0, y + h / 2.0)
            && let Some(cells) = grid.cells(x, y, w, h)
            && grid.free(cells)
        {
            grid.fill(cells);
            return Some(if vertical {
                (x + pad + ascent, y + h - pad)
            } else {
                (x + pad, y + pad + ascent)
            });
        }
        // Steps of about three pixels along the spiral.
        theta += (3.0 / (aspect * r + 3.0)).min(0.5);
    }
}

/// Lay out `words` (any order; counts > 0).
pub fn layout(words: &[(String, i64)], options: &Options) -> Cloud {
    let mut sorted: Vec<&(String, i64)> = words.iter().filter(|(_, n)| *n > 0).collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let beyond_max = sorted.len().saturating_sub(options.max_words);
    sorted.truncate(options.max_words);
    let (max, min) = (
        sorted.first().map_or(1, |w| w.1),
        sorted.last().map_or(1, |w| w.1),
    );
    // Words of the requested sizes may cover more than the canvas: scale them so their boxes
    // take about half of it (spirals pack to ~60 %), never below the smallest size.
    let sizes: Vec<f32> = sorted
        .iter()
        .map(|(_, n)| size_for(*n, min, max, options))
        .collect();
    let area: f32 = sorted
        .iter()
        .zip(&sizes)
        .map(|((text, _), px)| {
            let (w, ascent, descent) = measure(&SANS_BOLD, *px, text);
            w * (ascent + descent)
        })
        .sum();
    let budget = 0.5 * options.width * options.height;
    let fit = if area > budget {
        (budget / area).sqrt()
    } else {
        1.0
    };
    let mut shrink = 1.0f32;
    let mut cloud = Cloud {
        words: Vec::new(),
        left_out: 0,
        width: options.width,
        height: options.height,
    };
    for _round in 0..10 {
        let mut grid = Occupancy::new(options.width, options.height);
        cloud.words.clear();
        cloud.left_out = beyond_max;
        let mut top_missing = false;
        for (rank, (text, count)) in sorted.iter().enumerate() {
            let hash = stable_hash(text);
            let vertical = rank > 0 && (hash % 1000) as f32 / 1000.0 < options.vertical;
            let mut px = (sizes[rank] * fit).max(options.min_px) * shrink;
            let mut anchor = None;
            while anchor.is_none() && px >= options.min_px * shrink * 0.7 {
                anchor = place(&mut grid, text, px, vertical, options);
                if anchor.is_none() {
                    px *= 0.85;
                }
            }
            match anchor {
                Some((x, y)) => cloud.words.push(Placed {
                    text: text.clone(),
                    count: *count,
                    px,
                    vertical,
                    x,
                    y,
                    colour: (hash >> 32) as usize % PALETTE.len(),
                }),
                None if rank < GUARANTEED => {
                    top_missing = true;
                    break;
                }
                None => cloud.left_out += 1,
            }
        }
        if !top_missing {
            return cloud;
        }
        shrink *= 0.8;
    }
    cloud
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(n: usize) -> Vec<(String, i64)> {
        (0..n)
            .map(|i| {
                (
                    format!("word{}", char::from(b'a' + (i % 26) as u8)).repeat(1 + i % 3)
                        + &i.to_string(),
                    (n - i) as i64 * 3,
                )
            })
            .collect()
    }

    fn overlaps(a: &Placed, b: &Placed) -> bool {
        let rect = |p: &Placed| {
            let (w, asc, desc) = measure(&SANS_BOLD, p.px, &p.text);
            if p.vertical {
                (p.x - asc, p.y - w, asc + desc, w)
            } else {
                (p.x, p.y - asc, w, asc + desc)
            }
        };
        let (ax, ay, aw, ah) = rect(a);
        let (bx, by, bw, bh) = rect(b);
        ax < bx + bw && bx < ax + aw && ay < by + bh && by < ay + ah
    }

    #[test]
    fn words_are_placed_inside_without_overlapping_largest_first() {
        let input = words(150);
        let options = Options::default();
        let cloud = layout(&input, &options);
        assert!(cloud.words.len() >= 110, "placed {}", cloud.words.len());
        assert_eq!(cloud.words.len() + cloud.left_out, input.len());
        for (i, a) in cloud.words.iter().enumerate() {
            for b in &cloud.words[i + 1..] {
                assert!(!overlaps(a, b), "{} overlaps {}", a.text, b.text);
            }
            assert!(a.x >= 0.0 && a.y >= 0.0 && a.x <= options.width && a.y <= options.height);
        }
        assert!(cloud.words.windows(2).all(|w| w[0].count >= w[1].count));
        assert!(cloud.words.iter().any(|w| w.vertical));
        let (x, y, w, h) = cloud.bounds(0.0);
        assert!(
            x >= 0.0 && y >= 0.0 && x + w <= options.width + 0.5 && y + h <= options.height + 0.5
        );
    }

    #[test]
    fn the_same_counts_give_the_same_cloud() {
        let input = words(80);
        assert_eq!(
            layout(&input, &Options::default()),
            layout(&input, &Options::default())
        );
    }

    #[test]
    fn top_words_are_never_dropped_even_on_a_tiny_canvas() {
        let input: Vec<(String, i64)> = (0..40)
            .map(|i| (format!("extraordinarilylongword{i}"), 1000 - i))
            .collect();
        let options = Options {
            width: 200.0,
            height: 120.0,
            ..Options::default()
        };
        let cloud = layout(&input, &options);
        for top in &input[..GUARANTEED] {
            assert!(
                cloud.words.iter().any(|w| w.text == top.0),
                "{} dropped",
                top.0
            );
        }
        assert_eq!(cloud.words.len() + cloud.left_out, 40);
    }

    #[test]
    fn scales_and_edge_cases() {
        let input = vec![("big".to_owned(), 100), ("small".to_owned(), 1)];
        for scale in [Scale::Linear, Scale::Sqrt, Scale::Log] {
            let options = Options {
                scale,
                ..Options::default()
            };
            let cloud = layout(&input, &options);
            assert!((cloud.words[0].px - options.max_px).abs() < 0.01);
            assert!(cloud.words[1].px <= options.min_px + 0.01);
        }
        assert!(layout(&[], &Options::default()).words.is_empty());
        let one = layout(&[("solo".to_owned(), 5)], &Options::default());
        assert_eq!(one.words.len(), 1);
    }
}
