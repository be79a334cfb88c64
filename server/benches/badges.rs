//! Badge PDF generation for 1,000 and 10,000 attendees: wall time (median of runs), peak
//! heap while rendering (a counting allocator), and file size.
//!
//! `cargo bench -p server --bench badges`

use app::domain::badges::{Badge, Layout};
use std::alloc::{GlobalAlloc, Layout as AllocLayout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: AllocLayout) -> *mut u8 {
        let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: AllocLayout) {
        CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const FIRST: [&str; 10] = [
    "Ada",
    "Zoë",
    "Łukasz",
    "山田",
    "Grace",
    "Søren",
    "Nguyễn",
    "Ярослава",
    "Maximiliane-Josephine",
    "김지우",
];
const LAST: [&str; 10] = [
    "Lovelace",
    "Kowalska",
    "Nowak",
    "太郎",
    "Hopper",
    "Kierkegaard",
    "Thị Minh Khai",
    "Ковальчук",
    "Wolfeschlegelsteinhausenbergerdorff",
    "Park",
];

fn badges(n: usize) -> Vec<Badge> {
    (0..n)
        .map(|i| Badge {
            id: i as i32,
            first_name: FIRST[i % FIRST.len()].to_owned(),
            last_name: format!("{} {}", LAST[(i / 10) % LAST.len()], i),
            organisation: Some(format!("Organisation {}", i % 97)),
            role: Some("Engineer".to_owned()),
            // 20 random-looking bytes of hex, like real tokens.
            checkin_token: format!(
                "{:040x}",
                (i as u128).wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C834)
            ),
        })
        .collect()
}

fn main() {
    app::badge_pdf::warm_up();
    println!(
        "machine: {} cores; fonts parsed before timing",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
    );
    println!("| badges | layout | pages | median wall (ms) | peak heap (MB) | file (MB) | MB per 1,000 |");
    println!("|---|---|---|---|---|---|---|");
    for (n, runs) in [(1_000, 7), (10_000, 3)] {
        for layout in [Layout::A4TwoByFour, Layout::LetterTwoByThree] {
            let people = badges(n);
            let mut times = Vec::new();
            let mut peak = 0;
            let mut size = 0;
            let mut pages = 0;
            for _ in 0..runs {
                let before = CURRENT.load(Ordering::Relaxed);
                PEAK.store(before, Ordering::Relaxed);
                let start = Instant::now();
                let sheet =
                    app::badge_pdf::render("RustConf 2030 — Networking Day", &people, layout);
                times.push(start.elapsed().as_secs_f64() * 1000.0);
                peak = peak.max(PEAK.load(Ordering::Relaxed) - before);
                size = sheet.bytes.len();
                pages = sheet.pages;
            }
            times.sort_by(f64::total_cmp);
            let mb = |bytes: usize| bytes as f64 / 1_048_576.0;
            println!(
                "| {n} | {} | {pages} | {:.0} | {:.1} | {:.2} | {:.2} |",
                layout.name(),
                times[times.len() / 2],
                mb(peak),
                mb(size),
                mb(size) / (n as f64 / 1000.0),
            );
        }
    }
}
