//! Test helper: reads back the QR codes a PDF draws as filled rectangles on its first page, so
//! tests can check what a phone would scan. Uses only std, lopdf and rqrr, so an integration test
//! can include it with `#[path = "../src/output/qr_decode.rs"] mod qr_decode;`.

use lopdf::content::Content;
use lopdf::{Document, Object};

/// Pixels per module when rasterising: plenty for rqrr, small enough to stay fast.
const PIXELS_PER_MODULE: f32 = 8.0;

/// A filled axis-aligned rectangle in page space (points) and its grey level (0 black, 255 white).
#[derive(Clone, Copy, Debug)]
struct Fill {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    grey: u8,
}

/// The texts of the QR codes on page 1 of `pdf` (empty when there is none or the PDF is unreadable).
pub fn qr_texts(pdf: &[u8]) -> Vec<String> {
    let fills = filled_rectangles(pdf);
    let Some((x0, y0, x1, y1, module)) = code_area(&fills) else {
        return Vec::new();
    };
    let scale = PIXELS_PER_MODULE / module;
    let w = ((x1 - x0) * scale).ceil() as usize;
    let h = ((y1 - y0) * scale).ceil() as usize;
    let mut bitmap = vec![255u8; w * h];
    for fill in &fills {
        // Rows count down from the top, as in an image.
        let left = ((fill.x0 - x0) * scale).round().max(0.0) as usize;
        let right = (((fill.x1 - x0) * scale).round().max(0.0) as usize).min(w);
        let top = ((y1 - fill.y1) * scale).round().max(0.0) as usize;
        let bottom = (((y1 - fill.y0) * scale).round().max(0.0) as usize).min(h);
        for row in top..bottom {
            for px in &mut bitmap[row * w + left.min(right)..row * w + right] {
                *px = fill.grey;
            }
        }
    }
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| bitmap[y * w + x]);
    image
        .detect_grids()
        .into_iter()
        .filter_map(|grid| grid.decode().ok().map(|(_, text)| text))
        .collect()
}

/// The region (points) holding the QR modules, with a quiet zone around it, and the module size.
/// Modules are the dark fills that share one height (a horizontal run of modules is one
/// rectangle, one module high); frames and bands have other sizes.
fn code_area(fills: &[Fill]) -> Option<(f32, f32, f32, f32, f32)> {
    let mut heights: Vec<(i64, usize)> = Vec::new();
    for fill in fills.iter().filter(|f| f.grey < 128) {
        let key = ((fill.y1 - fill.y0) * 100.0).round() as i64;
        match heights.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => heights.push((key, 1)),
        }
    }
    let (key, count) = heights.into_iter().max_by_key(|&(_, n)| n)?;
    // A version-1 code has dozens of runs; a handful of equal rules is no code.
    if count < 20 || key <= 0 {
        return None;
    }
    let modules = fills
        .iter()
        .filter(|f| f.grey < 128 && ((f.y1 - f.y0) * 100.0).round() as i64 == key);
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for f in modules {
        x0 = x0.min(f.x0);
        y0 = y0.min(f.y0);
        x1 = x1.max(f.x1);
        y1 = y1.max(f.y1);
    }
    let module = key as f32 / 100.0;
    let quiet = 4.0 * module;
    Some((x0 - quiet, y0 - quiet, x1 + quiet, y1 + quiet, module))
}

/// Every rectangle page 1 fills, in painting order, mapped through the current transformation.
fn filled_rectangles(pdf: &[u8]) -> Vec<Fill> {
    let Ok(doc) = Document::load_mem(pdf) else {
        return Vec::new();
    };
    let Some(&page) = doc.get_pages().get(&1) else {
        return Vec::new();
    };
    let Ok(content) = Content::decode(&doc.get_page_content(page)) else {
        return Vec::new();
    };
    let mut state = State::default();
    let mut stack = Vec::new();
    let mut path: Vec<[f32; 4]> = Vec::new();
    let mut fills = Vec::new();
    for op in content.operations {
        let n: Vec<f32> = op
            .operands
            .iter()
            .filter_map(|o| Object::as_float(o).ok())
            .collect();
        match (op.operator.as_str(), n.as_slice()) {
            ("q", _) => stack.push(state),
            ("Q", _) => state = stack.pop().unwrap_or_default(),
            ("cm", &[a, b, c, d, e, f]) => state.ctm = multiply([a, b, c, d, e, f], state.ctm),
            ("g", &[g]) => state.grey = level(g),
            ("rg", &[r, g, b]) => state.grey = level(0.299 * r + 0.587 * g + 0.114 * b),
            ("k", &[c, m, y, k]) => {
                state.grey = level((1.0 - c.max(k)) * (1.0 - m.max(k)) * (1.0 - y.max(k)));
            }
            ("re", &[x, y, w, h]) => path.push([x, y, x + w, y + h]),
            ("f" | "F" | "f*" | "B" | "B*" | "b" | "b*", _) => {
                for [x0, y0, x1, y1] in path.drain(..) {
                    let (ax, ay) = apply(state.ctm, x0, y0);
                    let (bx, by) = apply(state.ctm, x1, y1);
                    fills.push(Fill {
                        x0: ax.min(bx),
                        y0: ay.min(by),
                        x1: ax.max(bx),
                        y1: ay.max(by),
                        grey: state.grey,
                    });
                }
            }
            ("n" | "S" | "s", _) => path.clear(),
            _ => {}
        }
    }
    fills
}

#[derive(Clone, Copy)]
struct State {
    ctm: [f32; 6],
    grey: u8,
}

impl Default for State {
    fn default() -> State {
        State {
            ctm: [1.0, 0.0, 0.0, 1.0, 0.0, 0.0],
            grey: 0,
        }
    }
}

fn level(luminance: f32) -> u8 {
    (luminance.clamp(0.0, 1.0) * 255.0).round() as u8
}

/// `m` × `n` for PDF matrices [a b c d e f] (row vectors: the new `cm` goes first).
fn multiply(m: [f32; 6], n: [f32; 6]) -> [f32; 6] {
    [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]
}

fn apply(m: [f32; 6], x: f32, y: f32) -> (f32, f32) {
    (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
}
