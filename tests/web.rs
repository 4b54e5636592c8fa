//! wasm-bindgen-test suite, run in headless Chromium: the wasm build gives the same answers as
//! the native one. Each fixture page is loaded into a real iframe, snapshotted by the content
//! script's own `extension/shared/snapshot.js`, read by the wasm readers, and compared with the
//! same `.expected.json` the native tests use.
#![cfg(target_arch = "wasm32")]

use scope_doctor::read::read;
use scope_doctor::snapshot::Snapshot;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

include!(concat!(env!("OUT_DIR"), "/fixtures.rs"));

#[wasm_bindgen(module = "/extension/shared/snapshot.js")]
extern "C" {
    #[wasm_bindgen(js_name = takeSnapshot)]
    fn take_snapshot_with(root: &web_sys::Document, url: &str, options: &JsValue) -> JsValue;
}

#[wasm_bindgen(module = "/extension/shared/names.js")]
extern "C" {
    /// The snapshot rules generated from the Rust side (src/names.rs).
    #[wasm_bindgen(thread_local_v2, js_name = SNAPSHOT_RULES)]
    static SNAPSHOT_RULES: JsValue;
}

/// `takeSnapshot(root, url, {rules: SNAPSHOT_RULES})`, as the content script calls it.
fn take_snapshot(root: &web_sys::Document, url: &str) -> JsValue {
    let options = js_sys::Object::new();
    SNAPSHOT_RULES.with(|rules| js_sys::Reflect::set(&options, &"rules".into(), rules)).unwrap();
    take_snapshot_with(root, url, &options)
}

/// Loads `html` into a fresh iframe (so styles and layout are real) and waits for it.
async fn load_in_iframe(html: &str) -> web_sys::HtmlIFrameElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let iframe: web_sys::HtmlIFrameElement = document.create_element("iframe").unwrap().dyn_into().unwrap();
    iframe.set_attribute("sandbox", "allow-same-origin").unwrap();
    let loaded = js_sys::Promise::new(&mut |resolve, _| {
        iframe.set_onload(Some(&resolve));
    });
    iframe.set_srcdoc(html);
    document.body().unwrap().append_child(&iframe).unwrap();
    wasm_bindgen_futures::JsFuture::from(loaded).await.unwrap();
    iframe
}

#[wasm_bindgen_test]
async fn every_fixture_reads_in_the_browser_as_natively() {
    assert!(FIXTURES.len() >= 30);
    let mut failures = Vec::new();
    for (name, html, expected) in FIXTURES {
        let iframe = load_in_iframe(html).await;
        let taken = take_snapshot(&iframe.content_document().unwrap(), "");
        let snapshot_js = js_sys::Reflect::get(&taken, &"snapshot".into()).unwrap();
        let snapshot: Snapshot = serde_wasm_bindgen::from_value(snapshot_js).unwrap();
        let got = serde_json::to_value(read(&snapshot.sanitized()).without_anchors()).unwrap();
        let expected: serde_json::Value = serde_json::from_str(expected).unwrap();
        if got != expected {
            failures.push(format!("{name}: got {got} expected {expected}"));
        }
        iframe.remove();
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures read differently in the browser:\n{}",
        failures.len(),
        FIXTURES.len(),
        failures.join("\n")
    );
}

#[wasm_bindgen_test]
fn the_wasm_surface_diagnoses_and_builds_links() {
    let input = js_sys::JSON::parse(
        r#"{"failure_text":"ERROR method=open.item.get token中无scope权限\nERROR /open/order/cursor/list token中无scope的权限",
            "app":{"app_key":"ks100200300","callback":"https://cb.example.com/k?a=1&b=#x"},
            "packages_text":"用户基本信息 已获取\n商品信息 | 已获取\n订单API权限 未获取"}"#,
    )
    .unwrap();
    let out = scope_doctor::wasm::diagnose(input).map_err(JsValue::from).unwrap();
    let out: serde_json::Value = serde_wasm_bindgen::from_value(out).unwrap();
    let findings = out["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2, "{out}");
    assert_eq!(findings[0]["verdict"], "reauthorize");
    assert_eq!(
        findings[0]["auth_link"],
        "https://open.kwaixiaodian.com/oauth/authorize?app_id=ks100200300&redirect_uri=https%3A%2F%2Fcb.example.com%2Fk%3Fa%3D1%26b%3D%23x&scope=user_info,merchant_item&response_type=code"
    );
    assert_eq!(findings[1]["verdict"], "apply");
    assert_eq!(out["packages"].as_array().unwrap().len(), 3);
}

#[wasm_bindgen_test]
fn bad_settings_are_refused_with_a_reason() {
    let bad = js_sys::JSON::parse(
        r#"{"format":"scope-doctor-settings","settings":{"version":1,"apps":[{"app_key":"ks1","app_secret":"s3cret"}]}}"#,
    )
    .unwrap();
    // Refused, with the reason wholly in each language; no state to adopt.
    let out = scope_doctor::wasm::import_settings(bad).map_err(JsValue::from).unwrap();
    let out: serde_json::Value = serde_wasm_bindgen::from_value(out).unwrap();
    assert!(out["state"].is_null(), "{out}");
    let (zh, en) = (out["refused"]["zh"].as_str().unwrap_or(""), out["refused"]["en"].as_str().unwrap_or(""));
    assert!(en.contains("app_secret") && en.contains("secrets"), "{en}");
    assert!(zh.contains("app_secret") && zh.contains("密钥") && !zh.contains("secrets"), "{zh}");
}
