//! The link doctor on the hand-made-link mistakes of platform.md §3, and properties: the
//! console's own link always checks `ok`, and no input makes `check_link` or `links_in` panic.

use proptest::prelude::*;
use scope_doctor::link::for_app;
use scope_doctor::link_check::{check_link, links_in, LinkCheck, ProblemCode};
use scope_doctor::model::{App, Package, Status};

const BASE: &str = "https://open.kwaixiaodian.com/oauth/authorize";

fn app(app_key: &str, callback: &str, packages: &[(&str, Status)]) -> App {
    App {
        app_key: app_key.to_string(),
        app_name: Some("店铺助手".to_string()),
        callback: Some(callback.to_string()),
        app_type: None,
        packages: packages
            .iter()
            .map(|(scope, status)| Package { scope: scope.to_string(), status: *status, anchor: None, name: None })
            .collect(),
    }
}

/// An app as its detail page shows it: two packages held, one not, one under review.
fn shop() -> App {
    app(
        "ks700123",
        "https://shop.example.com/oauth/cb",
        &[
            ("user_info", Status::Owned),
            ("merchant_item", Status::Owned),
            ("merchant_order", Status::Owned),
            ("merchant_refund", Status::Missing),
            ("merchant_cs", Status::Pending),
        ],
    )
}

/// A 回调地址 with its own query.
fn with_query() -> App {
    app("ks700999", "https://shop.example.com/cb?a=1&b=2", &[("user_info", Status::Owned), ("merchant_item", Status::Owned)])
}

fn codes(check: &LinkCheck) -> Vec<&'static str> {
    check.problems.iter().map(|p| p.code.as_str()).collect()
}

const CB: &str = "https%3A%2F%2Fshop.example.com%2Foauth%2Fcb";
const HELD: &str = "user_info,merchant_item,merchant_order";

#[test]
fn hand_made_link_mistakes() {
    let console = for_app(&shop()).unwrap().first;
    let cases: Vec<(&str, String, App, &[&str])> = vec![
        ("the console's own link", console.clone(), shop(), &[]),
        (
            "the same link, unencoded redirect_uri",
            format!("{BASE}?app_id=ks700123&redirect_uri=https://shop.example.com/oauth/cb&scope={HELD}&response_type=code"),
            shop(),
            &[],
        ),
        ("the same link with a state", format!("{console}&state=xyz"), shop(), &[]),
        (
            "appId / redirectUri",
            format!("{BASE}?appId=ks700123&redirectUri={CB}&scope={HELD}&response_type=code"),
            shop(),
            &["app-id-old-form"],
        ),
        ("only appId", format!("{BASE}?appId=ks700123&redirect_uri={CB}&scope={HELD}&response_type=code"), shop(), &["app-id-old-form"]),
        (
            "a 回调地址's own ?a=1&b=2 pasted unencoded",
            format!(
                "{BASE}?app_id=ks700999&redirect_uri=https://shop.example.com/cb?a=1&b=2&scope=user_info,merchant_item&response_type=code"
            ),
            with_query(),
            &["redirect-uri-mismatch", "unknown-parameter"],
        ),
        (
            "http:// where the 回调地址 has https://",
            console.replace("https%3A%2F%2Fshop", "http%3A%2F%2Fshop"),
            shop(),
            &["redirect-uri-mismatch"],
        ),
        ("a trailing / the 回调地址 does not have", console.replace("%2Fcb", "%2Fcb%2F"), shop(), &["redirect-uri-mismatch"]),
        (
            "a package the app does not hold (未获取)",
            console.replace(HELD, "user_info,merchant_item,merchant_order,merchant_refund"),
            shop(),
            &["scope-not-held"],
        ),
        (
            "a package under review (申请中)",
            console.replace(HELD, "user_info,merchant_item,merchant_order,merchant_cs"),
            shop(),
            &["scope-not-held"],
        ),
        (
            "a package not listed at all",
            console.replace(HELD, "user_info,merchant_item,merchant_order,merchant_video"),
            shop(),
            &["scope-not-held"],
        ),
        ("a held package left out", console.replace(HELD, "user_info,merchant_item"), shop(), &["scope-lacks-held"]),
        ("only the missing package", console.replace(HELD, "merchant_refund"), shop(), &["scope-not-held", "scope-lacks-held"]),
        ("response_type missing", console.replace("&response_type=code", ""), shop(), &["response-type-wrong"]),
        ("response_type=token", console.replace("response_type=code", "response_type=token"), shop(), &["response-type-wrong"]),
        ("a parameter twice", format!("{console}&app_id=ks700123"), shop(), &["duplicate-parameter"]),
        ("scope twice", format!("{console}&scope=merchant_item"), shop(), &["duplicate-parameter"]),
        ("no scope", console.replace(&format!("scope={HELD}&"), ""), shop(), &["scope-missing"]),
        ("an empty scope", console.replace(HELD, ""), shop(), &["scope-missing"]),
        ("no app_id", console.replace("app_id=ks700123&", ""), shop(), &["app-id-missing"]),
        ("no redirect_uri", console.replace(&format!("redirect_uri={CB}&"), ""), shop(), &["redirect-uri-missing"]),
        ("another app's page", console.clone(), with_query(), &["app-id-unknown"]),
        ("the http:// authorization page", console.replacen("https://", "http://", 1), shop(), &["not-authorize-url"]),
        ("the wrong path", console.replace("/oauth/authorize", "/oauth2/authorize"), shop(), &["not-authorize-url"]),
        ("the mobile link", for_app(&shop()).unwrap().second, shop(), &[]),
    ];
    for (what, link, app, want) in cases {
        let check = check_link(&link, std::slice::from_ref(&app));
        assert_eq!(codes(&check), want, "{what}: {link}\n{check:#?}");
        assert_eq!(check.ok, want.is_empty(), "{what}");
        for p in &check.problems {
            assert!(!p.detail.is_empty() && !p.zh.is_empty(), "{what}: {p:?}");
        }
        // The corrected link is the console's, and checks clean.
        if want != ["app-id-unknown"] {
            let fixed = check.fixed_link.as_deref().unwrap_or_else(|| panic!("{what}: no fixed link"));
            assert_eq!(fixed, for_app(&app).unwrap().first, "{what}");
            assert!(check_link(fixed, &[app]).ok, "{what}");
        } else {
            assert_eq!(check.fixed_link, None, "{what}");
        }
    }
}

#[test]
fn details_name_the_values() {
    let console = for_app(&shop()).unwrap().first;
    let check = check_link(&console.replace("%2Fcb", "%2Fcb%2F"), &[shop()]);
    let detail = &check.problems[0].detail;
    assert!(
        detail.contains("redirect_uri is https://shop.example.com/oauth/cb/ but the app's 回调地址 is https://shop.example.com/oauth/cb"),
        "{detail}"
    );
    assert!(detail.contains("use the corrected link"), "{detail}");
    assert!(check.problems[0].zh.contains("https://shop.example.com/oauth/cb/"));

    let link =
        format!("{BASE}?app_id=ks700999&redirect_uri=https://shop.example.com/cb?a=1&b=2&scope=user_info,merchant_item&response_type=code");
    let check = check_link(&link, &[with_query()]);
    assert!(check.problems[0].detail.contains("https://shop.example.com/cb?a=1 but"), "{:?}", check.problems[0]);
    assert!(check.problems[1].detail.contains("pasted unencoded"), "{:?}", check.problems[1]);

    let check = check_link(&console.replace(HELD, "user_info,merchant_refund"), &[shop()]);
    assert!(check.problems[0].detail.contains("merchant_refund (未获取"), "{:?}", check.problems[0]);
    assert!(check.problems[1].detail.contains("merchant_item, merchant_order"), "{:?}", check.problems[1]);
}

#[test]
fn app_key_and_fixed_link_rules() {
    let console = for_app(&shop()).unwrap().first;
    // Either form gives the app key.
    assert_eq!(check_link(&console.replace("app_id=", "appId="), &[]).app_key.as_deref(), Some("ks700123"));
    // No app id and one app page: that app gives the fix, but checks needing the app don't run.
    let no_id = console.replace("app_id=ks700123&", "").replace("%2Fcb", "%2Fother");
    let check = check_link(&no_id, &[shop()]);
    assert_eq!(check.app_key, None);
    assert_eq!(codes(&check), ["app-id-missing"]);
    assert_eq!(check.fixed_link.as_deref(), Some(console.as_str()));
    // …two app pages: no way to tell which.
    assert_eq!(check_link(&no_id, &[shop(), with_query()]).fixed_link, None);
    // The app with the link's appKey among several.
    assert_eq!(check_link(&console, &[with_query(), shop()]).fixed_link.as_deref(), Some(console.as_str()));
    // No pages: only what the link shows.
    let check = check_link(&console.replace(HELD, "merchant_refund"), &[]);
    assert!(check.ok && check.fixed_link.is_none());
    // Not a URL at all.
    let check = check_link("Invalid url", &[shop(), with_query()]);
    assert_eq!(codes(&check), ["not-authorize-url"]);
    assert_eq!((check.app_key, check.fixed_link), (None, None));
}

#[test]
fn json_shape() {
    let check = check_link("https://open.kwaixiaodian.com/oauth/authorize?app_id=ks1", &[]);
    let json = serde_json::to_value(&check).unwrap();
    let keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["link", "ok", "app_key", "problems", "fixed_link"]);
    assert_eq!(json["ok"], false);
    assert_eq!(json["app_key"], "ks1");
    assert!(json["fixed_link"].is_null());
    let problem_codes: Vec<&str> = json["problems"].as_array().unwrap().iter().map(|p| p["code"].as_str().unwrap()).collect();
    assert_eq!(problem_codes, ["redirect-uri-missing", "scope-missing", "response-type-wrong"]);
    assert_eq!(serde_json::to_value(ProblemCode::AppIdOldForm).unwrap(), "app-id-old-form");
}

#[test]
fn links_in_a_log_and_a_message() {
    let console = for_app(&shop()).unwrap().first;
    let log = format!("2024-05-01 WARN auth redirect url=\"{console}\" status=302\n[info] retry ({console})");
    assert_eq!(links_in(&log), [console.clone(), console.clone()]);
    let message = format!("请商家打开这个链接：{console}。谢谢");
    assert_eq!(links_in(&message), [console.as_str()]);
    let mobile = for_app(&shop()).unwrap().second;
    assert_eq!(links_in(&format!("<{mobile}> and {console}")), [mobile, console]);
}

fn package() -> impl Strategy<Value = (String, Status)> {
    let scope = prop_oneof![
        Just("user_info".to_string()),
        Just("merchant_item".to_string()),
        Just("merchant_order".to_string()),
        "merchant_[a-z]{1,8}(_[a-z]{1,5})?"
    ];
    let status = prop_oneof![Just(Status::Owned), Just(Status::Missing), Just(Status::Pending)];
    (scope, status)
}

proptest! {
    #[test]
    fn the_console_link_checks_ok(
        app_key in "ks[0-9]{6,14}",
        callback in "https?://[a-z0-9.-]{1,20}(:[0-9]{2,5})?/[\\PC&#?=% +/中文]{0,40}",
        packages in prop::collection::vec(package(), 1..10),
        others in prop::collection::vec("ks[0-9]{1,5}", 0..3),
    ) {
        let app = App {
            app_key: app_key.clone(),
            app_name: None,
            callback: Some(callback),
            app_type: None,
            packages: packages.into_iter().map(|(scope, status)| Package { scope, status, anchor: None, name: None }).collect(),
        };
        prop_assume!(!app.owned_scopes().is_empty());
        let links = for_app(&app).unwrap();
        let mut apps: Vec<App> = others.into_iter().map(|k| App { app_key: k, app_name: None, callback: None, app_type: None, packages: vec![] }).collect();
        apps.push(app);
        for link in [&links.first, &links.second] {
            let check = check_link(link, &apps);
            prop_assert!(check.ok, "{:#?}", check);
            prop_assert_eq!(check.app_key.as_deref(), Some(app_key.as_str()));
            prop_assert_eq!(check.fixed_link.as_deref(), Some(links.first.as_str()));
            prop_assert_eq!(links_in(&format!("see {link} now")), vec![link.clone()]);
        }
    }

    #[test]
    fn never_panics_on_any_text(text in "\\PC*|.*", tail in "[\\PC&%=+,#?]{0,60}") {
        let apps = [shop(), with_query()];
        for input in [text.clone(), format!("{BASE}?{text}"), format!("{BASE}?app_id=ks700123&{tail}&{text}"), format!("x {BASE}?{tail} {text}")] {
            let check = check_link(&input, &apps);
            prop_assert_eq!(check.ok, check.problems.is_empty());
            let mut sorted = check.problems.iter().map(|p| p.code).collect::<Vec<_>>();
            sorted.dedup();
            prop_assert_eq!(sorted.len(), check.problems.len());
            prop_assert!(check.problems.windows(2).all(|w| w[0].code < w[1].code));
            for link in links_in(&input) {
                prop_assert!(input.contains(&link));
                let _ = check_link(&link, &apps);
            }
        }
    }

    #[test]
    fn never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = check_link(&text, &[shop()]);
        let percent: String = bytes.iter().map(|b| format!("%{b:02X}")).collect();
        let check = check_link(&format!("{BASE}?app_id={percent}&redirect_uri={percent}&scope={percent}&{percent}={percent}"), &[shop()]);
        prop_assert!(!check.ok);
        let _ = links_in(&text);
    }
}
