//! Properties: the link decodes back to exactly what it was built from, for any callback; the
//! readers and the native snapshot never panic on arbitrary input.

use proptest::prelude::*;
use scope_doctor::link::auth_links;
use scope_doctor::read::{labels::snapshot_rules, read};
use scope_doctor::snapshot::{html::from_html, Node, Snapshot};

fn scope_id() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("user_info".to_string()),
        Just("merchant_item".to_string()),
        Just("merchant_order".to_string()),
        "merchant_[a-z]{1,8}(_[a-z]{1,5})?",
    ]
}

proptest! {
    #[test]
    fn link_decodes_to_what_it_was_built_from(
        app_key in "ks[0-9]{6,14}",
        callback in "https://[a-z0-9.-]{1,20}(:[0-9]{2,5})?/[\\PC&#?=% +/中文]{0,40}",
        scopes in prop::collection::vec(scope_id(), 1..8),
    ) {
        let links = auth_links(&app_key, &callback, &scopes).unwrap();
        for (link, host, path) in [(&links.first, "open.kwaixiaodian.com", "/oauth/authorize"), (&links.second, "open.kuaishou.com", "/oauth2/authorize")] {
            let url = url::Url::parse(link).unwrap();
            prop_assert_eq!(url.scheme(), "https");
            prop_assert_eq!(url.host_str(), Some(host));
            prop_assert_eq!(url.path(), path);
            prop_assert!(url.fragment().is_none(), "a # in the callback must stay inside redirect_uri");
            let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            let keys: Vec<&str> = pairs.iter().map(|(k, _)| k.as_str()).collect();
            prop_assert_eq!(keys, vec!["app_id", "redirect_uri", "scope", "response_type"]);
            prop_assert_eq!(&pairs[0].1, &app_key);
            // Decode with percent-decoding only ('+' is a literal plus in encodeURIComponent output).
            let raw = link.split("redirect_uri=").nth(1).unwrap().split('&').next().unwrap();
            let decoded = percent_encoding::percent_decode_str(raw).decode_utf8().unwrap();
            prop_assert_eq!(decoded.as_ref(), callback.as_str());
            let mut want: Vec<String> = Vec::new();
            for s in &scopes { if !want.contains(s) { want.push(s.clone()); } }
            let got: Vec<String> = pairs[2].1.split(',').map(String::from).collect();
            prop_assert_eq!(got, want);
            prop_assert_eq!(&pairs[3].1, "code");
        }
    }

    #[test]
    fn readers_never_panic_on_arbitrary_html(html in "\\PC{0,400}", tags in prop::collection::vec("(div|td|th|tr|table|h1|dl|dt|dd|span|pre|nav)", 0..20), texts in prop::collection::vec("(appKey|回调地址|权限包|已获取|未获取|申请中|open\\.item\\.get|merchant_item|商品信息|已建立授权|\\PC{0,12})[:：]?", 0..20)) {
        let mut page = String::from("<html><body>");
        for (tag, text) in tags.iter().zip(texts.iter().cycle()) {
            page.push_str(&format!("<{tag}>{text}"));
        }
        page.push_str(&html);
        let _ = read(&from_html(&page, "", &snapshot_rules()));
        let _ = read(&from_html(&html, "https://open.kwaixiaodian.com/zone/new/docs/api?name=open.item.get", &snapshot_rules()));
    }

    #[test]
    fn readers_never_panic_on_arbitrary_snapshots(nodes in prop::collection::vec((any::<Option<usize>>(), "\\PC{0,20}", any::<bool>(), "[a-z]{1,5}"), 0..60), url in "\\PC{0,60}") {
        let nodes = nodes.into_iter().map(|(parent, text, visible, tag)| Node { tag, parent, text, attrs: vec![("href".into(), "https://open.kwaixiaodian.com/oauth/authorize?x".into())], visible }).collect();
        let _ = read(&Snapshot::new(url, nodes));
    }
}
