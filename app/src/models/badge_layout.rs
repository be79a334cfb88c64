//! Badge label stock, shared by the organiser's sheets (PDF and print view) and the self
//! check-in kiosk's printer.

use crate::error::AppError;
use serde::Deserialize;

/// Common badge label stock: sheets for office printers, and one badge a page for label and
/// card printers (the organiser's sheets and the self check-in kiosk).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum BadgeLayout {
    /// A4, 2 columns × 4 rows of 90 × 67.5 mm.
    #[default]
    #[serde(rename = "a4-2x4")]
    A4TwoByFour,
    /// US Letter, 2 × 3 badges of 4 × 3 in (Avery 5392 and alike).
    #[serde(rename = "letter-2x3")]
    LetterTwoByThree,
    /// One badge per 62 × 100 mm label: continuous rolls of label printers (Brother QL).
    #[serde(rename = "label-62x100")]
    Label62x100,
    /// One badge per 4 × 3 in card: badge card printers (Zebra, Epson ColorWorks).
    #[serde(rename = "card-4x3")]
    Card4x3,
}

/// Sizes in millimetres.
pub struct LayoutSpec {
    pub page_w: f32,
    pub page_h: f32,
    pub columns: usize,
    pub rows: usize,
    pub badge_w: f32,
    pub badge_h: f32,
    pub margin_x: f32,
    pub margin_y: f32,
}

impl BadgeLayout {
    pub fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        match raw.map(str::trim) {
            None | Some("") | Some("a4-2x4") => Ok(Self::A4TwoByFour),
            Some("letter-2x3") => Ok(Self::LetterTwoByThree),
            Some("label-62x100") => Ok(Self::Label62x100),
            Some("card-4x3") => Ok(Self::Card4x3),
            Some(_) => Err(AppError::field(
                "layout",
                "Choose a4-2x4 (A4, 8 per page), letter-2x3 (US Letter, 6 per page), \
                 label-62x100 (62 × 100 mm labels) or card-4x3 (4 × 3 in cards).",
            )),
        }
    }

    pub fn spec(self) -> LayoutSpec {
        match self {
            Self::A4TwoByFour => LayoutSpec {
                page_w: 210.0,
                page_h: 297.0,
                columns: 2,
                rows: 4,
                badge_w: 90.0,
                badge_h: 67.5,
                margin_x: 15.0,
                margin_y: 13.5,
            },
            Self::LetterTwoByThree => LayoutSpec {
                page_w: 215.9,
                page_h: 279.4,
                columns: 2,
                rows: 3,
                badge_w: 101.6,
                badge_h: 76.2,
                margin_x: 6.35,
                margin_y: 25.4,
            },
            Self::Label62x100 => Self::one_per_page(62.0, 100.0),
            Self::Card4x3 => Self::one_per_page(101.6, 76.2),
        }
    }

    /// A label or card printer's stock: the page is the badge.
    fn one_per_page(w: f32, h: f32) -> LayoutSpec {
        LayoutSpec {
            page_w: w,
            page_h: h,
            columns: 1,
            rows: 1,
            badge_w: w,
            badge_h: h,
            margin_x: 0.0,
            margin_y: 0.0,
        }
    }

    /// Every layout, sheets first.
    pub const ALL: [Self; 4] = [
        Self::A4TwoByFour,
        Self::LetterTwoByThree,
        Self::Label62x100,
        Self::Card4x3,
    ];

    /// The badge printers' stock: one badge a page (the kiosk prints on these).
    pub const PRINTERS: [Self; 2] = [Self::Label62x100, Self::Card4x3];

    /// For people choosing it.
    pub fn label(self) -> &'static str {
        match self {
            Self::A4TwoByFour => "A4 — 8 per page (90 × 67.5 mm)",
            Self::LetterTwoByThree => "US Letter — 6 per page (4 × 3 in)",
            Self::Label62x100 => "Label printer — 62 × 100 mm labels",
            Self::Card4x3 => "Card printer — 4 × 3 in cards",
        }
    }

    /// The page's size for print CSS (`@page { size: … }`).
    pub fn css_page_size(self) -> String {
        match self {
            Self::A4TwoByFour => "A4".into(),
            Self::LetterTwoByThree => "letter".into(),
            _ => {
                let spec = self.spec();
                format!("{}mm {}mm", spec.page_w, spec.page_h)
            }
        }
    }

    pub fn per_page(self) -> usize {
        let spec = self.spec();
        spec.columns * spec.rows
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::A4TwoByFour => "a4-2x4",
            Self::LetterTwoByThree => "letter-2x3",
            Self::Label62x100 => "label-62x100",
            Self::Card4x3 => "card-4x3",
        }
    }
}
