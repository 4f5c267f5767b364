//! Drawing PDF pages in millimetres with the shared fonts: what the attendance list and the
//! certificate are both drawn with. Coordinates are from the page's bottom-left corner.

use printpdf::{
    Color, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions,
    Point, Pt, Rect, Rgb, TextItem,
};

use super::fonts::{Face, fonts};

/// Millimetres to points.
pub(crate) fn pt(mm: f32) -> f32 {
    mm * 72.0 / 25.4
}

/// Points to millimetres.
pub(crate) fn mm(points: f32) -> f32 {
    points * 25.4 / 72.0
}

/// An RGB colour, each channel 0–1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Colour(pub f32, pub f32, pub f32);

impl Colour {
    pub(crate) const WHITE: Colour = Colour(1.0, 1.0, 1.0);
    /// The light grey behind a table's heading row.
    pub(crate) const SHADE: Colour = Colour(0.92, 0.93, 0.94);

    fn pdf(self) -> Color {
        Color::Rgb(Rgb {
            r: self.0,
            g: self.1,
            b: self.2,
            icc_profile: None,
        })
    }
}

/// A document being made: the PDF with both fonts added once, shared by all its pages.
pub(crate) struct Document {
    pdf: PdfDocument,
    regular: PdfFontHandle,
    bold: PdfFontHandle,
}

impl Document {
    pub(crate) fn new(title: &str) -> Document {
        let f = fonts();
        let mut pdf = PdfDocument::new(title);
        let regular = PdfFontHandle::External(pdf.add_font(&f.regular.font));
        let bold = PdfFontHandle::External(pdf.add_font(&f.bold.font));
        Document { pdf, regular, bold }
    }

    /// An empty page to draw on.
    pub(crate) fn canvas(&self) -> Canvas<'_> {
        Canvas {
            ops: Vec::new(),
            regular: &self.regular,
            bold: &self.bold,
        }
    }

    /// The finished PDF (fonts subset, streams compressed).
    pub(crate) fn save(mut self, pages: Vec<PdfPage>) -> anyhow::Result<Vec<u8>> {
        let mut warnings = Vec::new();
        let bytes = self
            .pdf
            .with_pages(pages)
            .save(&PdfSaveOptions::default(), &mut warnings);
        if bytes.starts_with(b"%PDF-") {
            Ok(bytes)
        } else {
            anyhow::bail!(
                "the PDF writer produced no document ({} warnings)",
                warnings.len()
            )
        }
    }
}

/// A page being drawn: ops plus the two font handles.
pub(crate) struct Canvas<'a> {
    ops: Vec<Op>,
    regular: &'a PdfFontHandle,
    bold: &'a PdfFontHandle,
}

impl Canvas<'_> {
    /// The finished page, `width` × `height` mm.
    pub(crate) fn page(self, width: f32, height: f32) -> PdfPage {
        PdfPage::new(Mm(width), Mm(height), self.ops)
    }

    fn face(bold: bool) -> &'static Face {
        let f = fonts();
        if bold { &f.bold } else { &f.regular }
    }

    /// `text` with its baseline starting at (`x`, `y`), in the current fill colour.
    pub(crate) fn text(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool) {
        if text.is_empty() {
            return;
        }
        self.ops.push(Op::StartTextSection);
        self.ops.push(Op::SetFont {
            font: if bold {
                self.bold.clone()
            } else {
                self.regular.clone()
            },
            size: Pt(size),
        });
        self.ops.push(Op::SetTextCursor {
            pos: Point::new(Mm(x), Mm(y)),
        });
        self.ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.to_owned())],
        });
        self.ops.push(Op::EndTextSection);
    }

    /// `text` centred on `x`.
    pub(crate) fn text_centred(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool) {
        let width = mm(Self::face(bold).width(text, size));
        self.text(x - width / 2.0, y, text, size, bold);
    }

    /// `text` ending at `x`.
    pub(crate) fn text_right(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool) {
        let width = mm(Self::face(bold).width(text, size));
        self.text(x - width, y, text, size, bold);
    }

    /// Sets the colour of the text and filled shapes drawn next.
    pub(crate) fn fill_colour(&mut self, colour: Colour) {
        self.ops.push(Op::SetFillColor { col: colour.pdf() });
    }

    /// Sets the colour of the lines and outlines drawn next.
    pub(crate) fn stroke_colour(&mut self, colour: Colour) {
        self.ops.push(Op::SetOutlineColor { col: colour.pdf() });
    }

    /// A straight line `width` points thick.
    pub(crate) fn line(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, width: f32) {
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        self.ops.push(Op::DrawLine {
            line: Line {
                points: vec![
                    LinePoint {
                        p: Point::new(Mm(x1), Mm(y1)),
                        bezier: false,
                    },
                    LinePoint {
                        p: Point::new(Mm(x2), Mm(y2)),
                        bezier: false,
                    },
                ],
                is_closed: false,
            },
        });
    }

    fn rectangle(&mut self, x: f32, y: f32, w: f32, h: f32, mode: PaintMode) {
        self.ops.push(Op::DrawRectangle {
            rectangle: Rect {
                x: Pt(pt(x)),
                y: Pt(pt(y)),
                width: Pt(pt(w)),
                height: Pt(pt(h)),
                mode: Some(mode),
                winding_order: None,
            },
        });
    }

    /// A rectangle filled with the current fill colour; (`x`, `y`) is its bottom-left corner.
    pub(crate) fn fill(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.rectangle(x, y, w, h, PaintMode::Fill);
    }

    /// A rectangle's outline, `width` points thick, in the current stroke colour.
    pub(crate) fn outline(&mut self, x: f32, y: f32, w: f32, h: f32, width: f32) {
        self.ops.push(Op::SetOutlineThickness { pt: Pt(width) });
        self.rectangle(x, y, w, h, PaintMode::Stroke);
    }

    /// A rectangle filled with `colour`, leaving the fill colour as it was.
    pub(crate) fn fill_with(&mut self, x: f32, y: f32, w: f32, h: f32, colour: Colour) {
        self.ops.push(Op::SaveGraphicsState);
        self.fill_colour(colour);
        self.fill(x, y, w, h);
        self.ops.push(Op::RestoreGraphicsState);
    }

    /// A light grey box, as behind a table's heading row.
    pub(crate) fn shade(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.fill_with(x, y, w, h, Colour::SHADE);
    }
}
