//! The authorization links of the 发起授权 dialog (platform.md §3): the first (PC) link and the
//! second (mobile) one, with the app's held packages in the console's order.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub const FIRST_LINK_BASE: &str = "https://open.kwaixiaodian.com/oauth/authorize";
pub const SECOND_LINK_BASE: &str = "https://open.kuaishou.com/oauth2/authorize";

/// Exactly what JavaScript's `encodeURIComponent` leaves alone: `A-Z a-z 0-9 - _ . ! ~ * ' ( )`.
/// The console encodes `redirect_uri` this way; the platform compares it byte for byte (FAQ K0009).
const URI_COMPONENT: &AsciiSet =
    &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'!').remove(b'~').remove(b'*').remove(b'\'').remove(b'(').remove(b')');

#[derive(Debug, Error, PartialEq, Eq)]
pub enum LinkError {
    #[error("the app's appKey is not known: open the app detail page (应用详情)")]
    NoAppKey,
    #[error("the app's 回调地址 is not known: open the app detail page (应用详情 → 基本信息)")]
    NoCallback,
    #[error("the app holds no package (已获取): the link would grant nothing")]
    NoScopes,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthLinks {
    /// The PC link, the one the console's "复制第一个链接" copies.
    pub first: String,
    /// The mobile link: the same query on open.kuaishou.com.
    pub second: String,
}

/// Percent-encodes like `encodeURIComponent`.
pub fn encode_uri_component(text: &str) -> String {
    utf8_percent_encode(text, URI_COMPONENT).to_string()
}

/// The query both links share: `app_id=…&redirect_uri=…&scope=a,b,c&response_type=code`.
/// Scope ids are `[a-z_]` only, so commas stay unencoded as in the console's link.
fn query(app_key: &str, callback: &str, scopes: &[String]) -> String {
    let mut unique: Vec<&str> = Vec::with_capacity(scopes.len());
    for scope in scopes {
        if !unique.contains(&scope.as_str()) {
            unique.push(scope);
        }
    }
    let scope_list: Vec<String> = unique.iter().map(|s| encode_uri_component(s)).collect();
    format!(
        "app_id={}&redirect_uri={}&scope={}&response_type=code",
        encode_uri_component(app_key),
        encode_uri_component(callback),
        crate::text::joined(&scope_list, ",")
    )
}

/// Both links for an app, given its appKey, 回调地址 and held packages in console order.
pub fn auth_links(app_key: &str, callback: &str, owned_scopes: &[String]) -> Result<AuthLinks, LinkError> {
    if app_key.trim().is_empty() {
        return Err(LinkError::NoAppKey);
    }
    if callback.trim().is_empty() {
        return Err(LinkError::NoCallback);
    }
    if owned_scopes.is_empty() {
        return Err(LinkError::NoScopes);
    }
    let q = query(app_key, callback, owned_scopes);
    Ok(AuthLinks { first: format!("{FIRST_LINK_BASE}?{q}"), second: format!("{SECOND_LINK_BASE}?{q}") })
}

/// The link for a stored app.
pub fn for_app(app: &crate::model::App) -> Result<AuthLinks, LinkError> {
    auth_links(&app.app_key, app.callback.as_deref().unwrap_or(""), &app.owned_scopes())
}

/// The packages a link grants (`scope=` split on `,`), for checking a dialog's link.
pub fn scopes_of_link(link: &str) -> Vec<String> {
    let query = link.split_once('?').map_or("", |(_, q)| q).split('#').next().unwrap_or("");
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(k, _)| *k == "scope")
        .flat_map(|(_, v)| crate::text::percent_decoded(v).split(',').map(str::trim).map(String::from).collect::<Vec<_>>())
        .filter(|s| !s.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_the_console_link() {
        let links = auth_links("ks123", "https://a.com/cb?x=1&y=中", &["user_info".into(), "merchant_item".into()]).unwrap();
        assert_eq!(
            links.first,
            "https://open.kwaixiaodian.com/oauth/authorize?app_id=ks123&redirect_uri=https%3A%2F%2Fa.com%2Fcb%3Fx%3D1%26y%3D%E4%B8%AD&scope=user_info,merchant_item&response_type=code"
        );
        assert!(links.second.starts_with("https://open.kuaishou.com/oauth2/authorize?app_id=ks123&"));
        assert_eq!(scopes_of_link(&links.first), vec!["user_info", "merchant_item"]);
    }

    #[test]
    fn encodes_like_encode_uri_component() {
        assert_eq!(encode_uri_component("a b!~*'()-_.#&=/?"), "a%20b!~*'()-_.%23%26%3D%2F%3F");
    }

    #[test]
    fn refuses_what_cannot_work() {
        assert_eq!(auth_links("", "https://a", &["user_info".into()]), Err(LinkError::NoAppKey));
        assert_eq!(auth_links("ks1", " ", &["user_info".into()]), Err(LinkError::NoCallback));
        assert_eq!(auth_links("ks1", "https://a", &[]), Err(LinkError::NoScopes));
    }
}
