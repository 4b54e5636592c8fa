//! The `scope-doctor` binary as contract.md describes it: `read` and `diagnose`, JSON and
//! human output, and bad input (exit code 2, the other inputs still processed).

use serde_json::Value;
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}.html", env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scope-doctor")).args(args).stdin(Stdio::null()).output().expect("binary runs")
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).expect("one JSON object per line")).collect()
}

fn findings(args: &[&str]) -> Vec<Value> {
    let out = run(&[&["diagnose"], args, &["--json"]].concat());
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v["findings"].as_array().unwrap().clone()
}

fn tmp(name: &str, bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(format!("scope-doctor-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn read_prints_one_object_per_file_in_order() {
    let (app, api) = (fixture("app-ant-descriptions"), fixture("api-ant-descriptions"));
    let out = run(&["read", &app, &api, "--json"]);
    assert!(out.status.success());
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], app.as_str());
    assert_eq!(lines[0]["page"], "app-detail");
    assert_eq!(lines[0]["app_key"], "ks685673047213");
    assert_eq!(lines[1]["page"], "api-detail");
    assert_eq!(lines[1]["scopes"], serde_json::json!(["merchant_item"]));
    assert!(lines[0].get("anchor").is_none(), "snapshot indices stay internal");
}

#[test]
fn bad_inputs_fail_clearly_and_the_rest_is_still_read() {
    let binary = tmp("binary.html", &[0x89, b'P', b'N', b'G', 0, 0, 1, 2]);
    let latin1 = tmp("latin1.html", b"<html><body>caf\xe9</body></html>");
    let not_html = tmp("log.html", b"just a log line, no tags");
    let huge = tmp("huge.html", &vec![b'a'; 50 * 1024 * 1024]);
    let good = fixture("token-ids-list");
    let out = run(&["read", "/no/such/file.html", &binary, &latin1, &not_html, &huge, &good, "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in ["/no/such/file.html: cannot read", "binary data", "not UTF-8", "not an HTML page", "too large"] {
        assert!(stderr.contains(expected), "stderr lacks {expected:?}: {stderr}");
    }
    assert!(!stderr.contains("panicked"));
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["page"], "token-info");
}

#[test]
fn human_output_names_the_page_and_fields() {
    let out = run(&["read", &fixture("app-english-labels")]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("app-detail") && text.contains("ks447120938815") && text.contains("merchant_cs"), "{text}");
    assert!(!text.contains("\x1b["), "no colour when not on a terminal");
}

#[test]
fn diagnose_gives_every_verdict() {
    let app = fixture("app-ant-descriptions"); // user_info, merchant_item owned; merchant_order missing; merchant_refund pending
    let f = findings(&[
        &app,
        "--api",
        "open.item.get",
        "--api",
        "open.order.cursor.list",
        "--api",
        "open.refund.reject",
        "--api",
        "open.no.such.thing",
        "--failure",
        "token中无scope权限",
    ]);
    let verdicts: Vec<&str> = f.iter().map(|x| x["verdict"].as_str().unwrap()).collect();
    assert_eq!(verdicts, ["reauthorize", "apply", "pending", "unknown-scope"]);
    for x in &f {
        assert_eq!(x["auth_link"].is_string(), x["verdict"] == "reauthorize", "link exactly when reauthorize: {x}");
    }
    let link = url::Url::parse(f[0]["auth_link"].as_str().unwrap()).unwrap();
    let query: Vec<(String, String)> = link.query_pairs().into_owned().collect();
    assert_eq!((link.host_str(), link.path()), (Some("open.kwaixiaodian.com"), "/oauth/authorize"));
    assert!(query.contains(&("app_id".into(), "ks685673047213".into())));
    assert!(query.contains(&("scope".into(), "user_info,merchant_item".into())));
    assert!(query.contains(&("response_type".into(), "code".into())));

    let isv = findings(&[&fixture("app-dl-service-market"), "--api", "open.order.cursor.list"]);
    assert_eq!(isv[0]["verdict"], "service-market");
    assert!(isv[0]["auth_link"].is_null());

    let token = findings(&[&app, &fixture("token-ids-list"), "--failure", "method=open.item.get token中无scope权限"]);
    assert_eq!(token[0]["verdict"], "token-has-scope");

    let expired = findings(&[
        &app,
        "--failure",
        r#"{"result":28,"code":"803000","msg":"鉴权失败","error_msg":"TOKEN过期","sub_code":"28","sub_msg":"TOKEN过期"} method=open.item.get"#,
    ]);
    assert_eq!(expired[0]["verdict"], "refresh-token");
    assert!(expired[0]["auth_link"].is_null());
}

#[test]
fn diagnose_reads_a_multi_api_log_from_a_file_and_stdin_dash() {
    let log = "2024-06-20 10:00:01 INFO call method=open.item.get\n\
               2024-06-20 10:00:01 ERROR {\"result\":28,\"error_msg\":\"token中无scope权限\"}\n\
               2024-06-20 10:00:02 ERROR POST /open/order/cursor/list -> token中无scope的权限\n\
               2024-06-20 10:00:03 ERROR open.distribution.cps.link.create result=1800608 暂无站外分销推广权限\n";
    let path = tmp("app.log", log.as_bytes());
    let f = findings(&[&fixture("app-ant-descriptions"), "--failure-file", &path]);
    let got: Vec<(&str, &str)> = f.iter().map(|x| (x["api"].as_str().unwrap(), x["verdict"].as_str().unwrap())).collect();
    assert_eq!(
        got,
        [("open.item.get", "reauthorize"), ("open.order.cursor.list", "apply"), ("open.distribution.cps.link.create", "not-scope-error")]
    );

    let mut child = Command::new(env!("CARGO_BIN_EXE_scope-doctor"))
        .args(["diagnose", "--failure-file", "-", "--json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(log.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 3);
}

#[test]
fn a_page_overrides_the_catalog() {
    // The catalog says open.item.material.detail.get needs merchant_material; its page says merchant_item.
    let f = findings(&[&fixture("app-ant-descriptions"), &fixture("api-catalog-differs"), "--failure", "token中无scope权限"]);
    assert_eq!(f.len(), 1, "an error naming no API is about the API page read");
    assert_eq!(
        (f[0]["api"].as_str(), f[0]["scope"].as_str(), f[0]["verdict"].as_str()),
        (Some("open.item.material.detail.get"), Some("merchant_item"), Some("reauthorize"))
    );
    let without_page = findings(&[&fixture("app-ant-descriptions"), "--api", "open.item.material.detail.get"]);
    assert_eq!((without_page[0]["scope"].as_str(), without_page[0]["verdict"].as_str()), (Some("merchant_material"), Some("apply")));
}

#[test]
fn the_last_app_page_is_the_current_app() {
    let f = findings(&[&fixture("app-dl-service-market"), &fixture("app-cards-chinese-names"), "--api", "open.item.get"]);
    assert_eq!(f[0]["verdict"], "reauthorize");
    assert!(f[0]["auth_link"].as_str().unwrap().contains("app_id=ks702345118890"));
}

#[test]
fn diagnose_reports_bad_inputs_but_still_decides() {
    let out =
        run(&["diagnose", "/missing.html", &fixture("app-ant-descriptions"), "--api", "not-an-api", "--api", "open.item.get", "--json"]);
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["verdict"], "reauthorize");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("/missing.html") && stderr.contains("not-an-api"), "{stderr}");
}

#[test]
fn an_app_page_without_a_whole_app_key_is_said_to_be_unused() {
    let page = fixture("b5-app-card-grid-cyrillic-appkey");
    let out = run(&["diagnose", &page, "--api", "open.item.get", "--json"]);
    assert!(out.status.success(), "a page read is no bad input");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&page) && stderr.contains("appKey is not shown whole"), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!((v["findings"][0]["verdict"].as_str(), v["findings"][0]["auth_link"].is_null()), (Some("unknown-scope"), true));
    // A whole appKey: nothing to say.
    let out = run(&["diagnose", &fixture("app-ant-descriptions"), "--api", "open.item.get", "--json"]);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("appKey"), "{}", String::from_utf8_lossy(&out.stderr));
}
