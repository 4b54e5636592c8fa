//! API names in a record (`method=open.item.get`, `/open/item/get`, an SDK's
//! `OpenItemGetRequest`), spelled as the text spells them; hosts (`open.kwaixiaodian.com`), Java
//! packages and deep documentation paths are none.

use super::patterns::{texts_with, Role};
use crate::catalog;
use crate::text::method_names;

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'/')
}

/// The API names in a record with the byte offset of the word holding each.
pub(super) fn api_mentions(record: &str) -> Vec<(usize, String)> {
    let bytes = record.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if !is_name_byte(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && is_name_byte(bytes[i]) {
            i += 1;
        }
        let word = &record[start..i];
        if word.contains("open") {
            found.extend(api_names_in_word(word, &record[..start]).into_iter().map(|name| (start, name)));
        }
        if word.contains("Open") {
            for name in sdk_class_apis(word) {
                if !found.iter().any(|(_, seen)| seen.eq_ignore_ascii_case(&name)) {
                    found.push((start, name));
                }
            }
        }
    }
    found
}

/// The catalog APIs an SDK's class names in a word: Java's
/// `com.kuaishou.merchant.open.api.request.item.OpenItemGetRequest`, PHP's `Api\Item\OpenItemGet`.
fn sdk_class_apis(word: &str) -> impl Iterator<Item = String> + '_ {
    word.split(&['.', '/'][..]).filter_map(catalog::api_of_sdk_class).map(|row| catalog::API_PREFIX.to_string() + &row.name_after_prefix)
}

/// `method_names` on one word of name characters, after hiding the `open` that are no API:
/// inside a Java package (`com.kuaishou.merchant.open.api.KsMerchantApiException`) or deep in a
/// path (`/rest/open/platform/doc/…`); hosts (`open.kwaixiaodian.com`) are dropped afterwards.
/// `before` is the record up to the word (a host's `http://` and `-` lie outside the word).
fn api_names_in_word(word: &str, before: &str) -> Vec<String> {
    let mut masked = word.as_bytes().to_vec();
    for (at, _) in word.match_indices("open") {
        let inside_package = at > 0 && word.as_bytes()[at - 1] == b'.';
        let deep_in_path = at > 0 && word.as_bytes()[at - 1] == b'/' && !is_path_root(&word[..at - 1], before);
        if inside_package || deep_in_path {
            masked[at..at + 4].copy_from_slice(b"OPEN");
        }
    }
    let masked = String::from_utf8(masked).unwrap_or_default(); // only ASCII bytes were swapped
    method_names(&masked).into_iter().filter(|name| !is_host_name(name)).map(|name| spelled_as_written(word, &name)).collect()
}

/// Whether a `/open/…` path starts right after this prefix of its word: nothing, a host or a
/// port (`https://openapi.kwaixiaodian.com/open/item/get`, `localhost:8080/open/item/get`), or a
/// dotless host right after `//` (`http://localhost/open/item/get`, `http://kwai-proxy/open/…`;
/// `before` is the record up to the word, which a host's `-` or `://` ends).
fn is_path_root(prefix: &str, before: &str) -> bool {
    let last = crate::text::after_last(prefix, b'/');
    if last.is_empty() || last.contains('.') || last.bytes().all(|b| b.is_ascii_digit()) {
        return true;
    }
    // The segment's start: inside the word after its last `/`, else back over a host's `-`.
    let in_word = &prefix[..prefix.len() - last.len()];
    let ahead =
        if in_word.is_empty() { before.trim_end_matches(|c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_') } else { in_word };
    ahead.ends_with("//")
}

fn is_host_name(name: &str) -> bool {
    let last = crate::text::after_last(name, b'.').to_ascii_lowercase();
    let host_word = |segment: &str| texts_with(|r| matches!(r, Role::HostSegment)).any(|pat| pat.text.eq_ignore_ascii_case(segment));
    name.split('.').any(host_word) || texts_with(|r| matches!(r, Role::TopLevelDomain)).any(|pat| pat.text == last)
}

/// The name as the text spells it: `method_names` lower-cases, but 14 platform APIs are
/// camelCase (`open.refund.submit.returnInfo`) and the docs use that spelling.
fn spelled_as_written(word: &str, lowered_name: &str) -> String {
    let lower_word = word.to_ascii_lowercase();
    let dotted = lower_word.find(lowered_name);
    let path = || lower_word.find(&lowered_name.replace('.', "/"));
    match dotted.or_else(path) {
        Some(at) => word[at..at + lowered_name.len()].replace('/', "."),
        None => lowered_name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use crate::failure::parse;
    use crate::failure::test_support::{failure, one};
    use crate::model::FailureKind::*;

    #[test]
    fn url_path_form() {
        let text = "POST https://openapi.kwaixiaodian.com/open/item/get?appkey=ks123&version=1 => {\"result\":28,\"msg\":\"鉴权失败\",\"code\":\"803000\"}";
        assert_eq!(one(text), failure(Some("open.item.get"), AuthFailed, Some("803000"), "鉴权失败"));
    }

    #[test]
    fn hosts_packages_and_deep_paths_are_not_apis() {
        let text =
            "see https://open.kwaixiaodian.com/zone/new/docs/api?name=open.item.get&version=1 and /rest/open/platform/doc/api/name/detail";
        assert_eq!(one(text), failure(Some("open.item.get"), Unrecognized, None, ""));
        let text = "\tat com.kuaishou.merchant.open.api.client.AccessTokenKsMerchantClient.execute(AccessTokenKsMerchantClient.java:50)";
        assert!(parse(text).iter().all(|f| f.api.is_none() && f.kind == Unrecognized), "{:?}", parse(text));
        assert_eq!(one("GET http://localhost:8080/open/item/get").api.as_deref(), Some("open.item.get"));
        // A dotless host without a port (after `//`) is a host too; a path segment is not.
        let text = r#"ERROR http://kwai-proxy/open/order/cursor/list?shopId=1002 -> {"result":28,"error_msg":"token中无scope权限"}"#;
        assert_eq!(one(text).api.as_deref(), Some("open.order.cursor.list"));
        let text = "ERROR http://localhost/open/item/get?shop_id=9 returned token中无scope权限";
        assert_eq!(one(text).api.as_deref(), Some("open.item.get"));
        for text in ["GET /rest/open/item/get", "GET http://localhost/rest/open/item/get", "GET http://kwai-proxy/rest/open/item/get"] {
            assert_eq!(one(text).api, None, "{text}");
        }
        let text = "method=open.logistics.trouble.net.site.page.query";
        assert_eq!(one(text).api.as_deref(), Some("open.logistics.trouble.net.site.page.query"));
    }

    #[test]
    fn sdk_class_names_name_catalog_apis() {
        let text = "com.kuaishou.merchant.open.api.KsMerchantApiException: com.kuaishou.merchant.open.api.request.item.OpenItemGetRequest failed: {\"result\":28,\"error_msg\":\"token中无scope权限\"}";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
        let text = "[error] Api\\Refund\\OpenRefundSubmitReturnInfo: {\"result\":24,\"error_msg\":\"AUTHORIZATION_REVOKED\"}";
        assert_eq!(one(text).api.as_deref(), Some("open.refund.submit.returnInfo"));
        // Named both ways in one record: one API.
        let text = "OpenItemGetRequest method=open.item.get {\"result\":28,\"error_msg\":\"token中无scope权限\"}";
        assert_eq!(parse(text).len(), 1);
        // A class that is no catalog API, or a name inside another identifier, names none.
        for text in [
            "OpenNoSuchThingRequest: {\"result\":28,\"error_msg\":\"token中无scope权限\"}",
            "callOpenItemGet(): {\"result\":28,\"error_msg\":\"token中无scope权限\"}",
        ] {
            assert_eq!(one(text).api, None, "{text}");
        }
    }

    #[test]
    fn camel_case_names_keep_their_spelling() {
        let text = "calling open.refund.submit.returnInfo\nPOST /open/refund/submit/returnInfo {\"result\":28,\"error_msg\":\"token中无scope权限\"}\n";
        assert_eq!(one(text), failure(Some("open.refund.submit.returnInfo"), MissingScope, Some("28"), "token中无scope权限"));
    }
}
