//! Sentence alignment of an original and its translation: Gale and Church's dynamic program
//! over sentence lengths (1993), with shared fact values as anchors.
//!
//! Written here rather than taken from a crate: the Rust aligners we found (bleualign ports,
//! hunalign bindings) need a dictionary or a C++ toolchain and know nothing of anchors; the
//! program itself is forty lines.

use std::ops::Range;

/// One link: original sentences `orig` ↔ translation sentences `trans` (either may be empty:
/// a sentence left out, or one added).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub orig: Range<usize>,
    pub trans: Range<usize>,
}

impl Link {
    /// "1-1", "1-0", "2-1", …
    pub fn shape(&self) -> String {
        format!("{}-{}", self.orig.len(), self.trans.len())
    }
}

/// Length model: translation characters per original character, and variance per character.
#[derive(Debug, Clone, Copy)]
pub struct Model {
    pub c: f64,
    pub s2: f64,
}

/// The link shapes allowed, with Gale and Church's prior probabilities. Translations here are
/// often partial, so 1-0 is more likely than in their parliamentary corpus.
const SHAPES: [(usize, usize, f64); 6] = [
    (1, 1, 0.85),
    (1, 0, 0.03),
    (0, 1, 0.01),
    (2, 1, 0.05),
    (1, 2, 0.05),
    (2, 2, 0.01),
];

/// What an anchor (one fact value shared by both sides of a link) is worth, in the units of
/// the cost (negative log probability).
const ANCHOR: f64 = 4.0;

/// Standard normal tail, 2·(1 − Φ(|z|)), by the Abramowitz–Stegun 7.1.26 erfc approximation
/// (std has no erf; error < 1.5e-7, far below what the costs need).
fn two_tail(z: f64) -> f64 {
    let x = z.abs() / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.327_591_1 * x);
    let poly = t
        * (0.254_829_592
            + t * (-0.284_496_736
                + t * (1.421_413_741 + t * (-1.453_152_027 + t * 1.061_405_429))));
    (poly * (-x * x).exp()).max(1e-300)
}

/// Cost of linking `l1` original characters with `l2` translation characters.
fn length_cost(l1: f64, l2: f64, m: Model) -> f64 {
    let mean = ((l1 + l2 / m.c) / 2.0).max(1.0);
    let z = (m.c * l1 - l2) / (m.s2 * mean).sqrt();
    -two_tail(z).ln()
}

/// Align sentences given their lengths in characters. `anchors(i, j)` weighs the fact values
/// shared by original sentence `i` and translation sentence `j` (1 for a value found once on
/// each side); they make a link through them cheaper, so facts pull the alignment into place
/// where lengths alone are ambiguous.
pub fn align(
    orig: &[usize],
    trans: &[usize],
    model: Model,
    anchors: &dyn Fn(usize, usize) -> f64,
) -> Vec<Link> {
    let (n, m) = (orig.len(), trans.len());
    // Very long documents are aligned within a band around the diagonal, so time and memory
    // stay bounded (a few million cells) whatever the input.
    let band = if n.saturating_mul(m) <= 4_000_000 {
        usize::MAX
    } else {
        200 + n.abs_diff(m)
    };
    let mut cost = vec![vec![f64::INFINITY; m + 1]; n + 1];
    let mut back = vec![vec![(0usize, 0usize); m + 1]; n + 1];
    cost[0][0] = 0.0;
    for i in 0..=n {
        for j in 0..=m {
            if (i == 0 && j == 0) || (j * n.max(1)).abs_diff(i * m) / n.max(1) > band {
                continue;
            }
            for &(di, dj, prior) in &SHAPES {
                if di > i || dj > j {
                    continue;
                }
                let (pi, pj) = (i - di, j - dj);
                let prev = cost[pi][pj];
                if !prev.is_finite() {
                    continue;
                }
                let l1: usize = orig[pi..i].iter().sum();
                let l2: usize = trans[pj..j].iter().sum();
                let mut shared = 0.0;
                for a in pi..i {
                    for b in pj..j {
                        shared += anchors(a, b);
                    }
                }
                // A sentence left out costs its prior alone: translations here drop whole
                // paragraphs, and Gale and Church's length term would make a long dropped
                // sentence dearer than any wrong link.
                let length = if di == 0 || dj == 0 {
                    0.0
                } else {
                    length_cost(l1 as f64, l2 as f64, model)
                };
                let c = prev - prior.ln() + length - ANCHOR * shared;
                if c < cost[i][j] {
                    cost[i][j] = c;
                    back[i][j] = (pi, pj);
                }
            }
        }
    }
    let mut links = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let (pi, pj) = back[i][j];
        links.push(Link {
            orig: pi..i,
            trans: pj..j,
        });
        (i, j) = (pi, pj);
    }
    links.reverse();
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    const M: Model = Model { c: 1.0, s2: 6.8 };

    fn none(_: usize, _: usize) -> f64 {
        0.0
    }

    #[test]
    fn equal_lengths_align_one_to_one() {
        let l = align(&[100, 40, 220], &[104, 38, 230], M, &none);
        let shapes: Vec<String> = l.iter().map(Link::shape).collect();
        assert_eq!(shapes, ["1-1", "1-1", "1-1"]);
    }

    #[test]
    fn a_split_sentence_gives_one_to_two() {
        let l = align(&[100, 240, 80], &[98, 120, 125, 82], M, &none);
        let shapes: Vec<String> = l.iter().map(Link::shape).collect();
        assert_eq!(shapes, ["1-1", "1-2", "1-1"]);
    }

    #[test]
    fn a_dropped_opening_paragraph_is_left_out_not_forced() {
        // The translation starts at the third sentence; anchors confirm where.
        let orig = [90, 300, 150, 120, 200];
        let trans = [155, 118, 210];
        let anchors =
            |i: usize, j: usize| f64::from(u8::from((i, j) == (2, 0) || (i, j) == (4, 2)));
        let l = align(&orig, &trans, M, &anchors);
        assert_eq!(
            l[0],
            Link {
                orig: 0..1,
                trans: 0..0
            }
        );
        assert_eq!(
            l[1],
            Link {
                orig: 1..2,
                trans: 0..0
            }
        );
        assert!(l.contains(&Link {
            orig: 2..3,
            trans: 0..1
        }));
        assert!(l.contains(&Link {
            orig: 4..5,
            trans: 2..3
        }));
    }

    #[test]
    fn tail_probability_is_sane() {
        assert!((two_tail(0.0) - 1.0).abs() < 1e-6);
        assert!((two_tail(1.96) - 0.05).abs() < 1e-3);
        assert!(two_tail(10.0) > 0.0);
    }
}
