//! Simplifies a polyline to at most N points (Ramer–Douglas–Peucker, farthest point first).

use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// Keeps the first and last point and adds the points that deviate most, until `cap` points.
pub fn simplify(points: &[[f64; 2]], cap: usize) -> Vec<[f64; 2]> {
    let cap = cap.max(2);
    if points.len() <= cap {
        return points.to_vec();
    }
    let last = points.len() - 1;
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[last] = true;
    let mut kept = 2;
    let mut heap = BinaryHeap::new();
    heap.extend(farthest(points, 0, last));
    while kept < cap {
        let Some(split) = heap.pop() else { break };
        if split.distance <= 0.0 {
            break;
        }
        keep[split.index] = true;
        kept += 1;
        heap.extend(farthest(points, split.start, split.index));
        heap.extend(farthest(points, split.index, split.end));
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(point, kept)| kept.then_some(*point))
        .collect()
}

/// The point strictly between `start` and `end` farthest from the chord between them.
struct Split {
    distance: f64,
    start: usize,
    index: usize,
    end: usize,
}

impl PartialEq for Split {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Split {}
impl PartialOrd for Split {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Split {
    fn cmp(&self, other: &Self) -> Ordering {
        self.distance
            .total_cmp(&other.distance)
            .then(other.index.cmp(&self.index))
    }
}

fn farthest(points: &[[f64; 2]], start: usize, end: usize) -> Option<Split> {
    let (a, b) = (points[start], points[end]);
    let scale = a[0].to_radians().cos();
    (start + 1..end)
        .map(|index| Split {
            distance: distance_to_segment(points[index], a, b, scale),
            start,
            index,
            end,
        })
        .max()
}

/// Planar distance (degrees, longitude scaled by cos(latitude)) from `p` to the segment `a`–`b`.
fn distance_to_segment(p: [f64; 2], a: [f64; 2], b: [f64; 2], scale: f64) -> f64 {
    let (px, py) = (p[1] * scale, p[0]);
    let (ax, ay) = (a[1] * scale, a[0]);
    let (bx, by) = (b[1] * scale, b[0]);
    let (dx, dy) = (bx - ax, by - ay);
    let length2 = dx * dx + dy * dy;
    let t = if length2 > 0.0 {
        (((px - ax) * dx + (py - ay) * dy) / length2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (cx, cy) = (ax + t * dx, ay + t * dy);
    ((px - cx).powi(2) + (py - cy).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny deterministic generator, so the property test needs no extra crate.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        fn unit(&mut self) -> f64 {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    #[test]
    fn property_keeps_ends_never_exceeds_cap_and_preserves_order() {
        let mut rng = Rng(7);
        for case in 0..300 {
            let len = (rng.next() % 3000) as usize;
            let cap = 2 + (rng.next() % 600) as usize;
            let mut lat = rng.unit() * 170.0 - 85.0;
            let mut lon = rng.unit() * 350.0 - 175.0;
            let points: Vec<[f64; 2]> = (0..len)
                .map(|_| {
                    lat = (lat + rng.unit() * 0.01 - 0.005).clamp(-90.0, 90.0);
                    lon = (lon + rng.unit() * 0.01 - 0.005).clamp(-180.0, 180.0);
                    [lat, lon]
                })
                .collect();
            let line = simplify(&points, cap);
            assert!(line.len() <= cap, "case {case}: {} > {cap}", line.len());
            assert_eq!(line.first(), points.first(), "case {case}");
            assert_eq!(line.last(), points.last(), "case {case}");
            let mut rest = points.iter();
            assert!(
                line.iter().all(|p| rest.any(|q| q == p)),
                "case {case}: order changed"
            );
        }
    }

    #[test]
    fn the_corner_of_an_l_survives_a_cap_of_three() {
        let mut points: Vec<[f64; 2]> = (0..100).map(|i| [0.0, f64::from(i) * 0.001]).collect();
        points.extend((1..100).map(|i| [f64::from(i) * 0.001, 0.099]));
        assert_eq!(
            simplify(&points, 3),
            vec![[0.0, 0.0], [0.0, 0.099], [0.099, 0.099]]
        );
    }
}
