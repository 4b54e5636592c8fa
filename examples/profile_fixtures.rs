//! Reads every fixture page 200 times: `cargo run --release --example profile_fixtures` under a
//! profiler, to see where time goes on ordinary pages.
use scope_doctor::read::read;
use scope_doctor::snapshot::html::from_html;

fn main() {
    let mut snapshots = Vec::new();
    for entry in std::fs::read_dir("tests/fixtures").into_iter().flatten().flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "html") {
            snapshots.push(from_html(
                &std::fs::read_to_string(&path).unwrap_or_default(),
                "",
                &scope_doctor::read::labels::snapshot_rules(),
            ));
        }
    }
    let start = std::time::Instant::now();
    for _ in 0..200 {
        for s in &snapshots {
            std::hint::black_box(read(s));
        }
    }
    println!("{:?} per page", start.elapsed() / (200 * snapshots.len().max(1) as u32));
}
