//! Every label, word and pattern the readers look for, in one place, each with the example it
//! came from (platform.md §7 and the FAQ). Labels are compared after `text::fold_core`
//! (half-width, lower-case, no spaces, no bracketed asides, no trailing colon).

/// A label and the example text it was taken from.
pub struct Label {
    pub text: &'static str,
    /// Documentation for the reader of this file and the tests' messages; not compiled into
    /// the wasm (the examples were ~3 KB of it).
    #[cfg(test)]
    pub example: &'static str,
}

const fn l(text: &'static str, example: &'static str) -> Label {
    let _ = example;
    Label {
        text,
        #[cfg(test)]
        example,
    }
}

// ---- API detail page (/zone/new/docs/api?name=open.item.get&version=1) ----

/// The permission section at the bottom of an API page. Exact label unknown (platform.md §7).
pub const PERMISSION_SECTION: &[Label] = &[
    l("权限说明", "权限说明：该接口属于商品信息权限包"),
    l("所属权限包", "所属权限包 merchant_item"),
    l("权限包", "权限包：merchant_item"),
    l("权限信息", "权限信息 | 商品API权限"),
    l("授权范围", "授权范围 scope: merchant_item"),
    l("所需权限", "所需权限 商品信息"),
    l("所属权限", "所属权限：订单API权限"),
    l("权限组", "权限组 merchant_order (APP授权说明 §5 calls packages 权限组)"),
    l("所属权限组", "所属权限组：商品"),
    l("接口权限", "接口权限：merchant_item"),
    l("权限", "a bare 权限 column header in a one-row table"),
    l("scope", "scope: merchant_item"),
    l("permission", "Permission: merchant_item"),
    l("permissions", "Permissions"),
    l("permissionpackage", "Permission package: merchant_logistics"),
    l("permissionpackages", "Permission packages"),
    l("requiredpackage", "Required package"),
];

/// A permission label, possibly with a few words before it: `本接口所属权限包` ends with
/// `所属权限包`. Only labels of three or more characters count this way (`无权限` is no label).
pub fn is_permission_label(folded: &str) -> bool {
    is_label(folded, PERMISSION_SECTION)
        || PERMISSION_SECTION
            .iter()
            .any(|l| l.text.chars().count() >= 3 && folded.ends_with(l.text) && folded.chars().count() <= l.text.chars().count() + 4)
}

/// Other sections of an API page: they end the permission section.
pub const API_SECTIONS: &[Label] = &[
    l("描述", "描述：获取商品详情"),
    l("接口描述", "接口描述"),
    l("请求参数", "请求参数"),
    l("公共参数", "公共参数"),
    l("响应参数", "响应参数"),
    l("返回参数", "返回参数"),
    l("错误码", "错误码"),
    l("请求示例", "请求示例"),
    l("响应示例", "响应示例"),
    l("返回示例", "返回示例"),
    l("sdk示例", "SDK示例"),
    l("常见问题", "常见问题"),
    l("description", "Description"),
    l("requestparameters", "Request parameters"),
    l("responseparameters", "Response parameters"),
    l("response", "Response"),
    l("errorcodes", "Error codes"),
    l("requestexample", "Request example"),
    l("responseexample", "Response example"),
];

/// Fields that hold the method name (`API：open.item.get`), besides the title.
pub const API_NAME: &[Label] = &[
    l("api", "API：open.logistics.express.template.add"),
    l("api名称", "API名称 open.seller.order.cps.detail"),
    l("接口", "接口：open.item.material.detail.get ｜ 需用户授权"),
    l("接口名", "接口名"),
    l("接口名称", "接口名称：open.item.get"),
    l("方法", "方法：open.item.get"),
    l("方法名", "方法名 open.item.get"),
    l("方法名称", "方法名称"),
    l("method", "Method: open.item.get"),
    l("apiname", "API Name"),
];

/// The tag that marks an API needing a merchant's grant; and its negations.
pub const NEEDS_USER_AUTH: &[&str] =
    &["需用户授权", "需要用户授权", "userauthorizationrequired", "requiresuserauthorization", "needsuserauthorization"];
pub const NEEDS_USER_AUTH_NEGATED: &[&str] =
    &["不需用户授权", "无需用户授权", "不需要用户授权", "无需授权", "否", "notrequired", "noauthorization", "nouserauthorization"];

/// URL paths of API pages: `/zone/new/docs/api?name=…` and the older `/docs/api?apiName=…`.
pub const API_PAGE_PATHS: &[&str] = &["/docs/api"];
pub const API_NAME_PARAMS: &[&str] = &["name", "apiName"];

// ---- App detail page (控制台 → 应用中心 → 应用管理 → 应用详情) ----

pub const APP_KEY: &[Label] = &[
    l("appkey", "appKey：ks123456789"),
    l("app_key", "app_key: ks123"),
    l("应用key", "应用Key"),
    l("应用标识", "应用标识 ks123"),
    l("appid", "App ID (the link's app_id is the appKey)"),
    l("app_id", "app_id"),
    l("clientid", "Client ID"),
];
pub const APP_NAME: &[Label] = &[l("应用名称", "应用名称：小店助手"), l("应用名", "应用名"), l("appname", "App Name")];
pub const CALLBACK: &[Label] = &[
    l("回调地址", "回调地址：https://example.com/cb"),
    l("授权回调地址", "授权回调地址"),
    l("回调url", "回调URL"),
    l("回调域名", "回调域名"),
    l("redirect_uri", "redirect_uri"),
    l("redirecturi", "Redirect URI"),
    l("callbackurl", "Callback URL"),
    l("callback", "Callback"),
];
pub const APP_TYPE: &[Label] =
    &[l("应用类型", "应用类型：商家后台应用"), l("应用分类", "应用分类"), l("类型", "类型"), l("apptype", "App Type")];
/// Secrets: their values are never read or kept (the reader skips the node after these).
pub const SECRETS: &[Label] = &[
    l("appsecret", "appSecret：••••"),
    l("app_secret", "app_secret"),
    l("signsecret", "signSecret"),
    l("应用密钥", "应用密钥"),
    l("密钥", "密钥"),
    l("secret", "Secret"),
    l("access_token", "access_token"),
    l("accesstoken", "AccessToken"),
    l("token", "token"),
];

/// Fragments that mark an app type when the exact names below do not match
/// (`Merchant back-office app`, `第三方应用（服务市场）`).
pub const SERVICE_MARKET_HINTS: &[&str] = &["服务市场", "第三方", "thirdparty", "third-party", "servicemarket", "isv"];
pub const MERCHANT_HINTS: &[&str] = &["商家", "自研", "merchant", "self-built"];

/// App types as the console names them (platform.md §7).
pub const MERCHANT_APP: &[&str] = &[
    "商家后台应用",
    "商家应用",
    "自研应用",
    "商家自研应用",
    "商家后台",
    "merchantapp",
    "merchantbackendapp",
    "self-builtapp",
    "selfbuiltapp",
];
pub const SERVICE_MARKET_APP: &[&str] =
    &["第三方应用", "服务市场应用", "服务商应用", "isv应用", "thirdpartyapp", "third-partyapp", "servicemarketapp"];

/// Package statuses (已获取 / 未获取 / 申请中) and the synonyms a redesign might use.
/// (已开通 / 未开通 are not here: the console uses them for message topics, 消息推送, whose rows
/// also name packages.)
pub const OWNED: &[&str] = &["已获取", "已拥有", "已授权", "已通过", "owned", "granted", "obtained"];
pub const MISSING: &[&str] = &["未获取", "未拥有", "未申请", "可申请", "notobtained", "notowned", "notgranted", "missing"];
/// The 申请 button sits only beside packages the app lacks (platform.md §7).
pub const APPLY_BUTTON: &[&str] = &["申请", "去申请", "立即申请", "apply"];
pub const PENDING: &[&str] = &["申请中", "审核中", "待审核", "pending", "underreview"];
/// What stands between a package and its status on one line (besides spaces):
/// `user_info —— 已获取`, `用户基本信息：已获取`, `商品信息 · 已获取`, `订单API权限 | 未获取`.
pub const STATUS_SEPARATORS: &[char] = &['—', '-', '|', '｜', '/', ':', '：', '·', '・', '•'];

// ---- 授权管理 → 测试用户 / 授权用户 ----

pub const USERS_PAGE_MARKERS: &[&str] = &["测试用户", "授权用户", "发起授权", "授权管理", "testusers", "authorizedusers"];
/// The 发起授权 action (a button per user row, and the dialog's title).
pub const START_AUTHORIZATION: &[&str] = &["发起授权", "initiateauthorization", "startauthorization"];
pub const AUTHORIZED: &[&str] = &["已建立授权", "已授权", "授权成功", "authorized", "authorizationestablished"];
pub const NOT_AUTHORIZED: &[&str] = &[
    "未授权",
    "未建立授权",
    "已过期",
    "授权已过期",
    "已解除授权",
    "已解除",
    "已取消授权",
    "授权失效",
    "unauthorized",
    "notauthorized",
    "authorizationexpired",
    "expired",
    "revoked",
];
/// A user row's status field: `授权状态：已建立授权`, `状态：未授权` (the value is one of the words above).
pub const AUTHORIZATION_STATUS: &[Label] = &[
    l("授权状态", "授权状态：已建立授权"),
    l("状态", "状态：未授权"),
    l("authorizationstatus", "Authorization status: Authorized"),
    l("status", "Status: Expired"),
];
pub const USER_ID: &[Label] =
    &[l("用户id", "用户ID：1234567"), l("快手id", "快手ID"), l("userid", "UserId"), l("商家id", "商家ID"), l("id", "ID")];
/// The authorize links' prefixes: first (PC) and second (mobile).
pub const LINK_PREFIXES: &[&str] = &["https://open.kwaixiaodian.com/oauth/authorize?", "https://open.kuaishou.com/oauth2/authorize?"];

// ---- 授权查询工具 (/zone/new/tool/auth/authStatus) ----

pub const TOKEN_PAGE_PATHS: &[&str] = &["/tool/auth/authstatus", "/authstatus"];
pub const TOKEN_PAGE_MARKERS: &[&str] =
    &["授权查询工具", "授权查询", "授权状态查询", "token查询", "authorizationquerytool", "tokenquerytool", "authorizationquery"];
pub const TOKEN_SCOPES: &[Label] = &[
    l("scopes", "scopes: user_info,merchant_item"),
    l("scope", "scope"),
    l("grantedscopes", "Granted scopes | user_info merchant_user"),
    l("authorizedscopes", "Authorized scopes"),
    l("授权范围", "授权范围：商品信息、订单信息"),
    l("权限范围", "权限范围"),
    l("已授权权限", "已授权权限"),
    l("已授权权限包", "已授权权限包"),
    l("授权权限包", "授权权限包：(list below)"),
    l("token权限", "Token权限"),
    l("权限包", "权限包"),
    l("授权权限", "授权权限"),
    l("权限列表", "权限列表"),
    l("权限", "权限"),
];

/// A label introducing a token's packages: one of `TOKEN_SCOPES`, or any short label ending in
/// 权限包 / 权限 / 范围 / scope(s) (`授权的权限包`, `Token权限范围`).
pub fn is_token_scopes_label(folded: &str) -> bool {
    is_label(folded, TOKEN_SCOPES)
        || (folded.chars().count() <= 8 && ["权限包", "权限", "范围", "scope", "scopes"].iter().any(|end| folded.ends_with(end)))
}

/// Headings over a query's result, and over examples (which are never the result).
pub const RESULT_HEADINGS: &[&str] = &["查询结果", "结果", "result"];
pub const EXAMPLE_HEADINGS: &[&str] = &["示例", "例子", "example", "sample"];

/// Other fields of a query result: they say the page shows a token's details.
pub const TOKEN_RESULT_FIELDS: &[&[Label]] = &[
    &[l("openid", "openId：f8c1b2a3…")],
    &[l("过期时间", "过期时间：2024-06-20 18:30:00"), l("有效期", "有效期"), l("expires_in", "expires_in"), l("expiresat", "Expires at")],
];

// ---- Everywhere ----

/// A text that is only a symbol or two (`✓`, `⌛`, `✗`, `●`): an icon, whose `aria-label` or
/// `title` says what it means (`<abbr title="已获取">✓</abbr>`). Not ASCII marks (`*`, `?`):
/// a required-field star's title (`必填`) is no value.
pub fn is_glyph(text: &str) -> bool {
    let text = text.trim();
    !text.is_empty() && text.chars().count() <= 2 && !text.chars().any(|c| c.is_alphanumeric() || c.is_ascii())
}

/// Ancestors with these roles or tags are navigation, not content: a sidebar listing other APIs.
/// (Not `tablist`: an accordion is one, and its panels, 权限说明 among them, are content.)
pub const NAV_ROLES: &[&str] = &["navigation", "menu", "menubar", "tree", "banner", "contentinfo"];
pub const NAV_TAGS: &[&str] = &["nav", "aside", "footer", "header", "menu"];
/// Within these, the chrome tags above belong to the content (`<article><header><h1>…`).
pub const SECTIONING_TAGS: &[&str] = &["article", "section", "main"];
/// Dialogs and drawers: `<div role="dialog" aria-label="应用详情">` over the 应用列表 it was opened from.
pub const DIALOG_ROLES: &[&str] = &["dialog", "alertdialog"];
pub const DIALOG_TAGS: &[&str] = &["dialog"];
/// Code blocks: example JSON that may name other packages and methods.
pub const CODE_TAGS: &[&str] = &["pre", "textarea"];

/// Every list of labels above.
pub const LABEL_LISTS: &[&[Label]] = &[
    PERMISSION_SECTION,
    API_SECTIONS,
    API_NAME,
    APP_KEY,
    APP_NAME,
    CALLBACK,
    APP_TYPE,
    SECRETS,
    AUTHORIZATION_STATUS,
    USER_ID,
    TOKEN_SCOPES,
];

/// What may stand between the two halves of a bilingual label (`Redirect URI / 回调地址`), folded.
pub const BILINGUAL_SEPARATORS: &[char] = &['/', '|', '-'];

/// A label written in both languages, English and Chinese in either order — `App Key 应用标识`,
/// `Redirect URI / 回调地址`, `Request parameters 请求参数`, `Permission 权限包` — is its Chinese
/// half, when both halves are labels of one list (so both say the same thing). `folded` is
/// already `fold_core`d (`appkey应用标识`).
pub fn bilingual(folded: &str) -> Option<&str> {
    if folded.chars().count() > 40 {
        return None;
    }
    let first_ascii = folded.chars().next()?.is_ascii();
    let at = folded.find(|c: char| c.is_ascii() != first_ascii)?;
    let (head, tail) = folded.split_at(at);
    if tail.chars().any(|c| c.is_ascii() == first_ascii) {
        return None;
    }
    let (english, chinese) = if first_ascii { (head, tail) } else { (tail, head) };
    let english = english.trim_matches(BILINGUAL_SEPARATORS);
    LABEL_LISTS.iter().any(|list| is_label(english, list) && is_label(chinese, list)).then_some(chinese)
}

/// True when `folded` (already `fold_core`d) is one of `labels`.
pub fn is_label(folded: &str, labels: &[Label]) -> bool {
    labels.iter().any(|label| label.text == folded)
}

/// True when `folded` is one of `words`. Word lists are written folded (see the test below).
pub fn is_word(folded: &str, words: &[&str]) -> bool {
    words.contains(&folded)
}

/// An authorization status word: `Some(true)` for 已建立授权 / 已授权, `Some(false)` for 未授权 /
/// 已过期 …, `None` for any other text (folded).
pub fn authorization(folded: &str) -> Option<bool> {
    if is_word(folded, NOT_AUTHORIZED) {
        Some(false)
    } else if is_word(folded, AUTHORIZED) {
        Some(true)
    } else {
        None
    }
}

// ---- what the snapshot keeps of long runs of rows ----

/// The snapshot's rules (`snapshot::Rules`): a row of a long run (a 20,000-row call log) is
/// kept when its text holds one of these — a package as the console names it, a package or
/// authorization status, a field label — so collapsing a log never loses a package row or a
/// user. Plain substrings of the raw text: the content script tests the same list the same way.
pub fn snapshot_rules() -> crate::snapshot::Rules {
    let mut signals: Vec<String> = vec!["merchant_".into(), "权限".into()];
    for row in crate::catalog::packages() {
        signals.extend([row.id.to_string(), crate::catalog::chinese_name(row.id), row.desc.to_string(), row.remark.to_string()]);
    }
    let words = [OWNED, MISSING, PENDING, AUTHORIZED, NOT_AUTHORIZED].concat();
    signals.extend(words.iter().map(|w| w.to_string()));
    signals.extend([APP_KEY, CALLBACK, APP_NAME].iter().flat_map(|labels| labels.iter().map(|l| l.text.to_string())));
    // Of ASCII words only package ids: folded labels (`appkey`) rarely match raw text, and
    // English words (`missing`, `app_id`) are common in logs.
    signals.retain(|s| !s.is_empty() && (!s.is_ascii() || s.starts_with("merchant_") || s.starts_with("user_")));
    let signals = crate::text::sorted_by(signals, |a, b| a < b);
    let mut unique: Vec<String> = Vec::with_capacity(signals.len());
    for s in signals {
        if unique.last() != Some(&s) {
            unique.push(s);
        }
    }
    // A signal holding a shorter one adds nothing (`merchant_item` holds `merchant_`).
    let minimal = unique.iter().filter(|s| !unique.iter().any(|t| t != *s && s.contains(t.as_str()))).cloned().collect();
    crate::snapshot::Rules { row_signals: minimal }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::fold_core;

    #[test]
    fn labels_and_words_are_written_folded() {
        for label in LABEL_LISTS.iter().flat_map(|l| l.iter()) {
            assert_eq!(fold_core(label.text), label.text, "label {:?} (from {:?})", label.text, label.example);
        }
        let word_lists: &[&[&str]] = &[
            MERCHANT_APP,
            SERVICE_MARKET_APP,
            OWNED,
            MISSING,
            APPLY_BUTTON,
            PENDING,
            USERS_PAGE_MARKERS,
            START_AUTHORIZATION,
            AUTHORIZED,
            NOT_AUTHORIZED,
            TOKEN_PAGE_MARKERS,
            NEEDS_USER_AUTH,
            NEEDS_USER_AUTH_NEGATED,
        ];
        for word in word_lists.iter().flat_map(|l| l.iter()) {
            assert_eq!(&fold_core(word), word);
        }
    }

    #[test]
    fn glyphs_are_symbols_only() {
        assert!(is_glyph("✓") && is_glyph(" ⌛ ") && is_glyph("✗"));
        assert!(!is_glyph("*") && !is_glyph("?") && !is_glyph("i") && !is_glyph("已") && !is_glyph(""));
    }

    #[test]
    fn a_bilingual_label_is_its_chinese_half_when_both_halves_say_the_same() {
        let of = |text: &str| bilingual(&fold_core(text)).map(str::to_string);
        assert_eq!(of("App Key 应用标识").as_deref(), Some("应用标识"));
        assert_eq!(of("Redirect URI / 回调地址").as_deref(), Some("回调地址"));
        assert_eq!(of("请求参数 Request parameters").as_deref(), Some("请求参数"));
        assert_eq!(of("Permission 权限包").as_deref(), Some("权限包"));
        assert_eq!(of("App Key 回调地址"), None, "halves of different labels");
        assert_eq!(of("Nimbus 店铺助手"), None);
        assert_eq!(of("应用Key"), None, "one label, not two");
        assert_eq!(of("AppKey 应用标识 ks123"), None);
    }
}
