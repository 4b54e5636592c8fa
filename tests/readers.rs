//! Every fixture page in tests/fixtures/ read natively must give its `.expected.json` exactly
//! (contract.md `read --json`, without `file`).

use scope_doctor::read::{labels::snapshot_rules, read};
use scope_doctor::snapshot::html::from_html;
use std::path::Path;

#[test]
fn every_fixture_reads_as_expected() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut failures = Vec::new();
    let mut count = 0;
    let mut paths: Vec<_> =
        std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "html")).collect();
    paths.sort();
    for html_path in paths {
        let expected_path = html_path.with_extension("expected.json");
        let html = std::fs::read_to_string(&html_path).unwrap();
        let expected: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap()).unwrap();
        let got = serde_json::to_value(read(&from_html(&html, "", &snapshot_rules())).without_anchors()).unwrap();
        count += 1;
        if got != expected {
            failures.push(format!("{}\n  got      {got}\n  expected {expected}", html_path.file_name().unwrap().to_string_lossy()));
        }
    }
    assert!(count >= 30, "only {count} fixtures");
    assert!(failures.is_empty(), "{} of {count} fixtures misread:\n{}", failures.len(), failures.join("\n"));
}

fn reading_of(name: &str) -> scope_doctor::read::Reading {
    let html = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap();
    read(&from_html(&html, "", &snapshot_rules()))
}

/// Badges name a package as the page does (`订单API权限`), so the reading keeps that wording
/// beside the id; `read --json` still has ids only.
#[test]
fn the_names_pages_show_for_packages_are_kept_for_badges() {
    use scope_doctor::read::Reading;
    let Reading::ApiDetail(api) = reading_of("api-h1-only-order.html") else { panic!("not an API page") };
    assert_eq!(api.names, vec![("merchant_order".to_string(), "订单API权限".to_string())]);
    let Reading::AppDetail(app) = reading_of("app-cards-chinese-names.html") else { panic!("not an app page") };
    let named: Vec<(&str, Option<&str>)> = app.packages.iter().map(|p| (p.scope.as_str(), p.name.as_deref())).collect();
    assert!(named.contains(&("merchant_order", Some("订单API权限"))), "{named:?}");
    assert!(named.contains(&("merchant_item", Some("商品信息(授权)"))), "{named:?}");
    let contract = serde_json::to_string(&Reading::AppDetail(app).without_anchors()).unwrap();
    assert!(!contract.contains("\"name\""), "{contract}");
}

/// A token tool result that names its app binds the token's packages to that app, not to
/// whichever app is current; `read --json` keeps the contract's `scopes` only.
#[test]
fn the_token_tool_result_names_its_app() {
    use scope_doctor::read::Reading;
    let app_of = |name: &str| match reading_of(name) {
        Reading::TokenInfo(page) => page.app_key,
        other => panic!("{name}: not the token tool: {other:?}"),
    };
    assert_eq!(app_of("b5-token-json-pre-highlight.html").as_deref(), Some("ks551903284716"), "a highlighted JSON result");
    assert_eq!(app_of("b5-token-english-tabs-hidden-result.html").as_deref(), Some("ks730215948806"), "a labelled field");
    assert_eq!(app_of("token-no-result.html"), None, "no result, no app");
    let contract = serde_json::to_string(&reading_of("b5-token-json-pre-highlight.html").without_anchors()).unwrap();
    assert!(!contract.contains("app_key"), "{contract}");
}
