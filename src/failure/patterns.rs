//! Every text the parser looks for, each with the example it came from (platform.md §6,
//! data/error_codes.json) or why it is here: error texts and codes, field keys, success values,
//! exception markers, hosts, log levels. Text is matched against the ASCII-lower-cased record, so
//! patterns are written in lower case (`token过期` matches `TOKEN过期`).

use crate::model::FailureKind::{self, *};

/// When an error message field counts as an error on its own, without a recognised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Alone {
    /// Any non-blank value is an error (`error_msg`, `sub_msg`).
    Always,
    /// Only a quoted value: `"error":"…"` is JSON, `ERROR:root:…` is a log level.
    IfQuoted,
    /// Only next to a failing code (`msg`, `message` are also used by ordinary logs).
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Role {
    /// Error text that decides the kind wherever it appears.
    Says(FailureKind),
    /// A word that, near `scope`, makes it a missing scope. `true`: must be a whole word.
    ScopeNegation(bool),
    /// A code value and the kind it means by itself; other failing codes are `Business`.
    Code(FailureKind),
    /// A code so distinctive it is trusted as a bare number in free text.
    BareCode(FailureKind),
    /// A field holding the error message, most specific first, with its companion code field.
    MessageKey(&'static str, Alone),
    /// A field holding a code, preferred first. `true`: a failing value is an error by itself.
    CodeKey(bool),
    /// A code value meaning success.
    SuccessCode,
    /// A field value that is no error message (`"msg":"success"`, `"error":null`).
    NotAMessage,
    /// Free-text marker followed by an error message. `true`: must follow a letter (`ApiError:`).
    ErrorMarker(bool),
    /// A message ends before this (PHP appends the file: `… in /var/www/x.php:12`).
    MessageEnd,
    /// A segment that makes an `open.…` name a host, not an API (`open.kwaixiaodian.com`).
    HostSegment,
    /// The same, only as the last segment: `open.logistics.trouble.net.site.page.query` is an API.
    TopLevelDomain,
    /// A log-level word, never part of a message (`2024-05-01 ERROR token中无scope权限`).
    LogLevel,
    /// A field naming the merchant a line is about.
    MerchantKey,
}

pub(super) struct Pattern {
    pub(super) text: &'static str,
    pub(super) role: Role,
    /// Where the pattern was seen (platform.md §6, data/error_codes.json) or why it is here.
    /// Documentation, checked by the tests against the patterns; not compiled into the wasm
    /// (the examples were ~4.6 KB of it), as in `read::labels`.
    #[cfg(test)]
    pub(super) example: &'static str,
}

const fn p(text: &'static str, role: Role, example: &'static str) -> Pattern {
    let _ = example;
    Pattern {
        text,
        role,
        #[cfg(test)]
        example,
    }
}

/// The word every missing-scope message contains (`token中无scope权限`).
pub(super) const SCOPE_WORD: &str = "scope";

/// How far (bytes) a negation may stand from `scope`: `does not have the required scope`.
pub(super) const SCOPE_WINDOW: usize = 48;

pub(super) const PATTERNS: &[Pattern] = &[
    // Missing scope: `scope` plus a negation nearby, or the OAuth code.
    p("无", Role::ScopeNegation(false), "token中无scope权限 / token中无scope的权限"),
    p("没有", Role::ScopeNegation(false), "token中没有scope权限"),
    p("缺少", Role::ScopeNegation(false), "缺少scope"),
    p("不足", Role::ScopeNegation(false), "scope权限不足"),
    p("未授权", Role::ScopeNegation(false), "scope未授权"),
    p("错误", Role::ScopeNegation(false), "100200106 权限 scope 错误"),
    p("not", Role::ScopeNegation(true), "scope not granted / does not have the required scope"),
    p("n't", Role::ScopeNegation(false), "token doesn't have scope"),
    p("no", Role::ScopeNegation(true), "no scope for this api"),
    p("missing", Role::ScopeNegation(true), "missing scope merchant_item"),
    p("lack", Role::ScopeNegation(true), "lack of scope"),
    p("lacks", Role::ScopeNegation(true), "token lacks scope"),
    p("insufficient", Role::ScopeNegation(true), "insufficient scope / insufficient_scope"),
    p("invalid", Role::ScopeNegation(true), "100200106 invalid_scope"),
    p("without", Role::ScopeNegation(true), "called without scope"),
    p("denied", Role::ScopeNegation(true), "scope denied"),
    p("100200106", Role::Code(MissingScope), "OAuth 100200106 invalid_scope"),
    p("100200106", Role::BareCode(MissingScope), "100200106 invalid_scope"),
    // Revoked grant.
    p("authorization_revoked", Role::Says(RevokedGrant), r#"{"result":24,"error_msg":"AUTHORIZATION_REVOKED"}"#),
    p("authorization revoked", Role::Says(RevokedGrant), "authorization revoked by user"),
    p("revokedauthorization", Role::Says(RevokedGrant), "refreshToken.revokedAuthorization (100200102)"),
    p("授权已取消", Role::Says(RevokedGrant), "授权已取消"),
    p("授权已解除", Role::Says(RevokedGrant), "授权已解除"),
    p("已取消授权", Role::Says(RevokedGrant), "用户已取消授权"),
    p("已解除授权", Role::Says(RevokedGrant), "商家已解除授权"),
    p("取消了授权", Role::Says(RevokedGrant), "用户取消了授权"),
    p("24", Role::Code(RevokedGrant), r#""result":24 (AUTHORIZATION_REVOKED)"#),
    // Dead refresh token (more specific than the expired access token its words contain).
    p("refresh_token过期", Role::Says(RefreshTokenExpired), "refresh_token过期"),
    p("refresh_token已过期", Role::Says(RefreshTokenExpired), "refresh_token已过期，请重新授权"),
    p("refreshtoken过期", Role::Says(RefreshTokenExpired), "refreshToken过期"),
    p("refresh_token失效", Role::Says(RefreshTokenExpired), "refresh_token失效"),
    p("refresh_token已失效", Role::Says(RefreshTokenExpired), "refresh_token已失效"),
    p("refreshtoken.expired", Role::Says(RefreshTokenExpired), r#"{"result":100200102,"error_msg":"refreshToken.expired"}"#),
    p(
        "refreshtoken.discarded",
        Role::Says(RefreshTokenExpired),
        "100200102 refreshToken.discarded (an old token, 5 minutes after a refresh)",
    ),
    p("invalid refresh_token", Role::Says(RefreshTokenExpired), "invalid refresh_token"),
    p("invalid_refresh_token", Role::Says(RefreshTokenExpired), "error=invalid_refresh_token"),
    p("invalid refresh token", Role::Says(RefreshTokenExpired), "Invalid refresh token"),
    p("refresh token expired", Role::Says(RefreshTokenExpired), "refresh token expired"),
    p("refresh_token expired", Role::Says(RefreshTokenExpired), "refresh_token expired"),
    p("refresh token has expired", Role::Says(RefreshTokenExpired), "the refresh token has expired"),
    p("refresh_token is expired", Role::Says(RefreshTokenExpired), "refresh_token is expired"),
    // Authorization-page errors (FAQ K0010, K0009) and the service not ordered.
    p("不属于此应用的授权用户或测试用户", Role::Says(NotAppUser), "不属于此应用的授权用户或测试用户"),
    p("授权用户或测试用户", Role::Says(NotAppUser), "该用户不是授权用户或测试用户"),
    p("不属于此应用", Role::Says(NotAppUser), "当前账号不属于此应用"),
    p("invalid url", Role::Says(InvalidUrl), "Invalid url"),
    p("invalid_url", Role::Says(InvalidUrl), "error=invalid_url"),
    p("redirect_uri_mismatch", Role::Says(InvalidUrl), "OAuth error=redirect_uri_mismatch"),
    p("invalid redirect_uri", Role::Says(InvalidUrl), "invalid redirect_uri"),
    p("invalid redirect uri", Role::Says(InvalidUrl), "Invalid redirect URI"),
    p("服务未订购", Role::Says(ServiceNotOrdered), "服务未订购"),
    p("当前应用不允许此用户授权", Role::Says(ServiceNotOrdered), "当前应用不允许此用户授权"),
    p("unauthorized_client", Role::Says(ServiceNotOrdered), r#"{"result":100200101,"error":"unauthorized_client"}"#),
    p("100200101", Role::Code(ServiceNotOrdered), "100200101 unauthorized_client"),
    p("100200101", Role::BareCode(ServiceNotOrdered), "100200101 unauthorized_client"),
    // Expired token.
    p("token过期", Role::Says(ExpiredToken), r#""sub_msg":"TOKEN过期""#),
    p("token已过期", Role::Says(ExpiredToken), "access_token已过期"),
    p("token 过期", Role::Says(ExpiredToken), "access token 过期"),
    p("token失效", Role::Says(ExpiredToken), "token失效"),
    p("token已失效", Role::Says(ExpiredToken), "access_token已失效"),
    p("令牌过期", Role::Says(ExpiredToken), "访问令牌过期"),
    p("token expired", Role::Says(ExpiredToken), "access token expired"),
    p("token has expired", Role::Says(ExpiredToken), "the access token has expired"),
    p("token is expired", Role::Says(ExpiredToken), "access_token is expired"),
    p("expired token", Role::Says(ExpiredToken), "expired token"),
    p("expired_token", Role::Says(ExpiredToken), "error=expired_token"),
    p("token_expired", Role::Says(ExpiredToken), "ACCESS_TOKEN_EXPIRED"),
    // Quota.
    p("qps limit", Role::Says(Quota), "Exceed qps limit, KEY [apiId:...;appkey:...], MAX_QPS [300.0]"),
    p("quota limit", Role::Says(Quota), "[1017] exceed quota limit,[apiId:...;primaryUserId:...]"),
    p("调用频率超限", Role::Says(Quota), "调用频率超限"),
    p("限流", Role::Says(Quota), "接口限流"),
    p("[1016]", Role::Says(Quota), "[1016] Exceed qps limit"),
    p("[1017]", Role::Says(Quota), "[1017] exceed quota limit"),
    p("1016", Role::Code(Quota), r#""result":1016"#),
    p("1017", Role::Code(Quota), r#""result":1017"#),
    // Auth failed with nothing more specific (FAQ K0004: expired, missing package or revoked).
    p("鉴权失败", Role::Says(AuthFailed), r#""code":"803000","msg":"鉴权失败""#),
    p("access_denied", Role::Says(AuthFailed), r#"{"result":100200102,"error":"access_denied"}"#),
    p("803000", Role::Code(AuthFailed), r#""code":"803000""#),
    p("803000", Role::BareCode(AuthFailed), "803000 鉴权失败"),
    p("28", Role::Code(AuthFailed), r#""result":28 (TOKEN过期, or token/sign/scope failure)"#),
    p("22", Role::Code(AuthFailed), r#""result":22 no access permission (second-hand)"#),
    p("100200102", Role::Code(AuthFailed), "100200102 access_denied"),
    p("100200102", Role::BareCode(AuthFailed), "100200102 refreshToken.discarded"),
    // Business errors, including the false friend 1800608 (contains 权限, is not a scope).
    p("暂无站外分销推广权限", Role::Says(Business), r#"{"result":1800608,"error_msg":"暂无站外分销推广权限"}"#),
    p("1800608", Role::BareCode(Business), "1800608 暂无站外分销推广权限"),
    p("order operation reject", Role::Says(Business), r#"{"result":21,"error_msg":"order operation reject"}"#),
    p("主账号不存在", Role::Says(Business), r#"{"result":26,"error_msg":"主账号不存在"}"#),
    p("refund order not found", Role::Says(Business), "300011 REFUND ORDER NOT FOUND"),
    p("refund order operation reject", Role::Says(Business), "300012 REFUND ORDER OPERATION REJECT"),
    p("退款单不存在", Role::Says(Business), "300011 退款单不存在"),
    p("不能操作他人退款单", Role::Says(Business), "300012 不能操作他人退款单"),
    p("验签失败", Role::Says(Business), "27 验签失败"),
    p("签名校验失败", Role::Says(Business), "27 签名校验失败"),
    // Fields, most specific message first; each with the code written next to it.
    p("sub_msg", Role::MessageKey("sub_code", Alone::Always), r#""sub_code":"28","sub_msg":"TOKEN过期""#),
    p("submsg", Role::MessageKey("subcode", Alone::Always), "subMsg=token中无scope权限"),
    p("error_msg", Role::MessageKey("result", Alone::Always), r#""result":24,"error_msg":"AUTHORIZATION_REVOKED""#),
    p("errormsg", Role::MessageKey("result", Alone::Always), "KsMerchantApiResponse(result=28, errorMsg=…)"),
    p("errmsg", Role::MessageKey("errcode", Alone::Always), r#"{"errcode":28,"errmsg":"…"}"#),
    p("error_description", Role::MessageKey("result", Alone::Always), "OAuth error_description"),
    p("错误信息", Role::MessageKey("错误码", Alone::Always), "错误码: 28, 错误信息: TOKEN过期"),
    p("msg", Role::MessageKey("code", Alone::Never), r#""code":"803000","msg":"鉴权失败""#),
    p("message", Role::MessageKey("code", Alone::Never), r#"{"code":1017,"message":"exceed quota limit"}"#),
    p("error", Role::MessageKey("result", Alone::IfQuoted), r#"{"result":100200102,"error":"access_denied"}"#),
    p("sub_code", Role::CodeKey(true), r#""sub_code":"28""#),
    p("subcode", Role::CodeKey(true), "subCode=28"),
    p("result", Role::CodeKey(true), r#""result":1800608"#),
    p("error_code", Role::CodeKey(true), r#""error_code":1016"#),
    p("errorcode", Role::CodeKey(true), "errorCode=1017"),
    p("errcode", Role::CodeKey(true), r#""errcode":28"#),
    p("错误码", Role::CodeKey(true), "错误码: 28"),
    p("code", Role::CodeKey(false), r#""code":"803000""#),
    // The merchant a failing line is about (platform.md §2), most specific first.
    p("open_id", Role::MerchantKey, r#""open_id":"f0a1…""#),
    p("openid", Role::MerchantKey, "openId=f0a1…"),
    p("seller_id", Role::MerchantKey, "seller_id: 77"),
    p("sellerid", Role::MerchantKey, r#""sellerId":77"#),
    p("shop_id", Role::MerchantKey, "shop_id=1001"),
    p("shopid", Role::MerchantKey, "shopId=1001"),
    p("user_id", Role::MerchantKey, r#""user_id":"9021038847""#),
    p("userid", Role::MerchantKey, "userId: 9021038847"),
    p("1", Role::SuccessCode, r#"{"result":1,"data":{}}"#),
    p("0", Role::SuccessCode, r#"{"code":0,"msg":"success"}"#),
    p("200", Role::SuccessCode, r#"{"status":200,"code":200} (some SDKs)"#),
    p("", Role::NotAMessage, r#""error_msg":"""#),
    p("null", Role::NotAMessage, r#""error":null"#),
    p("none", Role::NotAMessage, "Python repr: 'error': None"),
    p("nil", Role::NotAMessage, "Go: error=nil"),
    p("undefined", Role::NotAMessage, "JS: msg: undefined"),
    p("true", Role::NotAMessage, r#""error":true"#),
    p("false", Role::NotAMessage, r#""error":false"#),
    p("success", Role::NotAMessage, r#""msg":"success""#),
    p("ok", Role::NotAMessage, r#""message":"ok""#),
    p("成功", Role::NotAMessage, r#""msg":"成功""#),
    p("操作成功", Role::NotAMessage, r#""msg":"操作成功""#),
    // Free-text markers (SDK exceptions).
    p("exception:", Role::ErrorMarker(false), "com.kuaishou.merchant.open.api.KsMerchantApiException: token中无scope权限"),
    p("error:", Role::ErrorMarker(true), "kwaixiaodian.KwaixiaodianApiError: [28] token中无scope权限"),
    p("failed:", Role::ErrorMarker(false), "open.item.get failed: 商品不存在"),
    p("failure:", Role::ErrorMarker(false), "call failure: 商品不存在"),
    p("失败:", Role::ErrorMarker(false), "调用失败:商品不存在"),
    p("失败：", Role::ErrorMarker(false), "调用失败：商品不存在"),
    p("错误:", Role::ErrorMarker(false), "接口错误:商品不存在"),
    p("错误：", Role::ErrorMarker(false), "接口错误：商品不存在"),
    p("异常:", Role::ErrorMarker(false), "调用异常:商品不存在"),
    p("异常：", Role::ErrorMarker(false), "调用异常：商品不存在"),
    p(" in /", Role::MessageEnd, "PHP: Uncaught ApiException: token中无scope权限 in /var/www/a.php:12"),
    p(" (method", Role::MessageEnd, "KsMerchantApiException: 商品不存在 (method=open.item.get)"),
    p("com", Role::TopLevelDomain, "https://open.kwaixiaodian.com/oauth/authorize"),
    p("cn", Role::TopLevelDomain, "open.example.cn"),
    p("net", Role::TopLevelDomain, "open.example.net"),
    p("org", Role::TopLevelDomain, "open.example.org"),
    p("kwaixiaodian", Role::HostSegment, "open.kwaixiaodian.com"),
    p("kuaishou", Role::HostSegment, "open.kuaishou.com/oauth2/authorize"),
    p("ERROR", Role::LogLevel, "2024-05-01 10:00:00 ERROR token中无scope权限"),
    p("ERR", Role::LogLevel, "E ERR TOKEN过期"),
    p("WARN", Role::LogLevel, "WARN TOKEN过期"),
    p("WARNING", Role::LogLevel, "WARNING TOKEN过期"),
    p("INFO", Role::LogLevel, "INFO TOKEN过期"),
    p("DEBUG", Role::LogLevel, "DEBUG TOKEN过期"),
    p("TRACE", Role::LogLevel, "TRACE TOKEN过期"),
    p("FATAL", Role::LogLevel, "FATAL TOKEN过期"),
];

pub(super) fn patterns() -> impl Iterator<Item = &'static Pattern> {
    PATTERNS.iter()
}

pub(super) fn texts_with(role: fn(Role) -> bool) -> impl Iterator<Item = &'static Pattern> {
    patterns().filter(move |pat| role(pat.role))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::failure::free_text::classify_message;

    #[test]
    fn every_text_pattern_matches_its_own_example() {
        for pat in PATTERNS {
            if let Role::Says(kind) = pat.role {
                assert_eq!(classify_message(pat.example), Some(kind), "{} / {}", pat.text, pat.example);
            }
        }
    }
}
