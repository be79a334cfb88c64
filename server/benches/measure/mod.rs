//! What the benchmarks share: percentiles of sorted timings and the process's resident memory.

/// The `p` quantile (0..=1) of sorted values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// This process's resident memory, in MB.
#[allow(dead_code)]
pub fn rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// How many cores this machine has, for the line every benchmark prints first.
#[allow(dead_code)]
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
