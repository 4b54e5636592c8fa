//! Reads one saved page many times, padded to ~20,000 nodes: `cargo run --release --example
//! profile_read -- FILE.html` under a profiler, to find where reading time goes.
use scope_doctor::read::read;
use scope_doctor::snapshot::{html::from_html, Node, Snapshot};

fn main() {
    let path = std::env::args().nth(1).unwrap_or_else(|| "tests/fixtures/api-ant-descriptions.html".into());
    let base = from_html(&std::fs::read_to_string(path).unwrap_or_default(), "", &scope_doctor::read::labels::snapshot_rules());
    let mut nodes = base.nodes.clone();
    let pad = nodes.len();
    for i in 0..20_000usize.saturating_sub(pad) {
        let text = if i % 7 == 0 { format!("open.item.param{i}.get") } else { format!("参数{i}") };
        nodes.push(Node { tag: if i % 3 == 0 { "tr".into() } else { "td".into() }, parent: Some(1), text, attrs: vec![], visible: true });
    }
    let big = Snapshot::new("", nodes);
    let start = std::time::Instant::now();
    for _ in 0..1 {
        std::hint::black_box(read(&big));
    }
    println!("{:?} per read of {} nodes", start.elapsed(), big.nodes.len());
}
