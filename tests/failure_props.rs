//! Property tests for `failure::parse`: it never panics, and a method name written as
//! `method=NAME` anywhere in noise is always found.

use proptest::prelude::*;
use scope_doctor::failure::parse;
use scope_doctor::model::FailureKind;

/// Noise that looks like logs: Chinese, JSON punctuation, escapes, digits, error words.
fn log_noise() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(" ".to_string()),
        Just("\n".to_string()),
        Just("{".to_string()),
        Just("}".to_string()),
        Just("(".to_string()),
        Just("\"".to_string()),
        Just("\\u".to_string()),
        Just("\\ud83d".to_string()),
        Just("\"error_msg\":\"".to_string()),
        Just("\"result\":28,".to_string()),
        Just("[error_msg] => ".to_string()),
        Just("msg=".to_string()),
        Just("token中无scope权限".to_string()),
        Just("鉴权失败".to_string()),
        Just("TOKEN过期".to_string()),
        Just("1800608".to_string()),
        Just("[1017]".to_string()),
        Just("Exception: ".to_string()),
        Just("open.".to_string()),
        Just("/open/".to_string()),
        Just("：".to_string()),
        "[a-z0-9_.:=,]{0,12}",
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
}

/// API names shaped like the platform's: `open.` plus two to four lower-case segments. Names that
/// look like hosts (`open.a.cn`, `open.kuaishou.x`) are excluded: the parser drops them on purpose.
fn api_name() -> impl Strategy<Value = String> {
    prop::collection::vec("[a-z][a-z0-9]{0,9}", 2..5)
        .prop_filter("host-like names are not APIs", |segments| {
            let last_is_tld = segments.last().is_some_and(|s| ["com", "cn", "net", "org"].contains(&s.as_str()));
            let host_word = segments.iter().any(|s| s == "kuaishou" || s == "kwaixiaodian");
            !last_is_tld && !host_word
        })
        .prop_map(|segments| format!("open.{}", segments.join(".")))
}

/// Characters that end a word of name characters, so the inserted name stands on its own.
fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![" ", "\n", "\t", "&", ",", "\"", " | ", "，", "：", "}"])
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn never_panics_on_arbitrary_strings(text in ".*") {
        let _ = parse(&text);
    }

    #[test]
    fn never_panics_on_arbitrary_unicode(text in "\\PC*") {
        let _ = parse(&text);
    }

    #[test]
    fn never_panics_on_log_like_noise(text in log_noise()) {
        let found = parse(&text);
        prop_assert!(found.iter().filter(|f| f.api.is_none()).count() <= 1);
        for failure in &found {
            prop_assert!(failure.message.chars().count() <= 200);
        }
    }

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let _ = parse(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn finds_an_inserted_method(
        before in log_noise(),
        after in log_noise(),
        name in api_name(),
        left in separator(),
        right in separator(),
    ) {
        let text = format!("{before}{left}method={name}{right}{after}");
        let found = parse(&text);
        // Found — unless the noise holds another API's recognised error: then an API named with
        // no error of its own is deliberately not called failing.
        let other_error = found.iter().any(|f| f.api.is_some() && f.kind != FailureKind::Unrecognized);
        prop_assert!(
            other_error || found.iter().any(|f| f.api.as_deref() == Some(name.as_str())),
            "{name} not found in {text:?}: {found:?}"
        );
    }

    #[test]
    fn an_inserted_scope_error_is_tied_to_its_method(
        before in "[a-z0-9 :=,.\\-]{0,40}",
        name in api_name(),
    ) {
        let text = format!("{before}\nKsMerchantApiException: token中无scope权限 (method={name})\n");
        let found = parse(&text);
        let failure = found.iter().find(|f| f.api.as_deref() == Some(name.as_str()));
        prop_assert_eq!(failure.map(|f| f.kind), Some(FailureKind::MissingScope), "{:?}", found);
    }
}
