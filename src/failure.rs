//! Failure text: logs, JSON responses and SDK exceptions → the failing calls in them.
//!
//! The text is cut into records: a line, or a JSON object spread over several lines. A record
//! may name APIs (`method=open.item.get`, `/open/item/get`) and may carry an outcome: an error
//! (found in `error_msg`/`sub_msg`/`msg` fields, codes, or anywhere in the line) or a success
//! (`"result":1`). An error belongs to the API named in its record, else to the most recently
//! named API still waiting for its outcome (`calling open.item.get` then the response), else to
//! the one entry without an API. Hand-written scanners only: this runs as wasm and must stay small.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::model::{Failure, FailureKind, MAX_MERCHANT_ID};
use crate::text::{clip, method_names};

/// Everything a text says, bounded: at most [`MAX_FAILURES`] distinct failures are kept and
/// the rest counted, so a production log of any size never takes unbounded memory.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Parsed {
    pub failures: Vec<Failure>,
    /// Distinct (API, merchant) failures beyond the bound: counted, not kept.
    pub truncated: u64,
}

/// Distinct failures kept from one text (APIs × merchants).
pub const MAX_FAILURES: usize = 10_000;

// ---------------------------------------------------------------------------------------------
// Every pattern the module looks for. Text is matched against the ASCII-lower-cased record, so
// patterns are written in lower case (`token过期` matches `TOKEN过期`).
// ---------------------------------------------------------------------------------------------

use FailureKind::*;

/// When an error message field counts as an error on its own, without a recognised text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Alone {
    /// Any non-blank value is an error (`error_msg`, `sub_msg`).
    Always,
    /// Only a quoted value: `"error":"…"` is JSON, `ERROR:root:…` is a log level.
    IfQuoted,
    /// Only next to a failing code (`msg`, `message` are also used by ordinary logs).
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
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

struct Pattern {
    text: &'static str,
    role: Role,
    /// Where the pattern was seen (platform.md §6, data/error_codes.json) or why it is here.
    #[allow(dead_code)] // documentation; the tests check the examples against the patterns
    example: &'static str,
}

const fn p(text: &'static str, role: Role, example: &'static str) -> Pattern {
    Pattern { text, role, example }
}

/// The word every missing-scope message contains (`token中无scope权限`).
const SCOPE_WORD: &str = "scope";
/// How far (bytes) a negation may stand from `scope`: `does not have the required scope`.
const SCOPE_WINDOW: usize = 48;

const PATTERNS: &[Pattern] = &[
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

/// A record whose braces stay open longer than this is no JSON object: its lines stand alone.
const MAX_RECORD_LINES: usize = 120;
const MAX_RECORD_BYTES: usize = 64 * 1024;
/// Longest field value read (bytes); messages are clipped to 200 characters anyway.
const MAX_VALUE_BYTES: usize = 1024;
/// Fields of one key read per record, so hostile input stays linear.
const MAX_FIELDS_PER_KEY: usize = 64;
/// How far (characters) a free-text message may extend around the words that matched.
const SEGMENT_REACH: usize = 200;
const MESSAGE_CHARS: usize = 200;
/// Calls still waiting for their response, kept at most: a log of unanswered calls stays bounded.
const MAX_WAITING: usize = 4096;

fn patterns() -> impl Iterator<Item = &'static Pattern> {
    PATTERNS.iter()
}

fn texts_with(role: fn(Role) -> bool) -> impl Iterator<Item = &'static Pattern> {
    patterns().filter(move |pat| role(pat.role))
}

// ---------------------------------------------------------------------------------------------
// Public entry points.
// ---------------------------------------------------------------------------------------------

/// Every failing call in `text`, one per distinct API and merchant in order of first
/// appearance, plus the errors that name no API (see [`parse_all`]).
pub fn parse(text: &str) -> Vec<Failure> {
    parse_all(text).failures
}

/// Every failing call in `text`, bounded by [`MAX_FAILURES`]. APIs a text names without an
/// error of their own take the one error that names no API; when the text has other outcomes
/// only, they are left out (they may well have succeeded). A text with no recognised outcome at
/// all is an error Scope Doctor does not recognise — for the APIs it names, else for none: only
/// the absence of any text (a mark, `--api`) is the tool's premise, never text it cannot read.
pub fn parse_all(text: &str) -> Parsed {
    let mut ledger = Ledger::default();
    for_each_record(text, |record| ledger.read(record));
    ledger.into_parsed(|| unrecognized_text(text.chars(), text.lines()))
}

/// [`parse_all`] for a text that arrives a line at a time (a log file of any size): memory
/// stays bounded — the ledger by [`MAX_FAILURES`] and the calls waiting for a response, the
/// record being assembled by its line and byte caps — whatever the length of the text.
/// Feeding every piece of `text.split_inclusive('\n')` in order, then [`Stream::finish`],
/// gives exactly `parse_all(text)`.
#[derive(Default)]
pub struct Stream {
    ledger: Ledger,
    /// The record being assembled: the lines of an object whose braces are still open.
    record: String,
    lines: usize,
    depth: usize,
    /// The first non-blank line, clipped: the message of a text nothing in it is recognised.
    first_line: Option<String>,
    /// Letters and digits seen, counted up to two (see [`unrecognized_text`]).
    alphanumerics: usize,
}

impl Stream {
    pub fn new() -> Stream {
        Stream::default()
    }

    /// Takes the next line, with its `\n` (the text's last line may have none). The records are
    /// cut as [`parse_all`] cuts them: a line, or the lines of a multi-line JSON object.
    pub fn line(&mut self, line: &str) {
        if self.alphanumerics < 2 {
            self.alphanumerics += line.chars().filter(|c| c.is_alphanumeric()).take(2 - self.alphanumerics).count();
        }
        if self.first_line.is_none() && !line.trim().is_empty() {
            self.first_line = Some(clip(line.trim(), MESSAGE_CHARS).to_string());
        }
        // The same steps as `for_each_record`, with the record kept instead of sliced.
        self.record.push_str(line);
        self.lines += 1;
        self.depth = brace_depth_after(line, self.depth);
        if self.lines == 1 && !ends_open(line) {
            self.depth = 0;
        }
        if self.depth > 0 && self.lines < MAX_RECORD_LINES && self.record.len() < MAX_RECORD_BYTES {
            return;
        }
        if self.depth == 0 {
            self.ledger.read(&self.record);
        } else {
            self.record.split_inclusive('\n').for_each(|line| self.ledger.read(line));
            self.depth = 0;
        }
        self.record.clear();
        self.lines = 0;
    }

    /// Everything the text said, as [`parse_all`] would have answered.
    pub fn finish(mut self) -> Parsed {
        if !self.record.is_empty() {
            self.ledger.read(&self.record); // an object cut short is still one response
        }
        let (alphanumerics, first_line) = (self.alphanumerics, self.first_line.take());
        self.ledger.into_parsed(|| (alphanumerics >= 2).then(|| crate::secrets::scrub(first_line.as_deref().unwrap_or(""))))
    }
}

/// The message of a text in which nothing was recognised: its first non-blank line (clipped,
/// scrubbed), when it holds at least two letters or digits — stray punctuation or a lone letter
/// is no text at all.
fn unrecognized_text<'a>(chars: impl Iterator<Item = char>, lines: impl Iterator<Item = &'a str>) -> Option<String> {
    chars.filter(|c| c.is_alphanumeric()).nth(1)?;
    let first_line = lines.map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    Some(crate::secrets::scrub(clip(first_line, MESSAGE_CHARS)))
}

/// The kind an error message alone implies (`token中无scope权限` → MissingScope), if it
/// contains a recognised text or code; `None` for anything else.
pub fn classify_message(message: &str) -> Option<FailureKind> {
    text_hits(&Lowered::new(message)).into_iter().map(|hit| hit.kind).max_by_key(|kind| specificity(*kind))
}

/// How exactly a kind pins the cause inside one response: `鉴权失败` is the umbrella under which
/// `TOKEN过期` or `token中无scope权限` say more; the authorization page's own errors are the
/// most specific of all (`method=open.item.get Invalid url` is about the link, not the call).
fn specificity(kind: FailureKind) -> u8 {
    match kind {
        NotAppUser | InvalidUrl | ServiceNotOrdered => 9,
        MissingScope => 8,
        RefreshTokenExpired => 7,
        RevokedGrant => 6,
        ExpiredToken => 5,
        Quota => 4,
        AuthFailed => 3,
        Business => 2,
        Unrecognized => 1,
        Unknown => 0,
    }
}

/// Which of several errors of one API to keep: the one most likely to be a missing package.
fn merge_rank(kind: FailureKind) -> u8 {
    match kind {
        MissingScope => 9,
        AuthFailed => 8,
        RevokedGrant => 7,
        RefreshTokenExpired => 6,
        ExpiredToken => 5,
        NotAppUser | InvalidUrl | ServiceNotOrdered => 4,
        Quota => 3,
        Business => 2,
        Unrecognized => 1,
        Unknown => 0,
    }
}

// ---------------------------------------------------------------------------------------------
// Records.
// ---------------------------------------------------------------------------------------------

/// Calls `visit` with each record: a line, or the lines of a JSON object whose braces open on
/// one line and close on a later one (pretty-printed responses; PHP `print_r` uses parentheses).
fn for_each_record<'a>(text: &'a str, mut visit: impl FnMut(&'a str)) {
    let (mut start, mut pos, mut lines, mut depth) = (0, 0, 0, 0);
    for line in text.split_inclusive('\n') {
        pos += line.len();
        lines += 1;
        depth = brace_depth_after(line, depth);
        // Only a line ending in an opener starts a multi-line object; a log line cut short
        // (`{"result":28,"error_msg":"tok`) stays one record.
        if lines == 1 && !ends_open(line) {
            depth = 0;
        }
        if depth > 0 && lines < MAX_RECORD_LINES && pos - start < MAX_RECORD_BYTES {
            continue;
        }
        if depth == 0 {
            visit(&text[start..pos]);
        } else {
            // The braces never closed: no JSON object after all, so each line stands alone.
            text[start..pos].split_inclusive('\n').for_each(&mut visit);
            depth = 0;
        }
        start = pos;
        lines = 0;
    }
    if start < text.len() {
        visit(&text[start..]); // a pasted object cut short is still one response
    }
}

fn ends_open(line: &str) -> bool {
    line.trim_end().ends_with(['{', '(', '[', ','])
}

/// Bracket depth (`{}` and `()`) after `line`, ignoring those inside double-quoted strings. JSON
/// strings never span lines, so the string state starts fresh on each line.
fn brace_depth_after(line: &str, mut depth: usize) -> usize {
    let (mut in_string, mut escaped) = (false, false);
    for byte in line.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'{' | b'(' => depth += 1,
            b'}' | b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    depth
}

// ---------------------------------------------------------------------------------------------
// API names.
// ---------------------------------------------------------------------------------------------

fn is_name_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'.' | b'/')
}

/// The API names in a record with the byte offset of the word holding each.
fn api_mentions(record: &str) -> Vec<(usize, String)> {
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
            found.extend(api_names_in_word(word).into_iter().map(|name| (start, name)));
        }
    }
    found
}

/// `method_names` on one word of name characters, after hiding the `open` that are no API:
/// inside a Java package (`com.kuaishou.merchant.open.api.KsMerchantApiException`) or deep in a
/// path (`/rest/open/platform/doc/…`); hosts (`open.kwaixiaodian.com`) are dropped afterwards.
fn api_names_in_word(word: &str) -> Vec<String> {
    let mut masked = word.as_bytes().to_vec();
    for (at, _) in word.match_indices("open") {
        let inside_package = at > 0 && word.as_bytes()[at - 1] == b'.';
        let deep_in_path = at > 0 && word.as_bytes()[at - 1] == b'/' && !is_path_root(&word[..at - 1]);
        if inside_package || deep_in_path {
            masked[at..at + 4].copy_from_slice(b"OPEN");
        }
    }
    let masked = String::from_utf8(masked).unwrap_or_default(); // only ASCII bytes were swapped
    method_names(&masked).into_iter().filter(|name| !is_host_name(name)).map(|name| spelled_as_written(word, &name)).collect()
}

/// Whether a `/open/…` path starts right after this prefix: nothing, a host or a port
/// (`https://openapi.kwaixiaodian.com/open/item/get`, `localhost:8080/open/item/get`).
fn is_path_root(prefix: &str) -> bool {
    let last = prefix.rsplit('/').next().unwrap_or("");
    last.is_empty() || last.contains('.') || last.bytes().all(|b| b.is_ascii_digit())
}

fn is_host_name(name: &str) -> bool {
    let last = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
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

// ---------------------------------------------------------------------------------------------
// Searching.
// ---------------------------------------------------------------------------------------------

/// Bits in the byte-pair filter; a record of a few hundred bytes sets a few percent of them.
const PAIR_BITS: usize = 4096;

/// A text lower-cased (ASCII only, so byte offsets match the original) with a filter of the byte
/// pairs it contains: the ~80 patterns a log line cannot contain are skipped without a search.
struct Lowered {
    text: String,
    pairs: [u64; PAIR_BITS / 64],
}

impl Lowered {
    fn new(original: &str) -> Lowered {
        let text = original.to_ascii_lowercase();
        let mut pairs = [0u64; PAIR_BITS / 64];
        for pair in text.as_bytes().windows(2) {
            let bit = pair_bit(pair[0], pair[1]);
            pairs[bit / 64] |= 1 << (bit % 64);
        }
        Lowered { text, pairs }
    }

    /// False only when `needle` cannot occur (one of its byte pairs is absent).
    fn may_contain(&self, needle: &str) -> bool {
        needle.as_bytes().windows(2).all(|pair| {
            let bit = pair_bit(pair[0], pair[1]);
            self.pairs[bit / 64] & (1 << (bit % 64)) != 0
        })
    }

    /// Whether any searched pattern could start in this text (see `SEARCHED_FIRST_PAIRS`).
    fn may_hold_anything(&self) -> bool {
        self.pairs.iter().zip(SEARCHED_FIRST_PAIRS.iter()).any(|(mine, searched)| mine & searched != 0)
    }

    fn find(&self, needle: &str) -> Option<usize> {
        self.may_contain(needle).then(|| self.text.find(needle)).flatten()
    }

    fn positions<'s>(&'s self, needle: &'s str) -> impl Iterator<Item = usize> + 's {
        self.may_contain(needle).then(|| self.text.match_indices(needle).map(|(at, _)| at)).into_iter().flatten()
    }
}

const fn pair_bit(first: u8, second: u8) -> usize {
    (((first as u32) << 8 | second as u32).wrapping_mul(0x9E37_79B1) >> 20) as usize % PAIR_BITS
}

/// The first byte pair of every pattern searched for in a record, and of `open` (API names). A
/// record with none of them (`},`, `ok`, a blank line) cannot name an API or hold an error.
const SEARCHED_FIRST_PAIRS: [u64; PAIR_BITS / 64] = searched_first_pairs();

const fn searched_first_pairs() -> [u64; PAIR_BITS / 64] {
    let mut pairs = [0u64; PAIR_BITS / 64];
    let mut i = 0;
    while i <= PATTERNS.len() {
        let text = if i == PATTERNS.len() { "open".as_bytes() } else { PATTERNS[i].text.as_bytes() };
        let searched = i == PATTERNS.len()
            || matches!(
                PATTERNS[i].role,
                Role::Says(_) | Role::BareCode(_) | Role::MessageKey(..) | Role::CodeKey(_) | Role::ErrorMarker(_)
            );
        if searched && text.len() >= 2 {
            let bit = pair_bit(text[0], text[1]);
            pairs[bit / 64] |= 1 << (bit % 64);
        }
        i += 1;
    }
    let scope = SCOPE_WORD.as_bytes();
    let bit = pair_bit(scope[0], scope[1]);
    pairs[bit / 64] |= 1 << (bit % 64);
    pairs
}

// ---------------------------------------------------------------------------------------------
// One record's outcome.
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, PartialEq, Eq)]
struct Outcome {
    kind: FailureKind,
    code: Option<String>,
    message: String,
}

#[derive(Debug)]
enum Verdict {
    /// An error, with the byte offset of its evidence (to pick the nearest API in the record).
    Failed(Outcome, usize),
    Succeeded,
    Silent,
}

/// Evidence tiers, most direct first (a key's rank in the table is added within its tier):
/// quoted message fields, code fields, words in free text, unquoted message fields (they run
/// to loose punctuation), exception markers.
const QUOTED_FIELD_SOURCE: usize = 0;
const CODE_SOURCE: usize = 100;
const FREE_TEXT_SOURCE: usize = 200;
const UNQUOTED_FIELD_SOURCE: usize = 201;
const MARKER_SOURCE: usize = 300;

/// A possible reading of a record's error. Lower `source` = more direct evidence.
struct Candidate {
    kind: FailureKind,
    code: Option<String>,
    message: String,
    at: usize,
    source: usize,
}

fn judge_record(record: &str, lower: &Lowered) -> Verdict {
    let messages = message_fields(record, lower);
    let codes = code_fields(record, lower);
    let failing_code = codes.iter().any(|field| is_failing_code(&field.value));
    let mut candidates = Vec::new();
    candidates.extend(message_candidates(&messages, &codes, failing_code));
    candidates.extend(code_candidates(&codes, &messages));
    candidates.extend(free_text_candidates(record, lower));
    let best = candidates.into_iter().min_by_key(|c| (std::cmp::Reverse(specificity(c.kind)), c.source, c.at));
    match best {
        Some(best) => complete(best, &messages, &codes, lower),
        None if codes.iter().any(|field| is_success_code(&field.value)) => Verdict::Succeeded,
        None => Verdict::Silent,
    }
}

/// Fills a chosen candidate's missing message and code from the record's fields.
fn complete(best: Candidate, messages: &[Field], codes: &[Field], lower: &Lowered) -> Verdict {
    let message = if best.message.is_empty() {
        messages.iter().find(|f| !is_blank_message(&f.value)).map(|f| f.value.clone()).unwrap_or_default()
    } else {
        best.message
    };
    let code = best.code.or_else(|| record_code(codes));
    let kind = if best.kind == AuthFailed && is_about_refresh_token(lower) { RefreshTokenExpired } else { best.kind };
    // Shown to the user, so never with a token in it (`… access_token=… token中无scope权限`).
    let message = crate::secrets::scrub(clip(message.trim(), MESSAGE_CHARS));
    let outcome = Outcome { kind, code, message };
    Verdict::Failed(outcome, best.at)
}

/// `100200102`/`access_denied` from the refresh endpoint: the refresh token is dead
/// (`POST /oauth2/refresh_token {"result":100200102,"error":"access_denied"}`).
fn is_about_refresh_token(lower: &Lowered) -> bool {
    let denied = lower.find("access_denied").is_some() || find_number(lower, "100200102").is_some();
    denied && (lower.find("refresh_token").is_some() || lower.find("refreshtoken").is_some() || lower.find("refresh token").is_some())
}

/// The merchant a record names (`shopId=1001`, `"open_id":"f0a1…"`): one word of id
/// characters, else none (`"user_id":null` names nobody).
fn record_merchant(record: &str, lower: &Lowered) -> Option<String> {
    fields_of(record, lower, |r| matches!(r, Role::MerchantKey)).into_iter().find_map(|field| {
        let id = field.value.split_whitespace().next().unwrap_or("");
        let well_formed = (1..=MAX_MERCHANT_ID).contains(&id.len())
            && id.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'=' | b'+' | b'/'))
            && !is_blank_message(id);
        well_formed.then(|| id.to_string())
    })
}

/// The code to report when none stands next to the message: the most specific failing one.
fn record_code(codes: &[Field]) -> Option<String> {
    codes.iter().find(|f| !is_success_code(&f.value)).map(|f| f.value.clone())
}

fn message_candidates(messages: &[Field], codes: &[Field], failing_code: bool) -> Vec<Candidate> {
    let mut out = Vec::new();
    for field in messages {
        let Role::MessageKey(code_key, alone) = field.role else { continue };
        let recognised = classify_message(&field.value);
        let counts_alone = match alone {
            Alone::Always => true,
            Alone::IfQuoted => field.quoted,
            Alone::Never => failing_code,
        };
        let kind = match recognised {
            Some(kind) => kind,
            None if counts_alone && !is_blank_message(&field.value) => Unrecognized,
            None => continue,
        };
        let code = codes.iter().find(|c| c.key == code_key && !is_success_code(&c.value)).map(|c| c.value.clone());
        // An unquoted value runs to loose punctuation (`Fatal error:  Uncaught …: msg in /x.php`),
        // so the tighter free-text reading of the same words is preferred.
        let source = if field.quoted { QUOTED_FIELD_SOURCE } else { UNQUOTED_FIELD_SOURCE } + field.rank;
        out.push(Candidate { kind, code, message: field.value.clone(), at: field.at, source });
    }
    out
}

fn code_candidates(codes: &[Field], messages: &[Field]) -> Vec<Candidate> {
    let mut out = Vec::new();
    for field in codes {
        let Role::CodeKey(alone) = field.role else { continue };
        // `"result":28` alone is a response; `result=5 items` in prose is not.
        let stands_alone = alone && field.key_quoted;
        if !is_failing_code(&field.value) || (!stands_alone && messages.is_empty()) {
            continue;
        }
        let kind = code_kind(&field.value).unwrap_or(Unrecognized);
        let message = messages
            .iter()
            .find(|m| matches!(m.role, Role::MessageKey(k, _) if k == field.key) && !is_blank_message(&m.value))
            .map(|m| m.value.clone())
            .unwrap_or_default();
        out.push(Candidate { kind, code: Some(field.value.clone()), message, at: field.at, source: CODE_SOURCE + field.rank });
    }
    out
}

fn code_kind(code: &str) -> Option<FailureKind> {
    patterns().find_map(|pat| match pat.role {
        Role::Code(kind) if pat.text == code => Some(kind),
        _ => None,
    })
}

fn is_success_code(value: &str) -> bool {
    texts_with(|r| matches!(r, Role::SuccessCode)).any(|pat| pat.text == value)
}

/// A numeric code that is not a success: `28`, `803000`, `1800608`.
fn is_failing_code(value: &str) -> bool {
    !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) && !is_success_code(value)
}

fn is_blank_message(value: &str) -> bool {
    let lower = value.trim().to_ascii_lowercase();
    texts_with(|r| matches!(r, Role::NotAMessage)).any(|pat| pat.text == lower)
}

// ---------------------------------------------------------------------------------------------
// Fields: `"error_msg":"…"`, `'sub_msg': '…'`, `errorMsg=…`, `[error_msg] => …`, `\"msg\":\"…\"`.
// ---------------------------------------------------------------------------------------------

#[derive(Debug)]
struct Field {
    key: &'static str,
    role: Role,
    /// Position of the key in the table among keys of its kind (0 = most specific).
    rank: usize,
    value: String,
    quoted: bool,
    /// The key was quoted or bracketed (`"result":`, `[result] =>`): a data structure, not prose.
    key_quoted: bool,
    at: usize,
}

fn message_fields(record: &str, lower: &Lowered) -> Vec<Field> {
    fields_of(record, lower, |r| matches!(r, Role::MessageKey(..)))
}

/// Code fields; a code is one word (`错误码：28 错误信息：…` → `28`).
fn code_fields(record: &str, lower: &Lowered) -> Vec<Field> {
    let mut codes = fields_of(record, lower, |r| matches!(r, Role::CodeKey(_)));
    for field in &mut codes {
        field.value = field.value.split_whitespace().next().unwrap_or("").to_string();
    }
    codes
}

/// The fields of every key with the given role, in key order (most specific first).
fn fields_of(record: &str, lower: &Lowered, role: fn(Role) -> bool) -> Vec<Field> {
    let mut out = Vec::new();
    for (rank, pat) in texts_with(role).enumerate() {
        let found = lower
            .positions(pat.text)
            .filter_map(|at| field_value_at(record, at, pat.text).map(|(value, quoted)| (at, value, quoted)))
            .take(MAX_FIELDS_PER_KEY);
        for (at, value, quoted) in found {
            let key_quoted = at > 0 && matches!(record.as_bytes()[at - 1], b'"' | b'\'' | b'[');
            out.push(Field { key: pat.text, role: pat.role, rank, value, quoted, key_quoted, at });
        }
    }
    out
}

fn is_key_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'_' | b'-')
}

/// The value of the field whose key starts at `at`, if `key` really is a whole key there
/// (`msg` inside `error_msg` is not), with whether it was quoted.
fn field_value_at(record: &str, at: usize, key: &str) -> Option<(String, bool)> {
    let bytes = record.as_bytes();
    let mut before = at;
    if before > 0 && matches!(bytes[before - 1], b'"' | b'\'' | b'[') {
        before -= 1;
        if before > 0 && bytes[before - 1] == b'\\' {
            before -= 1;
        }
    }
    if before > 0 && is_key_byte(bytes[before - 1]) {
        return None;
    }
    let mut i = at + key.len();
    if bytes.get(i) == Some(&b'\\') {
        i += 1;
    }
    if matches!(bytes.get(i), Some(b'"' | b'\'' | b']')) {
        i += 1;
    }
    i = skip_spaces(bytes, i);
    i = after_separator(record, i)?;
    i = skip_spaces(bytes, i);
    read_value(&record[i..])
}

fn skip_spaces(bytes: &[u8], mut i: usize) -> usize {
    while matches!(bytes.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// Past `:`, `=`, `=>` or the full-width `：`.
fn after_separator(record: &str, i: usize) -> Option<usize> {
    let rest = record.get(i..)?;
    if rest.starts_with("=>") {
        Some(i + 2)
    } else if rest.starts_with(':') || rest.starts_with('=') {
        Some(i + 1)
    } else if rest.starts_with('：') {
        Some(i + '：'.len_utf8())
    } else {
        None
    }
}

/// A field value at the start of `rest`: quoted, quoted inside a string (`\"…\"`) or bare.
/// Objects and arrays are no value here; their own fields are scanned separately.
fn read_value(rest: &str) -> Option<(String, bool)> {
    match rest.as_bytes().first()? {
        b'"' => Some((read_quoted(&rest[1..], b'"', false), true)),
        b'\'' => Some((read_quoted(&rest[1..], b'\'', false), true)),
        b'\\' if rest[1..].starts_with('"') => Some((read_quoted(&rest[2..], b'"', true), true)),
        b'{' | b'[' => None,
        _ => Some((read_bare(rest).to_string(), false)),
    }
}

/// A quoted string up to its closing quote (`\"` when `nested`), decoding the usual escapes.
fn read_quoted(text: &str, quote: u8, nested: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < bytes.len() && i < MAX_VALUE_BYTES {
        match bytes[i] {
            b'\n' | b'\r' => break,
            b'\\' if nested && bytes.get(i + 1) == Some(&b'"') => break,
            b'\\' => {
                let Some(escaped) = text[i + 1..].chars().next() else { break };
                i += 1 + escaped.len_utf8();
                match escaped {
                    'n' | 'r' | 't' => out.push(' '),
                    'u' => {
                        let (c, used) = unicode_escape(&text[i..]);
                        out.push(c);
                        i += used;
                    }
                    other => out.push(other),
                }
            }
            byte if byte == quote && !nested => break,
            _ => {
                let Some(c) = text[i..].chars().next() else { break };
                out.push(c);
                i += c.len_utf8();
            }
        }
    }
    out
}

/// The character of a `\uXXXX` escape (after the `\u`) and the bytes used, pairing surrogates;
/// U+FFFD for anything malformed.
fn unicode_escape(rest: &str) -> (char, usize) {
    let Some(high) = hex4(rest) else { return ('\u{FFFD}', 0) };
    if (0xD800..0xDC00).contains(&high) {
        let low = rest.get(4..6).filter(|s| *s == "\\u").and_then(|_| hex4(rest.get(6..)?));
        if let Some(low) = low.filter(|low| (0xDC00..0xE000).contains(low)) {
            let joined = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
            return (char::from_u32(joined).unwrap_or('\u{FFFD}'), 10);
        }
    }
    (char::from_u32(high).unwrap_or('\u{FFFD}'), 4)
}

fn hex4(text: &str) -> Option<u32> {
    let digits = text.get(..4)?;
    if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(digits, 16).ok()
}

/// An unquoted value: up to punctuation that ends fields in logs and `toString()` output, or a
/// space before the next `key=` (`errorMsg=TOKEN过期 method=open.item.get`).
fn read_bare(rest: &str) -> &str {
    for (i, c) in rest.char_indices() {
        let ends = matches!(c, ',' | ';' | '&' | '}' | ']' | '(' | ')' | '"' | '\n' | '\r' | '\t' | '，' | '；');
        if ends || i >= MAX_VALUE_BYTES || (c == ' ' && starts_next_field(&rest[i + 1..])) {
            return rest[..i].trim();
        }
    }
    rest.trim()
}

/// Whether `rest` starts with `key=`, `key:` or `键：` (ASCII or Chinese key).
fn starts_next_field(rest: &str) -> bool {
    let key_len: usize = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').map(char::len_utf8).sum();
    key_len > 0 && matches!(rest[key_len..].chars().next(), Some('=' | ':' | '：'))
}

// ---------------------------------------------------------------------------------------------
// Free text: recognised words anywhere in a record, and SDK exception markers.
// ---------------------------------------------------------------------------------------------

/// A recognised text in a lower-cased string, with the byte span that matched.
struct Hit {
    kind: FailureKind,
    from: usize,
    to: usize,
}

/// The first occurrence of every recognised text, plus a missing-scope phrase and bare codes.
fn text_hits(lower: &Lowered) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pat in patterns() {
        match pat.role {
            Role::Says(kind) => {
                if let Some(at) = lower.find(pat.text) {
                    let to = at + pat.text.len();
                    // A bracketed code (`[1017] exceed quota limit`) introduces the message after it.
                    let from = if pat.text.starts_with('[') { to } else { at };
                    hits.push(Hit { kind, from, to });
                }
            }
            Role::BareCode(kind) => {
                if let Some(at) = find_number(lower, pat.text) {
                    // The message follows the code: `1800608 暂无站外分销推广权限`.
                    let after = &lower.text[at + pat.text.len()..];
                    let to = lower.text.len() - after.trim_start().len();
                    hits.push(Hit { kind, from: to, to });
                }
            }
            _ => {}
        }
    }
    hits.extend(missing_scope_hit(lower));
    hits
}

/// `scope` with a negation close by: `token中无scope权限`, `insufficient scope`, `invalid_scope`.
fn missing_scope_hit(lower: &Lowered) -> Option<Hit> {
    let text = lower.text.as_str();
    for at in lower.positions(SCOPE_WORD) {
        if at > 0 && text.as_bytes()[at - 1].is_ascii_alphabetic() {
            continue; // `telescope`
        }
        let from = floor_boundary(text, at.saturating_sub(SCOPE_WINDOW));
        let to = floor_boundary(text, (at + SCOPE_WORD.len() + SCOPE_WINDOW).min(text.len()));
        if let Some((neg_from, neg_to)) = negation_in(text, from, to) {
            return Some(Hit { kind: MissingScope, from: neg_from.min(at), to: neg_to.max(at + SCOPE_WORD.len()) });
        }
    }
    None
}

/// The span of the first scope negation inside `lower[from..to]`.
fn negation_in(lower: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let window = &lower[from..to];
    texts_with(|r| matches!(r, Role::ScopeNegation(_))).find_map(|pat| {
        let whole_word = matches!(pat.role, Role::ScopeNegation(true));
        window
            .match_indices(pat.text)
            .map(|(at, _)| (from + at, from + at + pat.text.len()))
            .find(|&(a, b)| !whole_word || is_whole_word(lower, a, b))
    })
}

fn is_whole_word(text: &str, from: usize, to: usize) -> bool {
    let bytes = text.as_bytes();
    let before_ok = from == 0 || !bytes[from - 1].is_ascii_alphanumeric();
    let after_ok = to >= bytes.len() || !bytes[to].is_ascii_alphanumeric();
    before_ok && after_ok
}

/// The first occurrence of `number` not inside a longer number.
fn find_number(lower: &Lowered, number: &str) -> Option<usize> {
    let bytes = lower.text.as_bytes();
    lower.positions(number).find(|&at| {
        let end = at + number.len();
        (at == 0 || !bytes[at - 1].is_ascii_digit()) && (end >= bytes.len() || !bytes[end].is_ascii_digit())
    })
}

fn floor_boundary(text: &str, mut at: usize) -> usize {
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

fn free_text_candidates(record: &str, lower: &Lowered) -> Vec<Candidate> {
    let mut out: Vec<Candidate> = text_hits(lower)
        .into_iter()
        .map(|hit| {
            let (seg_from, message) = segment(record, hit.from, hit.to);
            let code = code_just_before(record, seg_from);
            // A bare code with no words after it (`result=803000`) has no message to show.
            let message = if message.bytes().all(|b| b.is_ascii_digit()) { "" } else { message };
            Candidate { kind: hit.kind, code, message: message.to_string(), at: hit.from, source: FREE_TEXT_SOURCE }
        })
        .collect();
    out.extend(marker_candidate(record, lower));
    out
}

/// A message after an exception marker (`KsMerchantApiException: 商品不存在`): an error Scope
/// Doctor does not recognise unless its words say more (those are found by `text_hits`).
fn marker_candidate(record: &str, lower: &Lowered) -> Option<Candidate> {
    texts_with(|r| matches!(r, Role::ErrorMarker(_))).find_map(|pat| {
        let after_word = matches!(pat.role, Role::ErrorMarker(true));
        let at = lower.positions(pat.text).find(|&at| !after_word || (at > 0 && lower.text.as_bytes()[at - 1].is_ascii_alphabetic()))?;
        let start = at + pat.text.len();
        let message = message_until_end(&record[start..]);
        if message.is_empty() || is_blank_message(message) {
            return None;
        }
        let code = code_just_before(record, start + (record[start..].len() - record[start..].trim_start().len()));
        Some(Candidate { kind: Unrecognized, code, message: message.to_string(), at, source: MARKER_SOURCE })
    })
}

/// Text up to the end of the line or a `MessageEnd` pattern, trimmed and clipped.
fn message_until_end(rest: &str) -> &str {
    let line_end = rest.find(['\n', '\r']).unwrap_or(rest.len());
    let line = &rest[..line_end];
    let end = texts_with(|r| matches!(r, Role::MessageEnd)).filter_map(|pat| line.find(pat.text)).min().unwrap_or(line.len());
    clip(line[..end].trim(), MESSAGE_CHARS)
}

fn is_segment_end(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '`'
            | ':'
            | '：'
            | '|'
            | '['
            | ']'
            | '('
            | ')'
            | '{'
            | '}'
            | '<'
            | '>'
            | ','
            | '，'
            | ';'
            | '；'
            | '='
            | '\t'
            | '\n'
            | '\r'
            | '（'
            | '）'
            | '【'
            | '】'
    )
}

/// The message around a matched span: out to the nearest punctuation on both sides
/// (`KsMerchantApiException: token中无scope权限 (method=…)` → `token中无scope权限`).
fn segment(record: &str, from: usize, to: usize) -> (usize, &str) {
    let start =
        record[..from].char_indices().rev().take(SEGMENT_REACH).take_while(|(_, c)| !is_segment_end(*c)).last().map_or(from, |(i, _)| i);
    let tail = &record[to..];
    let mut end = to
        + tail
            .char_indices()
            .take(SEGMENT_REACH)
            .find(|(_, c)| is_segment_end(*c))
            .map_or_else(|| tail.char_indices().nth(SEGMENT_REACH).map_or(tail.len(), |(i, _)| i), |(i, _)| i);
    if let Some(cut) = texts_with(|r| matches!(r, Role::MessageEnd)).filter_map(|pat| record[to..end].find(pat.text)).min() {
        end = to + cut;
    }
    let start = skip_leading_technical_words(record, start, from);
    let end = cut_trailing_technical_words(record, to, end);
    (start, record[start..end].trim())
}

/// Words that belong to the log around a message, not to it: method names, class names,
/// URLs, key=value pairs, bare numbers and log levels (`ERROR open.item.get TOKEN过期`).
fn is_technical_word(word: &str) -> bool {
    let machine_like = word.contains(['.', '/', '\\', '_', '=', '@']) && word.is_ascii();
    let number = !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit());
    let level = texts_with(|r| matches!(r, Role::LogLevel)).any(|pat| pat.text == word);
    machine_like || number || level
}

/// Moves `start` past whole technical words that end before the matched words at `from`.
fn skip_leading_technical_words(record: &str, mut start: usize, from: usize) -> usize {
    loop {
        let before = &record[start..from];
        let trimmed = before.trim_start();
        let Some(word_len) = trimmed.find(char::is_whitespace) else { return start };
        if !is_technical_word(&trimmed[..word_len]) {
            return start;
        }
        start += before.len() - trimmed.len() + word_len;
    }
}

/// Cuts the text after the matched words at the first whitespace before a technical word.
fn cut_trailing_technical_words(record: &str, to: usize, end: usize) -> usize {
    let after = &record[to..end];
    let mut offset = 0;
    for word in after.split_inclusive(char::is_whitespace) {
        let starts_after_space = offset > 0 && after[..offset].ends_with(char::is_whitespace);
        if starts_after_space && is_technical_word(word.trim_end()) {
            return to + offset;
        }
        offset += word.len();
    }
    end
}

/// A code written just before a message: in brackets (`ApiError: [28] token中无scope权限`), or
/// a known code on its own (`1800608 暂无站外分销推广权限`).
fn code_just_before(record: &str, at: usize) -> Option<String> {
    let bytes = &record.as_bytes()[..at];
    let mut end = bytes.len();
    while end > 0 && matches!(bytes[end - 1], b' ' | b':') {
        end -= 1;
    }
    let bracketed = end > 0 && matches!(bytes[end - 1], b']' | b')');
    let digits_end = if bracketed { end - 1 } else { end };
    let mut start = digits_end;
    while start > 0 && bytes[start - 1].is_ascii_digit() {
        start -= 1;
    }
    let digits = &record[start..digits_end];
    let opened = start > 0 && matches!(bytes[start - 1], b'[' | b'(');
    let alone = start == 0 || bytes[start - 1].is_ascii_whitespace();
    let known = patterns().any(|pat| matches!(pat.role, Role::Code(_) | Role::BareCode(_)) && pat.text == digits);
    let fits = (2..=9).contains(&digits.len());
    (fits && ((bracketed && opened) || (!bracketed && alone && known))).then(|| digits.to_string())
}

// ---------------------------------------------------------------------------------------------
// Tying outcomes to APIs.
// ---------------------------------------------------------------------------------------------

struct Entry {
    api: Option<String>,
    merchant: Option<String>,
    outcome: Option<Outcome>,
    succeeded: bool,
    /// Mentions of this API still waiting for their outcome.
    waiting: usize,
    /// Failing records counted into this entry.
    count: u64,
}

/// An entry's identity: the API (lower-cased), the merchant, and — for errors that name no
/// API — the kind, so that `Invalid url` and an unrecognised line stay two findings.
type EntryKey = (Option<String>, Option<String>, Option<FailureKind>);

#[derive(Default)]
struct Ledger {
    entries: Vec<Entry>,
    by_key: HashMap<EntryKey, usize>,
    /// Entry indices of mentions waiting for an outcome, most recent last (may hold stale ones).
    waiting: Vec<usize>,
    /// Failing records that did not fit under `MAX_FAILURES`.
    truncated: u64,
    /// Whether any record was a success response.
    any_success: bool,
}

impl Ledger {
    /// Takes one record: what it names, what became of the call, and whose call it was.
    fn read(&mut self, record: &str) {
        let lower = Lowered::new(record);
        if lower.may_hold_anything() {
            self.take(&api_mentions(record), judge_record(record, &lower), record_merchant(record, &lower));
        }
    }

    fn take(&mut self, mentions: &[(usize, String)], verdict: Verdict, merchant: Option<String>) {
        match verdict {
            Verdict::Silent => {
                for (_, api) in mentions {
                    if let Some(index) = self.entry_for(Some(api), merchant.clone(), None) {
                        self.entries[index].waiting += 1;
                        self.waiting.push(index);
                    }
                }
                if self.waiting.len() > MAX_WAITING {
                    self.waiting.drain(..MAX_WAITING / 2);
                }
            }
            Verdict::Succeeded if mentions.is_empty() => {
                self.any_success = true;
                if let Some(index) = self.pop_waiting() {
                    self.entries[index].succeeded = true;
                }
            }
            Verdict::Succeeded => {
                self.any_success = true;
                for (_, api) in mentions {
                    if let Some(index) = self.entry_for(Some(api), merchant.clone(), None) {
                        self.consume_own_mention(index);
                        self.entries[index].succeeded = true;
                    }
                }
            }
            // The authorization page's and the refresh token's errors concern no API call.
            Verdict::Failed(outcome, _) if outcome.kind.concerns_no_api() => {
                let kind = outcome.kind;
                let index = self.entry_for(None, merchant, Some(kind));
                self.record_outcome(index, outcome);
            }
            Verdict::Failed(outcome, _) if mentions.is_empty() => {
                let target = match self.pop_waiting() {
                    Some(index) => {
                        let called = &self.entries[index];
                        let api = called.api.clone();
                        let merchant = merchant.or_else(|| called.merchant.clone());
                        self.entry_for(api.as_deref(), merchant, None)
                    }
                    None => self.entry_for(None, merchant, Some(outcome.kind)),
                };
                self.record_outcome(target, outcome);
            }
            Verdict::Failed(outcome, at) => {
                let nearest = mentions.iter().min_by_key(|(pos, _)| pos.abs_diff(at)).map(|(_, api)| api);
                if let Some(api) = nearest {
                    let index = self.entry_for(Some(api), merchant, None);
                    if let Some(index) = index {
                        self.consume_own_mention(index);
                    }
                    self.record_outcome(index, outcome);
                }
            }
        }
    }

    /// The entry of an API (or of an API-less error) and merchant, created on first sight while
    /// there is room. Spellings differing only in case (`returnInfo`, a path's `returninfo`) are
    /// one API, kept as first written.
    fn entry_for(&mut self, api: Option<&str>, merchant: Option<String>, kind: Option<FailureKind>) -> Option<usize> {
        // Errors of API calls that name no API merge into one (the most telling is kept); the
        // authorization page's and the refresh token's stay apart by kind.
        let apart = api.is_none() && kind.is_some_and(FailureKind::concerns_no_api);
        let key = (api.map(str::to_ascii_lowercase), merchant, if apart { kind } else { None });
        if let Some(&index) = self.by_key.get(&key) {
            return Some(index);
        }
        if self.entries.len() >= MAX_FAILURES {
            return None;
        }
        let merchant = key.1.clone();
        self.entries.push(Entry { api: api.map(String::from), merchant, outcome: None, succeeded: false, waiting: 0, count: 0 });
        self.by_key.insert(key, self.entries.len() - 1);
        Some(self.entries.len() - 1)
    }

    /// The most recently named API still waiting for its outcome, taken off the stack.
    fn pop_waiting(&mut self) -> Option<usize> {
        while let Some(index) = self.waiting.pop() {
            if self.entries[index].waiting > 0 {
                self.entries[index].waiting -= 1;
                return Some(index);
            }
        }
        None
    }

    /// A record naming an API with its own outcome answers an earlier `calling …` of that API.
    fn consume_own_mention(&mut self, index: usize) {
        let entry = &mut self.entries[index];
        entry.waiting = entry.waiting.saturating_sub(1);
    }

    fn record_outcome(&mut self, index: Option<usize>, outcome: Outcome) {
        let Some(index) = index else {
            self.truncated += 1;
            return;
        };
        let entry = &mut self.entries[index];
        entry.count += 1;
        let better = match &entry.outcome {
            None => true,
            Some(kept) => {
                merge_rank(outcome.kind) > merge_rank(kept.kind)
                    || (outcome.kind == kept.kind && kept.message.is_empty() && !outcome.message.is_empty())
            }
        };
        if better {
            entry.outcome = Some(outcome);
        }
    }

    /// The failures, once every record is in (see [`parse_all`] for the rules on APIs named
    /// without an error of their own).
    fn into_parsed(self, unrecognized: impl FnOnce() -> Option<String>) -> Parsed {
        let has_outcome = self.any_success || self.entries.iter().any(|e| e.outcome.is_some());
        // The one error naming no API that APIs named without an error of their own take.
        let unnamed = self.entries.iter().position(|e| e.api.is_none() && e.outcome.as_ref().is_some_and(|o| !o.kind.concerns_no_api()));
        let mut adopted = false;
        let mut unnamed_at = None;
        let mut failures = Vec::new();
        for (index, entry) in self.entries.iter().enumerate() {
            if Some(index) == unnamed {
                unnamed_at = Some(failures.len());
            }
            let outcome = match &entry.outcome {
                Some(outcome) => outcome.clone(),
                None if entry.succeeded => continue,
                None => match unnamed {
                    Some(index) => {
                        adopted = true;
                        self.entries[index].outcome.clone().unwrap_or_else(|| unreachable!("unnamed has an outcome"))
                    }
                    None if has_outcome => continue,
                    None => Outcome { kind: Unrecognized, code: None, message: String::new() },
                },
            };
            failures.push(Failure {
                api: entry.api.clone(),
                merchant: entry.merchant.clone(),
                kind: outcome.kind,
                code: outcome.code,
                message: outcome.message,
                count: entry.count.max(1),
            });
        }
        if let Some(at) = unnamed_at.filter(|_| adopted) {
            failures.remove(at);
        }
        // Stray punctuation or a lone letter is no text at all; anything more is an error text.
        if let Some(message) = (failures.is_empty() && !has_outcome).then(unrecognized).flatten() {
            failures.push(Failure { api: None, merchant: None, kind: Unrecognized, code: None, message, count: 1 });
        }
        Parsed { failures, truncated: self.truncated }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Failure {
        let found = parse(text);
        assert_eq!(found.len(), 1, "expected one failure in {text:?}, got {found:#?}");
        found.into_iter().next().unwrap_or_else(|| unreachable!())
    }

    fn failure(api: Option<&str>, kind: FailureKind, code: Option<&str>, message: &str) -> Failure {
        Failure { api: api.map(String::from), merchant: None, kind, code: code.map(String::from), message: message.into(), count: 1 }
    }

    // --- the pattern table documents itself ---

    #[test]
    fn every_text_pattern_matches_its_own_example() {
        for pat in PATTERNS {
            if let Role::Says(kind) = pat.role {
                assert_eq!(classify_message(pat.example), Some(kind), "{} / {}", pat.text, pat.example);
            }
        }
    }

    #[test]
    fn classifies_single_messages() {
        assert_eq!(classify_message("token中无scope权限"), Some(MissingScope));
        assert_eq!(classify_message("token中无scope的权限"), Some(MissingScope));
        assert_eq!(classify_message("insufficient scope"), Some(MissingScope));
        assert_eq!(classify_message("invalid_scope"), Some(MissingScope));
        assert_eq!(classify_message("The access token does not have the required scope"), Some(MissingScope));
        assert_eq!(classify_message("100200106"), Some(MissingScope));
        assert_eq!(classify_message("TOKEN过期"), Some(ExpiredToken));
        assert_eq!(classify_message("access_token已过期"), Some(ExpiredToken));
        assert_eq!(classify_message("Access token expired"), Some(ExpiredToken));
        assert_eq!(classify_message("AUTHORIZATION_REVOKED"), Some(RevokedGrant));
        assert_eq!(classify_message("refreshToken.revokedAuthorization"), Some(RevokedGrant));
        assert_eq!(classify_message("商家授权已解除"), Some(RevokedGrant));
        assert_eq!(classify_message("Exceed qps limit, KEY [apiId:1;appkey:ks1], MAX_QPS [300.0]"), Some(Quota));
        assert_eq!(classify_message("鉴权失败"), Some(AuthFailed));
        assert_eq!(classify_message("暂无站外分销推广权限"), Some(Business));
        assert_eq!(classify_message("商品不存在"), None);
        assert_eq!(classify_message("scope=merchant_item,merchant_order"), None);
        assert_eq!(classify_message("telescope not found"), None);
        assert_eq!(classify_message(""), None);
    }

    // --- each kind from a realistic paste ---

    #[test]
    fn sdk_exception_with_method_is_missing_scope() {
        let text = "com.kuaishou.merchant.open.api.KsMerchantApiException: token中无scope权限 (method=open.item.get)";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, None, "token中无scope权限"));
    }

    #[test]
    fn both_wordings_of_the_target_error() {
        for message in ["token中无scope权限", "token中无scope的权限"] {
            let text = format!(r#"method=open.item.get {{"result":28,"error_msg":"{message}"}}"#);
            assert_eq!(one(&text), failure(Some("open.item.get"), MissingScope, Some("28"), message));
        }
    }

    #[test]
    fn gateway_scope_error_beats_its_auth_class() {
        let text = r#"{"result":28,"code":"803000","msg":"鉴权失败","error_msg":"token中无scope权限","sub_code":"28","sub_msg":"token中无scope权限","request_id":"704352221454586928"}"#;
        assert_eq!(one(text), failure(None, MissingScope, Some("28"), "token中无scope权限"));
    }

    #[test]
    fn gateway_expired_token_beats_its_auth_class() {
        let text = r#"{"result":28,"code":"803000","msg":"鉴权失败","error_msg":"TOKEN过期","sub_code":"28","sub_msg":"TOKEN过期","request_id":"704352221454586928"}"#;
        assert_eq!(one(text), failure(None, ExpiredToken, Some("28"), "TOKEN过期"));
    }

    #[test]
    fn auth_failed_alone() {
        let text = r#"open.order.detail -> {"code":"803000","msg":"鉴权失败","request_id":"1"}"#;
        assert_eq!(one(text), failure(Some("open.order.detail"), AuthFailed, Some("803000"), "鉴权失败"));
    }

    #[test]
    fn legacy_revoked_grant() {
        let text = r#"{"result":24,"error_msg":"AUTHORIZATION_REVOKED"}"#;
        assert_eq!(one(text), failure(None, RevokedGrant, Some("24"), "AUTHORIZATION_REVOKED"));
    }

    #[test]
    fn oauth_refresh_revoked() {
        let text = r#"POST /oauth2/refresh_token {"result": 100200102, "error": "access_denied", "error_msg": "refreshToken.revokedAuthorization"}"#;
        assert_eq!(one(text), failure(None, RevokedGrant, Some("100200102"), "refreshToken.revokedAuthorization"));
    }

    #[test]
    fn oauth_invalid_scope() {
        let text = r#"{"result":100200106,"error":"invalid_scope","error_msg":"权限 scope 错误，或者用户取消了授权等"}"#;
        let found = one(text);
        assert_eq!(found.kind, MissingScope);
        assert_eq!(found.code.as_deref(), Some("100200106"));
    }

    #[test]
    fn quota_by_text_and_by_code() {
        let text = "method=open.order.cursor.list [1017] exceed quota limit,[apiId:12;primaryUserId:34]";
        assert_eq!(one(text), failure(Some("open.order.cursor.list"), Quota, Some("1017"), "exceed quota limit"));
        let text =
            r#"{"method":"open.item.list.get","result":1016,"error_msg":"Exceed qps limit, KEY [apiId:1;appkey:ks1], MAX_QPS [300.0]"}"#;
        let found = one(text);
        assert_eq!((found.kind, found.code.as_deref()), (Quota, Some("1016")));
        assert!(found.message.starts_with("Exceed qps limit"));
    }

    #[test]
    fn false_friend_1800608_is_business() {
        let text = r#"{"data": null, "result": 1800608, "error_msg": "暂无站外分销推广权限"}"#;
        assert_eq!(one(text), failure(None, Business, Some("1800608"), "暂无站外分销推广权限"));
        let text = "open.distribution.cps.promotion.effect.detail 1800608 暂无站外分销推广权限";
        let found = one(text);
        assert_eq!((found.kind, found.code.as_deref(), found.message.as_str()), (Business, Some("1800608"), "暂无站外分销推广权限"));
    }

    #[test]
    fn other_business_errors() {
        let text = r#"{"result": 21, "error_msg": "order operation reject", "requestId": "***"}"#;
        assert_eq!(one(text), failure(None, Business, Some("21"), "order operation reject"));
        let text = r#"{"result": 26, "data": null, "error_msg": "主账号不存在"}"#;
        assert_eq!(one(text), failure(None, Business, Some("26"), "主账号不存在"));
        let text = r#"/open/refund/detail {"result":300011,"error_msg":"REFUND ORDER NOT FOUND 退款单不存在"}"#;
        assert_eq!(one(text), failure(Some("open.refund.detail"), Business, Some("300011"), "REFUND ORDER NOT FOUND 退款单不存在"));
        let text = "KsMerchantApiException: 商品不存在 (method=open.item.get)";
        assert_eq!(one(text), failure(Some("open.item.get"), Unrecognized, None, "商品不存在"));
    }

    #[test]
    fn named_api_without_error_is_unrecognised() {
        assert_eq!(one("调用 open.item.get 报错了，怎么办？"), failure(Some("open.item.get"), Unrecognized, None, ""));
    }

    // --- shapes and forms ---

    #[test]
    fn pretty_printed_response_after_the_call() {
        let text = "2024-05-01 10:00:00.123 INFO  [http-nio-8080-exec-1] KsClient - calling open.item.get\n{\n  \"result\": 28,\n  \"code\": \"803000\",\n  \"msg\": \"鉴权失败\",\n  \"error_msg\": \"token中无scope权限\",\n  \"sub_code\": \"28\",\n  \"sub_msg\": \"token中无scope权限\",\n  \"request_id\": \"704352221454586928\"\n}\n";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
    }

    #[test]
    fn pretty_printed_response_naming_its_method() {
        let text = "{\r\n    \"method\": \"open.order.cursor.list\",\r\n    \"response\": {\r\n        \"result\": 24,\r\n        \"error_msg\": \"AUTHORIZATION_REVOKED\"\r\n    }\r\n}";
        assert_eq!(one(text), failure(Some("open.order.cursor.list"), RevokedGrant, Some("24"), "AUTHORIZATION_REVOKED"));
    }

    #[test]
    fn url_path_form() {
        let text = "POST https://openapi.kwaixiaodian.com/open/item/get?appkey=ks123&version=1 => {\"result\":28,\"msg\":\"鉴权失败\",\"code\":\"803000\"}";
        assert_eq!(one(text), failure(Some("open.item.get"), AuthFailed, Some("803000"), "鉴权失败"));
    }

    #[test]
    fn python_exception_and_dict_repr() {
        let text = "Traceback (most recent call last):\n  File \"app.py\", line 10, in <module>\n    client.execute('open.item.get', params)\nkwaixiaodian.errors.KwaixiaodianApiError: [28] token中无scope权限\n";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
        let text = "open.logistics.express.template.list {'result': 24, 'error_msg': 'AUTHORIZATION_REVOKED', 'data': None}";
        assert_eq!(one(text), failure(Some("open.logistics.express.template.list"), RevokedGrant, Some("24"), "AUTHORIZATION_REVOKED"));
    }

    #[test]
    fn php_exception_and_print_r() {
        let text = "PHP Fatal error:  Uncaught Kwaishop\\Exception\\AuthorizationException: token中无scope权限 in /var/www/app/ItemService.php:42\nStack trace:\n#0 /var/www/app/ItemService.php(42): Kwaishop\\Client->request('open.item.get', Array)";
        let found = parse(text);
        // The error comes before the API it is about: the API named without an error takes it.
        assert_eq!(found, vec![failure(Some("open.item.get"), MissingScope, None, "token中无scope权限")]);
        let text = "open.item.get Array\n(\n    [result] => 28\n    [error_msg] => TOKEN过期\n)\n";
        let found = one(text);
        assert_eq!((found.kind, found.message.as_str()), (ExpiredToken, "TOKEN过期"));
    }

    #[test]
    fn java_to_string_and_key_value_logs() {
        let text = "KsMerchantApiResponse(result=28, errorMsg=token中无scope的权限, subCode=28) method=open.order.detail";
        assert_eq!(one(text), failure(Some("open.order.detail"), MissingScope, Some("28"), "token中无scope的权限"));
        let text = "level=error method=open.item.sku.stock.update result=1017 errorMsg=exceed quota limit";
        let found = one(text);
        assert_eq!((found.kind, found.code.as_deref()), (Quota, Some("1017")));
    }

    #[test]
    fn escaped_and_unicode_escaped_json() {
        let text = r#"{"method":"open.item.get","body":"{\"result\":28,\"error_msg\":\"token中无scope权限\"}"}"#;
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
        let text = r#"open.item.get {"result":28,"error_msg":"token\u4e2d\u65e0scope\u6743\u9650 \ud83d\ude00"}"#;
        assert_eq!(one(text).message, "token中无scope权限 😀");
        assert_eq!(one(text).kind, MissingScope);
        let text = r#"open.item.get {"result":99,"error_msg":"bad \ud83d \uZZZZ \u12"}"#;
        assert_eq!(one(text), failure(Some("open.item.get"), Unrecognized, Some("99"), "bad \u{FFFD} \u{FFFD}ZZZZ \u{FFFD}12"));
    }

    #[test]
    fn english_and_chinese_mix() {
        let text = "[WARN] 调用接口 open.item.get 失败: insufficient scope, 请重新授权";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, None, "insufficient scope"));
        let text = "调用open.order.cursor.list返回：access_token已过期，请刷新";
        let found = one(text);
        assert_eq!((found.kind, found.message.as_str()), (ExpiredToken, "access_token已过期"));
    }

    #[test]
    fn full_width_colon_keys() {
        let text = "接口：open.item.get 错误码：28 错误信息：token中无scope权限";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
    }

    // --- grouping ---

    #[test]
    fn multi_api_log() {
        let text = "\
2024-05-01 10:00:00 INFO  calling open.item.get itemId=1
2024-05-01 10:00:00 ERROR {\"result\":28,\"code\":\"803000\",\"msg\":\"鉴权失败\",\"sub_code\":\"28\",\"sub_msg\":\"token中无scope权限\"}
2024-05-01 10:00:01 INFO  calling open.order.cursor.list
2024-05-01 10:00:01 INFO  {\"result\":1,\"data\":{\"orderList\":[]}}
2024-05-01 10:00:02 INFO  calling open.refund.list
2024-05-01 10:00:02 ERROR {\"result\":28,\"code\":\"803000\",\"msg\":\"鉴权失败\",\"sub_code\":\"28\",\"sub_msg\":\"TOKEN过期\"}
2024-05-01 10:00:03 INFO  POST https://openapi.kwaixiaodian.com/open/distribution/cps/promotion/effect/detail
2024-05-01 10:00:03 ERROR {\"data\": null, \"result\": 1800608, \"error_msg\": \"暂无站外分销推广权限\"}
2024-05-01 10:00:04 WARN  method=open.logistics.express.template.list [1016] Exceed qps limit, KEY [apiId:9;appkey:ks1]
2024-05-01 10:00:05 INFO  calling open.seller.order.pcursor.list
2024-05-01 10:00:05 INFO  calling open.item.get itemId=2
2024-05-01 10:00:05 ERROR {\"result\":24,\"error_msg\":\"AUTHORIZATION_REVOKED\"}
";
        let found = parse(text);
        let summary: Vec<(Option<&str>, FailureKind, Option<&str>)> =
            found.iter().map(|f| (f.api.as_deref(), f.kind, f.code.as_deref())).collect();
        assert_eq!(
            summary,
            vec![
                (Some("open.item.get"), MissingScope, Some("28")),
                (Some("open.refund.list"), ExpiredToken, Some("28")),
                (Some("open.distribution.cps.promotion.effect.detail"), Business, Some("1800608")),
                (Some("open.logistics.express.template.list"), Quota, Some("1016")),
            ]
        );
        assert_eq!(found[3].message, "Exceed qps limit");
    }

    #[test]
    fn most_relevant_error_of_one_api_is_kept() {
        let text = "\
open.item.get {\"result\":1016,\"error_msg\":\"Exceed qps limit\"}
open.item.get {\"result\":28,\"code\":\"803000\",\"msg\":\"鉴权失败\"}
open.item.get {\"result\":28,\"error_msg\":\"TOKEN过期\"}
open.item.get {\"result\":28,\"error_msg\":\"token中无scope权限\"}
open.item.get {\"result\":24,\"error_msg\":\"AUTHORIZATION_REVOKED\"}
";
        assert_eq!(one(text), Failure { count: 5, ..failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限") });
    }

    #[test]
    fn only_one_entry_without_api_keeping_the_most_relevant() {
        let text = "\
{\"result\":28,\"error_msg\":\"TOKEN过期\"}
{\"result\":28,\"sub_msg\":\"token中无scope权限\"}
{\"result\":1800608,\"error_msg\":\"暂无站外分销推广权限\"}
";
        assert_eq!(one(text), Failure { count: 3, ..failure(None, MissingScope, Some("28"), "token中无scope权限") });
    }

    #[test]
    fn interleaved_calls_resolve_latest_first() {
        let text = "\
calling open.item.get
calling open.order.detail
{\"result\":1,\"data\":{}}
{\"result\":28,\"error_msg\":\"token中无scope权限\"}
";
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
    }

    #[test]
    fn repeated_call_gets_its_second_response() {
        let text = "\
calling open.item.get
{\"result\":1016,\"error_msg\":\"Exceed qps limit\"}
calling open.item.get
{\"result\":28,\"error_msg\":\"token中无scope权限\"}
";
        assert_eq!(one(text).kind, MissingScope);
    }

    #[test]
    fn error_tied_to_the_nearest_api_of_its_line() {
        let text = "open.item.list ok; open.item.get failed: token中无scope权限";
        // open.item.list has no error of its own while the line has one: it is not called failing.
        assert_eq!(one(text), failure(Some("open.item.get"), MissingScope, None, "token中无scope权限"));
    }

    #[test]
    fn request_and_response_on_two_lines_naming_the_api_twice() {
        let text = "\
>> open.item.get {\"itemId\":1}
<< open.item.get {\"result\":28,\"error_msg\":\"token中无scope权限\"}
{\"result\":28,\"error_msg\":\"TOKEN过期\"}
";
        // The second response has no waiting call left, so it stands alone.
        let found = parse(text);
        assert_eq!(found[0], failure(Some("open.item.get"), MissingScope, Some("28"), "token中无scope权限"));
        assert_eq!(found[1], failure(None, ExpiredToken, Some("28"), "TOKEN过期"));
    }

    // --- success and nothing ---

    #[test]
    fn success_responses_are_no_errors() {
        assert_eq!(parse(r#"{"result":1,"data":{"itemId":1}}"#), vec![]);
        assert_eq!(parse(r#"{"code":0,"msg":"success"}"#), vec![]);
        assert_eq!(parse("method=open.item.get {\"result\": 1, \"msg\": \"成功\", \"data\": {}}"), vec![]);
        assert_eq!(parse("calling open.item.get\n{\"result\":1,\"data\":{}}\n"), vec![]);
        let oauth = r#"{"result": 1, "access_token": "x", "refresh_token": "y", "open_id": "z", "expires_in": 172800, "scopes": ["user_info", "merchant_item"]}"#;
        assert_eq!(parse(oauth), vec![]);
    }

    #[test]
    fn empty_and_noise() {
        assert_eq!(parse(""), vec![]);
        assert_eq!(parse("\n\n   \n"), vec![]);
        // Words Scope Doctor does not know make an error text it does not recognise.
        let unknown = |message: &str| vec![failure(None, Unrecognized, None, message)];
        assert_eq!(parse("hello world, nothing to see; 你好"), unknown("hello world, nothing to see; 你好"));
        assert_eq!(parse("ERROR:root:connection reset"), unknown("ERROR:root:connection reset"));
        assert_eq!(parse("{{{{"), vec![]);
        assert_eq!(parse("}}}} \"\\u"), vec![]);
    }

    #[test]
    fn hosts_packages_and_deep_paths_are_not_apis() {
        let text =
            "see https://open.kwaixiaodian.com/zone/new/docs/api?name=open.item.get&version=1 and /rest/open/platform/doc/api/name/detail";
        assert_eq!(one(text), failure(Some("open.item.get"), Unrecognized, None, ""));
        let text = "\tat com.kuaishou.merchant.open.api.client.AccessTokenKsMerchantClient.execute(AccessTokenKsMerchantClient.java:50)";
        assert!(parse(text).iter().all(|f| f.api.is_none() && f.kind == Unrecognized), "{:?}", parse(text));
        assert_eq!(one("GET http://localhost:8080/open/item/get").api.as_deref(), Some("open.item.get"));
        let text = "method=open.logistics.trouble.net.site.page.query";
        assert_eq!(one(text).api.as_deref(), Some("open.logistics.trouble.net.site.page.query"));
    }

    #[test]
    fn camel_case_names_keep_their_spelling() {
        let text = "calling open.refund.submit.returnInfo\nPOST /open/refund/submit/returnInfo {\"result\":28,\"error_msg\":\"token中无scope权限\"}\n";
        assert_eq!(one(text), failure(Some("open.refund.submit.returnInfo"), MissingScope, Some("28"), "token中无scope权限"));
    }

    #[test]
    fn message_is_clipped_to_200_characters() {
        let long = "商".repeat(500);
        let text = format!(r#"open.item.get {{"result":28,"error_msg":"token中无scope权限{long}"}}"#);
        let found = one(&text);
        assert_eq!(found.kind, MissingScope);
        assert_eq!(found.message.chars().count(), 200);
    }

    #[test]
    fn unclosed_brace_does_not_swallow_the_log() {
        let mut text = String::from("Map{ oops\n");
        for i in 0..200 {
            text.push_str(&format!("calling open.api{i}.get\n"));
        }
        text.push_str("{\"result\":28,\"error_msg\":\"token中无scope权限\"}\n");
        // The error answers the last call; the calls with no answer are not called failing.
        assert_eq!(parse(&text), vec![failure(Some("open.api199.get"), MissingScope, Some("28"), "token中无scope权限")]);
    }

    #[test]
    fn prose_numbers_and_cut_lines_are_handled() {
        assert_eq!(one("open.item.list.get result=20 items"), failure(Some("open.item.list.get"), Unrecognized, None, ""));
        assert_eq!(one(r#"{"result":24}"#), failure(None, RevokedGrant, Some("24"), ""));
        let text = "request_id=1 method=open.funds.center.account.info result=803000";
        assert_eq!(one(text), failure(Some("open.funds.center.account.info"), AuthFailed, Some("803000"), ""));
        let text = "calling open.item.get {\"result\":28,\"error_msg\":\"tok\ncalling open.order.detail\n{\"result\":24,\"error_msg\":\"AUTHORIZATION_REVOKED\"}\n}\n";
        let found = parse(text);
        assert_eq!(found[0].api.as_deref(), Some("open.item.get"));
        assert_eq!(found[1], failure(Some("open.order.detail"), RevokedGrant, Some("24"), "AUTHORIZATION_REVOKED"));
    }

    #[test]
    fn big_log_is_fast() {
        let block = "2024-05-01 10:00:00 INFO [exec-1] calling open.item.get itemId=12345 with some padding text\n\
                     2024-05-01 10:00:00 INFO {\"result\":1,\"data\":{\"title\":\"商品标题\",\"price\":100}}\n";
        let mut text = block.repeat(5_000_000 / block.len());
        text.push_str("{\"result\":28,\"error_msg\":\"token中无scope权限\"}\n");
        let started = std::time::Instant::now();
        let found = parse(&text);
        let took = started.elapsed();
        assert_eq!(found, vec![failure(None, MissingScope, Some("28"), "token中无scope权限")]);
        // Debug builds are ~10x slower than release; this bounds accidental quadratic work.
        assert!(took.as_secs_f64() < 20.0, "took {took:?}");
    }
}

/// The streaming entry point answers exactly as `parse_all` on the same text.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod stream_tests {
    use super::*;
    use proptest::prelude::*;

    fn streamed(text: &str) -> Parsed {
        let mut stream = Stream::new();
        text.split_inclusive('\n').for_each(|line| stream.line(line));
        stream.finish()
    }

    #[test]
    fn streams_what_parse_all_finds() {
        let texts = [
            "",
            "  \n\n",
            "x",
            "ok",
            "hello world\n",
            "2024-05-01 10:00:00 ERROR method=open.item.get shopId=1001 token中无scope权限\n",
            "calling open.item.get\ncalling open.order.cursor.list\n{\"result\":28,\"error_msg\":\"token中无scope权限\"}\n{\"result\":1}\n",
            "{\n  \"method\": \"open.item.get\",\n  \"result\": 28,\n  \"error_msg\": \"TOKEN过期\"\n}\n",
            "{\n  \"method\": \"open.item.get\",\n  \"result\": 28,\n  \"error_msg\": \"token中无scope权限\"",
            "Array\n(\n    [result] => 28\n    [error_msg] => 鉴权失败\n)\n",
            "open.item.get\nUncaught KsMerchantApiException: token中无scope权限\n  at com.kuaishou.merchant.open.api.Client\n",
            "\r\n  first line here \r\nsecond\r\n",
            "{\"result\":1016,\"error_msg\":\"Exceed qps limit\"} method=open.item.list.get\n{\"result\":1}",
        ];
        for text in texts {
            assert_eq!(streamed(text), parse_all(text), "{text:?}");
        }
        // An object whose braces never close within the record caps: its lines stand alone.
        let open = format!("{{\n{}", "\"method\":\"open.item.get\",\"error_msg\":\"token中无scope权限\",\n".repeat(150));
        assert_eq!(streamed(&open), parse_all(&open));
        let wide = format!("{{\n\"msg\":\"{}\",\nmethod=open.item.get 鉴权失败\n", "x".repeat(70_000));
        assert_eq!(streamed(&wide), parse_all(&wide));
    }

    #[test]
    fn a_stream_of_many_apis_stays_bounded() {
        let mut stream = Stream::new();
        for i in 0..(MAX_FAILURES + 500) {
            stream.line(&format!("method=open.item.get{i} token中无scope权限\n"));
        }
        let parsed = stream.finish();
        assert_eq!(parsed.failures.len(), MAX_FAILURES);
        assert_eq!(parsed.truncated, 500);
    }

    fn log_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("{".to_string()),
            Just("{\n".to_string()),
            Just("}".to_string()),
            Just("(\n".to_string()),
            Just(")".to_string()),
            Just(",\n".to_string()),
            Just("\"".to_string()),
            Just("\"error_msg\":\"".to_string()),
            Just("\"result\":28,".to_string()),
            Just("\"result\":1".to_string()),
            Just("shopId=1001 ".to_string()),
            Just("\"open_id\":\"f0a1\",".to_string()),
            Just("token中无scope权限".to_string()),
            Just("鉴权失败".to_string()),
            Just("TOKEN过期".to_string()),
            Just("Invalid url ".to_string()),
            Just("https://open.kwaixiaodian.com/oauth/authorize?app_id=ks1&scope=a ".to_string()),
            Just("calling ".to_string()),
            Just("method=open.item.get ".to_string()),
            Just("open.order.cursor.list".to_string()),
            Just("ERROR ".to_string()),
            "[a-z0-9_.:=, ]{0,12}",
            "\\PC{0,6}",
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn stream_equals_parse_all(pieces in prop::collection::vec(log_piece(), 0..60)) {
            let text = pieces.concat();
            prop_assert_eq!(streamed(&text), parse_all(&text));
        }

        #[test]
        fn stream_equals_parse_all_on_any_text(text in "\\PC*(\n\\PC*){0,8}") {
            prop_assert_eq!(streamed(&text), parse_all(&text));
        }
    }
}
