//! The badge sheet as print-ready HTML: the same layout as the PDF, with the page size and
//! margins set in print CSS, for printing straight from the browser.

use crate::badge_pdf::fitted;
use crate::domain::badges::{Badge, Layout};

/// Text made safe to place in HTML, in an element or a quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// The check-in QR code of `token` as SVG (upper-case hex: the denser alphanumeric mode).
pub fn qr_svg(token: &str) -> String {
    qrcode::QrCode::with_error_correction_level(
        token.to_ascii_uppercase().as_bytes(),
        qrcode::EcLevel::M,
    )
    .map(|code| {
        code.render::<qrcode::render::svg::Color>()
            .quiet_zone(true)
            .min_dimensions(100, 100)
            .build()
    })
    .unwrap_or_default()
}

/// One badge as an `<article>`, its text fitted as in the PDF.
fn article(event_name: &str, badge: &Badge, layout: Layout) -> String {
    let spec = layout.spec();
    let room = spec.badge_w - 10.0;
    let (event, event_size) = fitted(event_name, true, 11.0, 7.0, room);
    let (first, first_size) = fitted(&badge.first_name, true, 30.0, 12.0, room);
    let full = format!("{} {}", badge.first_name, badge.last_name);
    let (full, full_size) = fitted(&full, false, 13.0, 7.0, room);
    // A portrait label has no room beside the QR code: organisation and role go
    // across the badge, above it (as in the PDF).
    let tall = spec.badge_h > spec.badge_w;
    let beside = match tall {
        true => room,
        false => spec.badge_w - 30.0 - 9.0,
    };
    let line = |value: &Option<String>, bold: bool, max: f32, class: &str| {
        value
            .as_deref()
            .filter(|v| !v.is_empty())
            .map(|v| {
                let (text, size) = fitted(v, bold, max, 6.5, beside);
                format!(
                    "<p class=\"{class}\" style=\"font-size:{size:.1}pt\">{}</p>",
                    escape(&text)
                )
            })
            .unwrap_or_default()
    };
    format!(
        "<article class=\"badge{tall}\" data-attendee=\"{id}\">\
         <header style=\"font-size:{event_size:.1}pt\">{event}</header>\
         <p class=\"first\" style=\"font-size:{first_size:.1}pt\">{first}</p>\
         <p class=\"full\" style=\"font-size:{full_size:.1}pt\">{full}</p>\
         <div class=\"lower\"><div>{organisation}{role}</div><div class=\"qr\">{qr}</div></div>\
         </article>",
        id = badge.id,
        tall = if tall { " tall" } else { "" },
        event = escape(&event),
        first = escape(&first),
        full = escape(&full),
        organisation = line(&badge.organisation, true, 12.0, "org"),
        role = line(&badge.role, false, 10.5, "role"),
        qr = qr_svg(&badge.checkin_token),
    )
}

/// The look of a badge, the same on the sheet and in an attendee's preview.
const BADGE_STYLE: &str = r#"* { box-sizing: border-box; }
body { margin: 0; font-family: "DejaVu Sans", "Noto Sans", "Noto Sans CJK JP", system-ui, sans-serif; color: #111827; }
.badge { border: 0.5pt solid #b3b3b3; overflow: hidden; display: flex; flex-direction: column; break-inside: avoid; background: #fff; }
.badge header { background: #4338ca; color: #fff; font-weight: 700; height: 11mm; padding: 0 5mm; display: flex; align-items: center; white-space: nowrap; overflow: hidden; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.badge p { margin: 0 5mm; white-space: nowrap; overflow: hidden; }
.first { font-weight: 700; margin-top: 3mm !important; line-height: 1.1; }
.full { margin-top: 1.5mm !important; }
.lower { margin-top: auto; display: flex; align-items: flex-end; justify-content: space-between; }
.lower > div:first-child { padding-bottom: 4mm; min-width: 0; }
.org { font-weight: 700; } .role { color: #4b5563; }
.qr { width: 30mm; height: 30mm; margin: 0 2mm 2mm 0; flex: none; }
.qr svg { width: 100%; height: 100%; }
.badge.tall .lower { flex-direction: column; align-items: center; }
.badge.tall .lower > div:first-child { align-self: stretch; padding-bottom: 2mm; }"#;

/// One attendee's badge alone, at its printed size, as a document for an `<iframe srcdoc>`:
/// what they will wear, before it is printed.
pub fn preview(event_name: &str, badge: &Badge, layout: Layout) -> String {
    let spec = layout.spec();
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><style>{BADGE_STYLE}\n\
         .badge {{ width: {w}mm; height: {h}mm; }}</style></head><body>{article}</body></html>",
        w = spec.badge_w,
        h = spec.badge_h,
        article = article(event_name, badge, layout),
    )
}

pub fn render(event_name: &str, badges: &[Badge], layout: Layout, pdf_href: &str) -> String {
    let spec = layout.spec();
    let page_size = layout.css_page_size();
    let mut pages = String::new();
    for chunk in badges.chunks(layout.per_page()) {
        pages.push_str("<section class=\"page\">");
        for badge in chunk {
            pages.push_str(&article(event_name, badge, layout));
        }
        pages.push_str("</section>");
    }
    let count = badges.len();
    format!(
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Badges — {title}</title>
<style>
@page {{ size: {page_size}; margin: {my}mm {mx}mm; }}
{badge_style}
.page {{ display: grid; grid-template-columns: repeat({columns}, {bw}mm); grid-auto-rows: {bh}mm; break-after: page; }}
.page:last-child {{ break-after: auto; }}
.toolbar {{ font: 16px system-ui, sans-serif; padding: 1rem; background: #eef2ff; display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; }}
@media screen {{
  body {{ background: #e5e7eb; }}
  .page {{ background: #fff; width: {pw}mm; min-height: {ph}mm; padding: {my}mm {mx}mm; margin: 1rem auto; box-shadow: 0 2px 12px rgb(0 0 0 / 0.15); }}
}}
@media print {{ .toolbar {{ display: none; }} }}
</style></head>
<body>
<div class="toolbar"><strong>{count} badges · {pages_n} pages</strong><span>Print with your browser (Ctrl+P / ⌘P) at 100% scale, or</span><a href="{pdf}">download the PDF</a></div>
{pages}
</body></html>"#,
        title = escape(event_name),
        badge_style = BADGE_STYLE,
        my = spec.margin_y,
        mx = spec.margin_x,
        columns = spec.columns,
        bw = spec.badge_w,
        bh = spec.badge_h,
        pw = spec.page_w,
        ph = spec.page_h,
        pages_n = count.div_ceil(layout.per_page()),
        pdf = escape(pdf_href),
    )
}
