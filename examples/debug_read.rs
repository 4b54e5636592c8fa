//! Prints a saved page's snapshot texts, the page kinds it looks like, and its reading:
//! `cargo run --example debug_read -- FILE.html`. For working on readers.
use scope_doctor::read::{page, read, KINDS};
use scope_doctor::snapshot::html::from_html;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: debug_read FILE.html");
        std::process::exit(2);
    };
    let html = std::fs::read_to_string(&path).unwrap_or_default();
    let snap = from_html(&html, "", &scope_doctor::read::labels::snapshot_rules());
    let view = page::Page::new(&snap);
    for i in view.content() {
        println!("{i:4} {:6} {}", snap.nodes[i].tag, snap.nodes[i].text);
    }
    let likeness: Vec<i32> = KINDS.iter().map(|kind| kind.likeness(&view)).collect();
    println!("likeness (api, app, users, token): {likeness:?}");
    println!("{:?}", read(&snap));
}
