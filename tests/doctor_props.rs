//! The auth doctor's promises, in-process with a large budget: a text outside the recognised
//! error families never yields a verdict with a link, and a production log of any breadth is
//! summarised in bounded output.

use proptest::prelude::*;
use scope_doctor::diagnose::Verdict;
use scope_doctor::evidence::{self, Evidence, MAX_MERCHANTS_PER_GROUP};
use scope_doctor::failure::{self, MAX_FAILURES};
use scope_doctor::model::{App, AppType, FailureKind, Package, Status};

/// An app holding every package its APIs need, so a scope error would be `reauthorize`.
fn holding_app() -> App {
    let owned = ["user_info", "merchant_item", "merchant_order", "merchant_refund", "merchant_logistics"];
    App {
        app_key: "ks721596384012".into(),
        app_name: Some("小店订单助手".into()),
        callback: Some("https://shop.example.com/cb?from=ks".into()),
        app_type: Some(AppType::Merchant),
        packages: owned.iter().map(|s| Package { scope: s.to_string(), status: Status::Owned, anchor: None, name: None }).collect(),
    }
}

/// Words of logs and messages that belong to no recognised family: no `scope`, no 鉴权/过期/
/// 授权/refresh/revoked/url/quota words, no known codes.
fn unrecognised_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("method=open.item.get".to_string()),
        Just("/open/order/cursor/list".to_string()),
        Just("\"method\":\"open.item.list.get\"".to_string()),
        Just("shopId=1001".to_string()),
        Just("\"open_id\":\"f0a1b2\"".to_string()),
        Just("{\"result\":".to_string()),
        Just("\"error_msg\":\"".to_string()),
        Just("msg=".to_string()),
        Just("Exception: ".to_string()),
        Just("ERROR".to_string()),
        Just("调用失败".to_string()),
        Just("商品不存在".to_string()),
        Just("参数错误".to_string()),
        Just("something else went wrong".to_string()),
        Just("timeout".to_string()),
        Just("500".to_string()),
        Just("}".to_string()),
        "[a-z]{1,8}",
        "[0-9]{1,5}",
        "[\u{4e00}-\u{4e80}]{1,4}",
    ];
    prop::collection::vec(piece, 1..30).prop_map(|pieces| pieces.concat()).prop_filter("a recognised family", |text| {
        // Anything the parser recognises is out of this property's scope (checked per family
        // elsewhere), and so is a success response (`{"result":0`: no error at all) and blank
        // text (no text: the premise, like no `--failure`).
        let found = failure::parse(text);
        !found.is_empty() && found.iter().all(|f| f.kind == FailureKind::Unrecognized)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, ..ProptestConfig::default() })]

    #[test]
    fn unrecognised_text_never_yields_a_link_verdict(text in unrecognised_text(), with_api in any::<bool>()) {
        let evidence = Evidence {
            apps: vec![holding_app()],
            failure_text: Some(text.clone()),
            // `--api` only beside a text naming no API: otherwise the named API has no text of its
            // own and is the tool's premise (a scope error), which is not this property.
            apis: if with_api && failure::parse(&text).iter().all(|f| f.api.is_none()) { vec!["open.item.get".into()] } else { vec![] },
            ..Default::default()
        };
        for finding in evidence::findings(&evidence).findings {
            prop_assert!(!matches!(finding.verdict, Verdict::Reauthorize | Verdict::AddUser | Verdict::FixLink), "{text:?} → {finding:?}");
            prop_assert!(finding.auth_link.is_none(), "{text:?} → {finding:?}");
        }
    }
}

/// Error texts of every recognised family, with or without the API, merchant or link they concern.
fn family_text() -> impl Strategy<Value = String> {
    let error = prop_oneof![
        Just(r#"{"result":28,"error_msg":"token中无scope权限"}"#),
        Just(r#"{"result":28,"code":"803000","msg":"鉴权失败","sub_msg":"TOKEN过期"}"#),
        Just(r#"{"code":"803000","msg":"鉴权失败"}"#),
        Just(r#"{"result":24,"error_msg":"AUTHORIZATION_REVOKED"}"#),
        Just(r#"{"result":100200102,"error":"access_denied","error_msg":"refreshToken.discarded"}"#),
        Just("不属于此应用的授权用户或测试用户"),
        Just("Invalid url"),
        Just("服务未订购"),
        Just("[1017] exceed quota limit,[apiId:1;primaryUserId:2]"),
        Just(r#"{"data":null,"result":1800608,"error_msg":"暂无站外分销推广权限"}"#),
        Just(r#"{"result":500,"error_msg":"系统繁忙"}"#),
    ];
    let api = prop_oneof![Just(""), Just("method=open.item.get "), Just("method=open.no.such.api "), Just("/open/order/cursor/list ")];
    let merchant = prop_oneof![Just(""), Just("shopId=1001 ")];
    (api, merchant, error).prop_map(|(api, merchant, error)| format!("{api}{merchant}{error}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// An explanation names what it speaks of, or words the sentence without it: never a blank
    /// where a name belongs (`不知道  属于…`, `The package of  is…`).
    #[test]
    fn explanations_have_no_blank_where_a_name_belongs(text in family_text(), with_app in any::<bool>(), with_api in any::<bool>()) {
        let evidence = Evidence {
            apps: if with_app { vec![holding_app()] } else { vec![] },
            failure_text: Some(text.clone()),
            apis: if with_api { vec!["open.item.get".into()] } else { vec![] },
            ..Default::default()
        };
        for finding in evidence::findings(&evidence).findings {
            for sentence in [&finding.explain.zh, &finding.explain.en] {
                let blank = ["  ", " .", " ,", "「」", "（）", "()", "供参考：属于"].iter().find(|gap| sentence.contains(*gap));
                prop_assert!(blank.is_none() && !sentence.starts_with(' '), "{text:?} → {blank:?} in {sentence:?}");
            }
        }
    }
}

#[test]
fn a_production_log_with_5000_merchants_is_summarised() {
    let apis = ["open.item.get", "open.order.cursor.list", "open.item.list.get"];
    let mut log = String::new();
    for line in 0..100_000 {
        let api = apis[line % apis.len()];
        let shop = 10_000 + line % 5_000;
        log.push_str(&format!(
            "2026-11-29 10:00:00 ERROR method={api} shopId={shop} {{\"result\":28,\"error_msg\":\"token中无scope权限\"}}\n"
        ));
    }
    let parsed = failure::parse_all(&log);
    // 3 APIs × 5,000 shops = 15,000 distinct failures: the parser keeps at most MAX_FAILURES.
    assert_eq!(parsed.failures.len(), MAX_FAILURES);
    assert!(parsed.truncated > 0);
    assert_eq!(parsed.failures.iter().map(|f| f.count).sum::<u64>() + parsed.truncated, 100_000);

    let report = evidence::findings(&Evidence { apps: vec![holding_app()], failure_text: Some(log), ..Default::default() });
    assert_eq!(report.findings.len(), apis.len() * MAX_MERCHANTS_PER_GROUP);
    assert!(report.findings.iter().all(|f| f.verdict == Verdict::Reauthorize && f.merchant.is_some()));
    // Every failure kept is shown or counted, every line beyond the bound counted: none silently lost.
    assert_eq!(report.truncated, (MAX_FAILURES - report.findings.len()) as u64);
    assert_eq!(report.unkept_lines, parsed.truncated);
    let json = serde_json::to_string(&report).unwrap_or_default();
    assert!(json.len() < 200_000, "the summary stays small: {} bytes", json.len());
}
