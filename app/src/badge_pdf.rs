//! Badge sheets as real PDF: several badges per page on common label stock, each with the
//! attendee's names in embedded Unicode fonts (shrunk to fit, never overflowing) and their
//! check-in QR code drawn as vector rectangles.

use crate::domain::badges::{Badge, Layout};
use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};
use std::collections::BTreeSet;
use std::sync::LazyLock;

const REGULAR: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../fonts/DejaVuSans-Bold.ttf");
/// For characters DejaVu lacks: Chinese and Japanese, then Korean Hangul.
const CJK: &[u8] = include_bytes!("../fonts/DroidSansFallbackFull.ttf");
const HANGUL: &[u8] = include_bytes!("../fonts/NanumSquareR.ttf");

struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
    /// Tried in order for a character the face lacks.
    fallbacks: [ParsedFont; 2],
}

// Parsing the fonts takes a while (the CJK one has ~50,000 glyphs): once per process.
static FONTS: LazyLock<Fonts> = LazyLock::new(|| {
    let parse = |bytes: &[u8]| {
        ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("the bundled fonts parse")
    };
    Fonts {
        regular: parse(REGULAR),
        bold: parse(BOLD),
        fallbacks: [parse(CJK), parse(HANGUL)],
    }
});

/// Parses the bundled fonts now rather than on the first sheet.
pub fn warm_up() {
    LazyLock::force(&FONTS);
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Face {
    Regular,
    Bold,
}

/// Which font draws a run: the face itself, or fallback `n`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Source {
    Face,
    Fallback(usize),
}

/// The fonts of one document: an id per font slot (regular, bold, then the fallbacks) and the
/// characters each slot drew, so that only those glyphs are embedded.
struct DocFonts {
    ids: Vec<FontId>,
    used: Vec<BTreeSet<char>>,
}

fn slot(face: Face, source: Source) -> usize {
    match (source, face) {
        (Source::Face, Face::Regular) => 0,
        (Source::Face, Face::Bold) => 1,
        (Source::Fallback(n), _) => 2 + n,
    }
}

fn slot_font(slot: usize) -> &'static ParsedFont {
    match slot {
        0 => &FONTS.regular,
        1 => &FONTS.bold,
        n => &FONTS.fallbacks[n - 2],
    }
}

impl DocFonts {
    fn new() -> Self {
        let slots = 2 + FONTS.fallbacks.len();
        Self {
            ids: (0..slots)
                .map(|n| FontId(format!("NetEventFont{n}")))
                .collect(),
            used: vec![BTreeSet::new(); slots],
        }
    }

    /// The font for a run, noting its characters.
    fn take(&mut self, face: Face, source: Source, run: &str) -> FontId {
        let slot = slot(face, source);
        self.used[slot].extend(run.chars());
        self.ids[slot].clone()
    }

    /// Adds to `doc` each font that drew something, cut down to the glyphs it drew.
    fn embed(self, doc: &mut PdfDocument) {
        for (slot, (id, chars)) in self.ids.into_iter().zip(self.used).enumerate() {
            if chars.is_empty() {
                continue;
            }
            let full = slot_font(slot);
            let font = subset(full, &chars).unwrap_or_else(|| full.clone());
            doc.resources.fonts.map.insert(id, PdfFont::new(font));
        }
    }
}

/// A copy of `font` holding only the glyphs of `chars` (and .notdef), with its own cmap.
fn subset(font: &ParsedFont, chars: &BTreeSet<char>) -> Option<ParsedFont> {
    use allsorts::binary::read::ReadScope;
    use allsorts::font_data::FontData;
    use allsorts::subset::{subset, CmapTarget, SubsetProfile};
    let data = ReadScope::new(&font.original_bytes)
        .read::<FontData<'_>>()
        .ok()?;
    let provider = data.table_provider(font.font_index as usize).ok()?;
    let mut glyphs: Vec<u16> = chars
        .iter()
        .filter_map(|ch| font.codepoint_to_glyph.get(&(*ch as u32)).copied())
        .filter(|gid| *gid != 0)
        .collect();
    glyphs.sort_unstable();
    glyphs.dedup();
    glyphs.insert(0, 0);
    let bytes = subset(&provider, &glyphs, &SubsetProfile::Pdf, CmapTarget::Unicode).ok()?;
    ParsedFont::from_bytes(&bytes, 0, &mut Vec::new())
}

fn parsed(face: Face, source: Source) -> &'static ParsedFont {
    slot_font(slot(face, source))
}

fn has(font: &ParsedFont, ch: char) -> bool {
    font.codepoint_to_glyph.contains_key(&(ch as u32))
}

/// Splits `text` into runs, each drawn by the first font that has its characters.
fn runs(text: &str, face: Face) -> Vec<(Source, String)> {
    let primary = parsed(face, Source::Face);
    let mut out: Vec<(Source, String)> = Vec::new();
    for ch in text.chars() {
        let source = if has(primary, ch) {
            Source::Face
        } else {
            FONTS
                .fallbacks
                .iter()
                .position(|font| has(font, ch))
                .map_or(Source::Face, Source::Fallback)
        };
        match out.last_mut() {
            Some((s, run)) if *s == source => run.push(ch),
            _ => out.push((source, ch.to_string())),
        }
    }
    out
}

/// Width of `text` at `size` points.
fn width(text: &str, face: Face, size: f32) -> f32 {
    runs(text, face)
        .iter()
        .map(|(source, run)| {
            let font = parsed(face, *source);
            let units: u32 = run
                .chars()
                .map(|ch| {
                    font.codepoint_to_glyph
                        .get(&(ch as u32))
                        .and_then(|gid| font.glyph_widths.get(gid))
                        .copied()
                        .unwrap_or(0) as u32
                })
                .sum();
            units as f32 / f32::from(font.units_per_em.max(1)) * size
        })
        .sum()
}

/// The largest size up to `max` (down to `min`) at which `text` fits in `room` points; below
/// `min` the text is cut with an ellipsis rather than overflow the badge.
fn fit(text: &str, face: Face, max: f32, min: f32, room: f32) -> (String, f32) {
    let at_max = width(text, face, max);
    if at_max <= room {
        return (text.to_owned(), max);
    }
    let size = (max * room / at_max).max(min);
    if width(text, face, size) <= room {
        return (text.to_owned(), size);
    }
    let mut cut: Vec<char> = text.chars().collect();
    while !cut.is_empty() {
        cut.pop();
        let candidate = format!("{}…", cut.iter().collect::<String>().trim_end());
        if width(&candidate, face, size) <= room {
            return (candidate, size);
        }
    }
    (String::new(), size)
}

const fn rgb(r: f32, g: f32, b: f32) -> Rgb {
    Rgb {
        r,
        g,
        b,
        icc_profile: None,
    }
}

const INK: Rgb = rgb(0.07, 0.09, 0.15);
const MUTED: Rgb = rgb(0.29, 0.33, 0.39);
const BRAND: Rgb = rgb(0.263, 0.22, 0.792);
const WHITE: Rgb = rgb(1.0, 1.0, 1.0);
const CUT_LINE: Rgb = rgb(0.7, 0.7, 0.7);

fn mm(value: f32) -> f32 {
    Mm(value).into_pt().0
}

/// Where a page's drawing goes, and the fonts it has used.
struct Pen<'a> {
    ops: &'a mut Vec<Op>,
    fonts: &'a mut DocFonts,
}

/// A badge's rectangle on the page, in points from the lower left corner.
#[derive(Clone, Copy)]
struct Area {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
}

/// One line of text, in runs of the right font, starting at (x, y) in points.
fn text(pen: &mut Pen, (face, size): (Face, f32), (x, y): (f32, f32), text: &str, colour: Rgb) {
    let ops = &mut *pen.ops;
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFillColor {
        col: Color::Rgb(colour),
    });
    ops.push(Op::SetTextCursor {
        pos: Point { x: Pt(x), y: Pt(y) },
    });
    for (source, run) in runs(text, face) {
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(pen.fonts.take(face, source, &run)),
            size: Pt(size),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(run)],
        });
    }
    ops.push(Op::EndTextSection);
}

fn filled(ops: &mut Vec<Op>, x: f32, y: f32, w: f32, h: f32) {
    ops.push(Op::DrawRectangle {
        rectangle: Rect {
            mode: Some(PaintMode::Fill),
            ..Rect::from_xywh(Pt(x), Pt(y), Pt(w), Pt(h))
        },
    });
}

/// The QR code as dark rectangles, one per horizontal run of modules, with (x, y) its lower
/// left corner and `side` its size including the quiet zone.
fn qr(ops: &mut Vec<Op>, token: &str, x: f32, y: f32, side: f32) {
    // Upper-case hex fits the denser alphanumeric mode: a smaller code with larger modules.
    let Ok(code) = qrcode::QrCode::with_error_correction_level(
        token.to_ascii_uppercase().as_bytes(),
        qrcode::EcLevel::M,
    ) else {
        return;
    };
    let n = code.width();
    let quiet = 2;
    let module = side / (n + 2 * quiet) as f32;
    let colours = code.to_colors();
    ops.push(Op::SetFillColor {
        col: Color::Rgb(INK),
    });
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colours[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colours[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                filled(
                    ops,
                    x + (quiet + start) as f32 * module,
                    y + side - (quiet + row + 1) as f32 * module,
                    (col - start) as f32 * module,
                    module,
                );
            } else {
                col += 1;
            }
        }
    }
}

fn badge(pen: &mut Pen, event_name: &str, badge: &Badge, area: Area) {
    let Area { x, y, w, h } = area;
    let pad = mm(5.0);
    let ops = &mut *pen.ops;
    // Cut line around the badge.
    ops.push(Op::SetOutlineColor {
        col: Color::Rgb(CUT_LINE),
    });
    ops.push(Op::SetOutlineThickness { pt: Pt(0.5) });
    ops.push(Op::DrawLine {
        line: Line {
            points: [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]
                .into_iter()
                .map(|(x, y)| LinePoint {
                    p: Point { x: Pt(x), y: Pt(y) },
                    bezier: false,
                })
                .collect(),
            is_closed: true,
        },
    });
    // Event band across the top.
    let band = mm(11.0);
    ops.push(Op::SetFillColor {
        col: Color::Rgb(BRAND),
    });
    filled(ops, x, y + h - band, w, band);
    let (event_line, event_size) = fit(event_name, Face::Bold, 11.0, 7.0, w - 2.0 * pad);
    text(
        pen,
        (Face::Bold, event_size),
        (x + pad, y + h - band + (band - event_size * 0.72) / 2.0),
        &event_line,
        WHITE,
    );

    let room = w - 2.0 * pad;
    let mut cursor = y + h - band - mm(4.0);
    let (first, size) = fit(&badge.first_name, Face::Bold, 30.0, 12.0, room);
    cursor -= size * 0.8;
    text(pen, (Face::Bold, size), (x + pad, cursor), &first, INK);
    let full = format!("{} {}", badge.first_name, badge.last_name);
    let (full, size) = fit(&full, Face::Regular, 13.0, 7.0, room);
    cursor -= size + mm(2.5);
    text(pen, (Face::Regular, size), (x + pad, cursor), &full, INK);

    // Organisation and role sit left of the QR code in the lower part; on a portrait label
    // (narrower than tall) there is no room beside it: they go under the name, across the
    // badge, and the QR code is centred below.
    let qr_side = (h * 0.42).min(mm(30.0));
    let tall = h > w;
    let qr_x = match tall {
        true => x + (w - qr_side) / 2.0,
        false => x + w - qr_side - mm(2.0),
    };
    qr(pen.ops, &badge.checkin_token, qr_x, y + mm(2.0), qr_side);
    let (mut line_y, line_room) = match tall {
        true => (cursor - mm(8.0), room),
        false => (y + pad + mm(6.0), w - qr_side - pad - mm(4.0)),
    };
    for (value, face, max, colour) in [
        (badge.organisation.as_deref(), Face::Bold, 12.0, INK),
        (badge.role.as_deref(), Face::Regular, 10.5, MUTED),
    ] {
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            let (line, size) = fit(value, face, max, 6.5, line_room);
            text(pen, (face, size), (x + pad, line_y), &line, colour);
        }
        line_y -= mm(5.5);
    }
}

/// The text and font size (pt) at which `text` fits `room_mm` millimetres in the badge fonts,
/// for the HTML sheet to size its names exactly as the PDF does.
pub fn fitted(text: &str, bold: bool, max: f32, min: f32, room_mm: f32) -> (String, f32) {
    let face = if bold { Face::Bold } else { Face::Regular };
    fit(text, face, max, min, mm(room_mm))
}

/// A finished PDF and how many pages it has.
pub struct Sheet {
    pub bytes: Vec<u8>,
    pub pages: usize,
}

/// Badges rendered per part: a part's page operations and objects are the memory that
/// grows with the sheet, so a large event is rendered part by part and the compressed parts
/// joined, keeping the peak near that of one part plus the finished file.
const PAGES_PER_PART: usize = 50;

/// Renders one badge per attendee, in the given order, `layout` many to a page.
pub fn render(event_name: &str, badges: &[Badge], layout: Layout) -> Sheet {
    let per_part = layout.per_page() * PAGES_PER_PART;
    let mut pages = 0;
    let mut joined: Option<lopdf::Document> = None;
    let mut chunks = badges.chunks(per_part).peekable();
    if chunks.peek().is_none() {
        // No attendees: one empty page rather than an invalid file.
        let (part, count) = render_part(event_name, &[], layout);
        pages += count;
        joined = Some(part);
    }
    for chunk in chunks {
        let (part, count) = render_part(event_name, chunk, layout);
        pages += count;
        joined = Some(match joined {
            None => part,
            Some(mut whole) => {
                append(&mut whole, part);
                whole
            }
        });
    }
    let mut document = joined.expect("at least one part");
    let mut bytes = Vec::new();
    if let Err(error) = document.save_to(&mut bytes) {
        tracing::error!(%error, "could not write a badge sheet");
    }
    Sheet { bytes, pages }
}

/// One part of the sheet as a compressed PDF object tree, and its page count.
fn render_part(event_name: &str, badges: &[Badge], layout: Layout) -> (lopdf::Document, usize) {
    let mut doc = PdfDocument::new(&format!("Badges — {event_name}"));
    let mut fonts = DocFonts::new();
    let spec = layout.spec();
    let per_page = layout.per_page();
    let mut pages = Vec::with_capacity(badges.len().div_ceil(per_page).max(1));
    for chunk in badges.chunks(per_page) {
        let mut ops = Vec::with_capacity(chunk.len() * 400);
        for (i, attendee) in chunk.iter().enumerate() {
            let (col, row) = (i % spec.columns, i / spec.columns);
            let x = mm(spec.margin_x + col as f32 * spec.badge_w);
            // Rows from the top of the page down; badges touch (label sheets have no gaps).
            let y = mm(spec.page_h - spec.margin_y - (row + 1) as f32 * spec.badge_h);
            let area = Area {
                x,
                y,
                w: mm(spec.badge_w),
                h: mm(spec.badge_h),
            };
            let mut pen = Pen {
                ops: &mut ops,
                fonts: &mut fonts,
            };
            badge(&mut pen, event_name, attendee, area);
        }
        pages.push(PdfPage::new(Mm(spec.page_w), Mm(spec.page_h), ops));
    }
    if pages.is_empty() {
        pages.push(PdfPage::new(Mm(spec.page_w), Mm(spec.page_h), Vec::new()));
    }
    let count = pages.len();
    fonts.embed(&mut doc);
    doc.with_pages(pages);
    let mut part = doc.to_lopdf_document(&PdfSaveOptions::default(), &mut Vec::new());
    part.compress();
    (part, count)
}

/// Moves the pages of `part` (with their own resources: each part has its own font subsets)
/// to the end of `whole`.
fn append(whole: &mut lopdf::Document, mut part: lopdf::Document) {
    use lopdf::Object;
    part.renumber_objects_with(whole.max_id + 1);
    let part_pages: Vec<lopdf::ObjectId> = part.get_pages().into_values().collect();
    let Some(pages_id) = pages_root(whole) else {
        return;
    };
    let part_root = pages_root(&part);
    let part_catalog = part
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .ok();
    let part_info = part
        .trailer
        .get(b"Info")
        .and_then(Object::as_reference)
        .ok();
    whole.max_id = part.max_id;
    for (id, object) in part.objects {
        if Some(id) != part_root && Some(id) != part_catalog && Some(id) != part_info {
            whole.objects.insert(id, object);
        }
    }
    for page in &part_pages {
        if let Ok(dict) = whole.get_object_mut(*page).and_then(Object::as_dict_mut) {
            dict.set("Parent", Object::Reference(pages_id));
        }
    }
    if let Ok(root) = whole.get_object_mut(pages_id).and_then(Object::as_dict_mut) {
        let mut kids = root
            .get(b"Kids")
            .and_then(Object::as_array)
            .cloned()
            .unwrap_or_default();
        kids.extend(part_pages.iter().map(|id| Object::Reference(*id)));
        root.set("Count", Object::Integer(kids.len() as i64));
        root.set("Kids", Object::Array(kids));
    }
}

/// The document's page tree root.
fn pages_root(document: &lopdf::Document) -> Option<lopdf::ObjectId> {
    document
        .catalog()
        .ok()?
        .get(b"Pages")
        .and_then(lopdf::Object::as_reference)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_in_any_script_find_a_font() {
        let run = |source, text: &str| (source, text.to_owned());
        assert_eq!(
            runs("Zoë Łukasz", Face::Bold),
            vec![run(Source::Face, "Zoë Łukasz")]
        );
        assert_eq!(
            runs("Taro 山田 김지우", Face::Regular),
            vec![
                run(Source::Face, "Taro "),
                run(Source::Fallback(0), "山田"),
                run(Source::Face, " "),
                run(Source::Fallback(1), "김지우"),
            ]
        );
    }

    #[test]
    fn long_names_shrink_and_then_are_cut() {
        let room = mm(80.0);
        let (short, size) = fit("Ada", Face::Bold, 30.0, 12.0, room);
        assert_eq!((short.as_str(), size), ("Ada", 30.0));
        let (long, size) = fit("Maximiliane-Josephine", Face::Bold, 30.0, 12.0, room);
        assert!((12.0..30.0).contains(&size) && long == "Maximiliane-Josephine");
        assert!(width(&long, Face::Bold, size) <= room);
        let endless = "Wolfeschlegelsteinhausenbergerdorff ".repeat(4);
        let (cut, size) = fit(&endless, Face::Bold, 30.0, 12.0, room);
        assert_eq!(size, 12.0);
        assert!(cut.ends_with('…') && width(&cut, Face::Bold, size) <= room);
    }

    #[test]
    fn a_large_sheet_is_joined_from_parts_with_every_page_and_name() {
        let badges: Vec<Badge> = (0..850)
            .map(|i| Badge {
                id: i,
                first_name: if i % 2 == 0 {
                    "Zoë".into()
                } else {
                    "山田".into()
                },
                last_name: format!("Person{i:04}"),
                organisation: None,
                role: None,
                checkin_token: format!("{i:040x}"),
            })
            .collect();
        let sheet = render("Big Event", &badges, Layout::A4TwoByFour);
        // 850 badges at 8 a page, rendered in parts of 400 badges.
        assert_eq!(sheet.pages, 107);
        let document = lopdf::Document::load_mem(&sheet.bytes).unwrap();
        assert_eq!(document.get_pages().len(), 107);
        let first = document.extract_text(&[1]).unwrap();
        let last = document.extract_text(&[107]).unwrap();
        assert!(first.contains("Person0000"), "{first}");
        assert!(last.contains("Person0849"), "{last}");
    }
}
