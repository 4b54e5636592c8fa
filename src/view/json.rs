//! The JSON the wasm exchanges with JavaScript, written and read by hand.
//!
//! JavaScript passes plain objects and gets plain objects back; in between they travel as JSON
//! text (`JSON.stringify` in, `JSON.parse` out — see `crate::wasm`). This module writes exactly
//! what serde_json writes for the same values (field order, `skip_serializing_if`, the enums'
//! kebab-case names, `Reading`'s `page` tag) and reads what serde reads, failing with the
//! messages serde-wasm-bindgen gave. Why by hand: serde's derives plus serde-wasm-bindgen were
//! about 100 KB of a 450 KB wasm, and the extension loads it in every service-worker start.
//!
//! serde stays the reference: the CLI writes with it, and the tests below check that this
//! module writes byte for byte what serde_json writes, on every fixture page, state, finding and
//! link check, and reads all of it back. A field added to a type without being added here is a
//! compile error (every impl destructures its type whole).

use crate::diagnose::{Cause, Explanation, Finding, NeedsPage, ScopeSource, UserStanding, Verdict};
use crate::evidence::{Evidence, Report};
use crate::link::AuthLinks;
use crate::link_check::{LinkCheck, Problem, ProblemCode};
use crate::model::{App, AppType, Failure, FailureKind, Learned, Package, Status, TokenReading, User};
use crate::read::{ApiPage, AppPage, AuthUsersPage, Reading, TokenPage};
use crate::snapshot::{Node, Snapshot};
use crate::store::{Evicted, Export, Language, Mark, State};
use crate::view::{Badge, BadgeKind, ScopeInfo};

/// A parsed JSON value. Numbers keep their text (`12`, `1.5`, `1e+21`): integers are read
/// exactly and error messages show them as serde did, with no float formatting in the wasm.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Json {
    #[default]
    Null,
    Bool(bool),
    Num(String),
    Str(String),
    Arr(Vec<Json>),
    /// Members in their order in the text (`JSON.stringify` keeps the object's key order).
    Obj(Vec<(String, Json)>),
}

/// Deeper nesting is refused rather than risking the wasm stack (no real input comes close).
const MAX_DEPTH: usize = 256;

/// Parses JSON text (as `JSON.stringify` writes it; any valid JSON).
pub fn parse(text: &str) -> Result<Json, String> {
    let mut parser = Parser { text, at: 0 };
    let value = parser.value(0)?;
    parser.skip_space();
    if parser.at < text.len() {
        return Err(parser.error());
    }
    Ok(value)
}

struct Parser<'t> {
    text: &'t str,
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn skip_space(&mut self) {
        self.bytes_while(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'));
    }

    /// Skips spaces, then `byte` if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_space();
        let found = self.peek() == Some(byte);
        self.at += usize::from(found);
        found
    }

    fn error(&self) -> String {
        let mut message = String::from("invalid JSON at byte ");
        push_u64(&mut message, self.at as u64);
        message
    }

    /// The bytes from `at` while `keep` holds (byte-wise: snapshots are megabytes of JSON, and
    /// the text is only ever split at ASCII bytes, so UTF-8 stays whole).
    fn bytes_while(&mut self, keep: impl Fn(u8) -> bool) -> &str {
        let start = self.at;
        let len = self.text.as_bytes()[start..].iter().position(|&b| !keep(b));
        self.at = len.map_or(self.text.len(), |len| start + len);
        &self.text[start..self.at]
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_DEPTH {
            return Err(String::from("the value is nested too deeply"));
        }
        self.skip_space();
        let rest = &self.text.as_bytes()[self.at..];
        for (word, value) in [(&b"null"[..], Json::Null), (b"true", Json::Bool(true)), (b"false", Json::Bool(false))] {
            if rest.starts_with(word) {
                self.at += word.len();
                return Ok(value);
            }
        }
        match self.peek() {
            Some(b'"') => self.string().map(Json::Str),
            Some(b'-' | b'0'..=b'9') => {
                Ok(Json::Num(self.bytes_while(|b| matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')).to_string()))
            }
            Some(b'[') => {
                self.at += 1;
                let mut items = Vec::new();
                if !self.eat(b']') {
                    loop {
                        items.push(self.value(depth + 1)?);
                        if self.eat(b']') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.error());
                        }
                    }
                }
                Ok(Json::Arr(items))
            }
            Some(b'{') => {
                self.at += 1;
                let mut members = Vec::new();
                if !self.eat(b'}') {
                    loop {
                        self.skip_space();
                        let key = self.string()?;
                        if !self.eat(b':') {
                            return Err(self.error());
                        }
                        members.push((key, self.value(depth + 1)?));
                        if self.eat(b'}') {
                            break;
                        }
                        if !self.eat(b',') {
                            return Err(self.error());
                        }
                    }
                }
                Ok(Json::Obj(members))
            }
            _ => Err(self.error()),
        }
    }

    fn string(&mut self) -> Result<String, String> {
        if self.peek() != Some(b'"') {
            return Err(self.error());
        }
        self.at += 1;
        let mut out = String::new();
        loop {
            out.push_str(self.bytes_while(|b| b != b'"' && b != b'\\'));
            let end = self.peek().ok_or_else(|| self.error())?;
            self.at += 1;
            if end == b'"' {
                return Ok(out);
            }
            let escape = self.peek().ok_or_else(|| self.error())?;
            self.at += 1;
            out.push(match escape {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => {
                    let unit = self.hex4()?;
                    // A surrogate pair is one character; a lone surrogate becomes U+FFFD, as
                    // wasm-bindgen's string conversion makes it.
                    if (0xD800..0xDC00).contains(&unit) && self.text[self.at..].starts_with("\\u") {
                        let at = self.at;
                        self.at += 2;
                        let low = self.hex4()?;
                        if (0xDC00..0xE000).contains(&low) {
                            char::from_u32(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)).unwrap_or('\u{FFFD}')
                        } else {
                            self.at = at;
                            '\u{FFFD}'
                        }
                    } else {
                        char::from_u32(unit).unwrap_or('\u{FFFD}')
                    }
                }
                _ => return Err(self.error()),
            });
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self.text.get(self.at..self.at + 4).ok_or_else(|| self.error())?;
        let unit = u32::from_str_radix(digits, 16).map_err(|_| self.error())?;
        self.at += 4;
        Ok(unit)
    }
}

fn push_u64(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits[i..].iter().for_each(|&d| out.push(char::from(d)));
}

/// JSON text being written. Commas go in by looking at the last byte, so nested writers need no
/// state: a value after `{`, `[` or `:` starts its container or member, any other follows one.
#[derive(Default)]
pub struct Out(String);

impl Out {
    fn comma(&mut self) {
        if !matches!(self.0.as_bytes().last(), None | Some(b'{' | b'[' | b':')) {
            self.0.push(',');
        }
    }

    fn open(&mut self) {
        self.comma();
        self.0.push('{');
    }

    fn close(&mut self) {
        self.0.push('}');
    }

    /// A member; keys are plain field names, never in need of escaping.
    fn field<T: ToJson + ?Sized>(&mut self, key: &str, value: &T) {
        self.comma();
        self.0.push('"');
        self.0.push_str(key);
        self.0.push_str("\":");
        value.write(self);
    }

    fn raw(&mut self, text: &str) {
        self.comma();
        self.0.push_str(text);
    }

    /// A string, escaped as serde_json (and `JSON.stringify`) escape it.
    fn string(&mut self, text: &str) {
        self.comma();
        self.0.push('"');
        let mut start = 0;
        for (i, byte) in text.bytes().enumerate() {
            let escape = match byte {
                b'"' => "\\\"",
                b'\\' => "\\\\",
                b'\n' => "\\n",
                b'\r' => "\\r",
                b'\t' => "\\t",
                0x08 => "\\b",
                0x0c => "\\f",
                0..=0x1f => "",
                _ => continue,
            };
            self.0.push_str(&text[start..i]);
            if escape.is_empty() {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                self.0.push_str("\\u00");
                self.0.push(char::from(HEX[usize::from(byte >> 4)]));
                self.0.push(char::from(HEX[usize::from(byte & 0xf)]));
            } else {
                self.0.push_str(escape);
            }
            start = i + 1;
        }
        self.0.push_str(&text[start..]);
        self.0.push('"');
    }
}

/// The JSON text of a value, as `serde_json::to_string` writes it.
pub fn to_string<T: ToJson + ?Sized>(value: &T) -> String {
    let mut out = Out::default();
    value.write(&mut out);
    out.0
}

pub trait ToJson {
    fn write(&self, out: &mut Out);
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write(&self, out: &mut Out) {
        (**self).write(out)
    }
}

impl ToJson for str {
    fn write(&self, out: &mut Out) {
        out.string(self)
    }
}

impl ToJson for String {
    fn write(&self, out: &mut Out) {
        out.string(self)
    }
}

impl ToJson for bool {
    fn write(&self, out: &mut Out) {
        out.raw(if *self { "true" } else { "false" })
    }
}

impl ToJson for u64 {
    fn write(&self, out: &mut Out) {
        out.comma();
        push_u64(&mut out.0, *self)
    }
}

impl ToJson for u32 {
    fn write(&self, out: &mut Out) {
        u64::from(*self).write(out)
    }
}

impl ToJson for usize {
    fn write(&self, out: &mut Out) {
        (*self as u64).write(out)
    }
}

impl ToJson for u8 {
    fn write(&self, out: &mut Out) {
        u64::from(*self).write(out)
    }
}

impl<T: ToJson> ToJson for Option<T> {
    fn write(&self, out: &mut Out) {
        match self {
            Some(value) => value.write(out),
            None => out.raw("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write(&self, out: &mut Out) {
        out.comma();
        out.0.push('[');
        self.iter().for_each(|item| item.write(out));
        out.0.push(']');
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write(&self, out: &mut Out) {
        self.as_slice().write(out)
    }
}

impl<A: ToJson, B: ToJson> ToJson for (A, B) {
    fn write(&self, out: &mut Out) {
        out.comma();
        out.0.push('[');
        self.0.write(out);
        self.1.write(out);
        out.0.push(']');
    }
}

impl ToJson for Json {
    fn write(&self, out: &mut Out) {
        match self {
            Json::Null => out.raw("null"),
            Json::Bool(b) => b.write(out),
            Json::Num(text) => out.raw(text),
            Json::Str(text) => out.string(text),
            Json::Arr(items) => items.write(out),
            Json::Obj(members) => {
                out.open();
                members.iter().for_each(|(key, value)| {
                    out.string(key);
                    out.0.push(':');
                    value.write(out);
                });
                out.close();
            }
        }
    }
}

/// Writes a struct: `{` + the members the closure writes + `}`.
fn object(out: &mut Out, members: impl FnOnce(&mut Out)) {
    out.open();
    members(out);
    out.close();
}

/// An enum written as its (serde) name.
macro_rules! names {
    ($($type:ty { $($variant:ident => $name:literal),* $(,)? })*) => {$(
        impl ToJson for $type {
            fn write(&self, out: &mut Out) {
                out.string(match self { $(<$type>::$variant => $name),* })
            }
        }
    )*};
}

// (Language, Status, AppType and FailureKind are also read: `read_names!` below writes both ways.)
names! {
    Verdict {
        Apply => "apply", Pending => "pending", Reauthorize => "reauthorize", RefreshToken => "refresh-token",
        CheckToken => "check-token", AddUser => "add-user", FixLink => "fix-link", TokenHasScope => "token-has-scope",
        UnknownScope => "unknown-scope", NotScopeError => "not-scope-error", ServiceMarket => "service-market",
    }
    Cause {
        ScopeNotGranted => "scope-not-granted", RefreshTokenExpired => "refresh-token-expired", Revoked => "revoked",
        Business => "business", Quota => "quota", Unrecognized => "unrecognized",
    }
    ScopeSource { Page => "page", Catalog => "catalog" }
    NeedsPage { ApiDetail => "api-detail", AppDetail => "app-detail" }
    BadgeKind { Api => "api", Package => "package", Summary => "summary", Users => "users", Token => "token" }
}

impl ToJson for ProblemCode {
    fn write(&self, out: &mut Out) {
        out.string(self.as_str())
    }
}

impl ToJson for Package {
    fn write(&self, out: &mut Out) {
        let Package { scope, status, anchor, name } = self;
        object(out, |o| {
            o.field("scope", scope);
            o.field("status", status);
            if anchor.is_some() {
                o.field("anchor", anchor);
            }
            if name.is_some() {
                o.field("name", name);
            }
        })
    }
}

impl ToJson for User {
    fn write(&self, out: &mut Out) {
        let User { id, authorized, anchor } = self;
        object(out, |o| {
            o.field("id", id);
            o.field("authorized", authorized);
            if anchor.is_some() {
                o.field("anchor", anchor);
            }
        })
    }
}

/// `impl ToJson` for a struct written as an object of all its fields, in declaration order
/// (what serde's derive writes); destructuring makes a field added later a compile error here.
macro_rules! object_to_json {
    ($type:ident { $($field:ident),* $(,)? }) => {
        impl ToJson for $type {
            fn write(&self, out: &mut Out) {
                let $type { $($field),* } = self;
                object(out, |o| {
                    $(o.field(stringify!($field), $field);)*
                })
            }
        }
    };
}

impl ToJson for Reading {
    fn write(&self, out: &mut Out) {
        object(out, |o| {
            o.field("page", self.kind());
            match self {
                Reading::ApiDetail(ApiPage { api, scopes, needs_user_auth, anchor, names }) => {
                    o.field("api", api);
                    o.field("scopes", scopes);
                    o.field("needs_user_auth", needs_user_auth);
                    if anchor.is_some() {
                        o.field("anchor", anchor);
                    }
                    if !names.is_empty() {
                        o.field("names", names);
                    }
                }
                Reading::AppDetail(AppPage { app_key, app_name, callback, app_type, packages, anchor }) => {
                    o.field("app_key", app_key);
                    o.field("app_name", app_name);
                    o.field("callback", callback);
                    o.field("app_type", app_type);
                    o.field("packages", packages);
                    if anchor.is_some() {
                        o.field("anchor", anchor);
                    }
                }
                Reading::AuthUsers(AuthUsersPage { users, links, anchor }) => {
                    o.field("users", users);
                    o.field("links", links);
                    if anchor.is_some() {
                        o.field("anchor", anchor);
                    }
                }
                Reading::TokenInfo(TokenPage { scopes, anchor, app_key }) => {
                    o.field("scopes", scopes);
                    if anchor.is_some() {
                        o.field("anchor", anchor);
                    }
                    if app_key.is_some() {
                        o.field("app_key", app_key);
                    }
                }
                Reading::Unknown => {}
            }
        })
    }
}

object_to_json!(App { app_key, app_name, callback, app_type, packages });

impl ToJson for Mark {
    fn write(&self, out: &mut Out) {
        // `message` is read from old records and never written.
        let Mark { api, merchant, kind, code, message: _ } = self;
        object(out, |o| {
            o.field("api", api);
            o.field("merchant", merchant);
            o.field("kind", kind);
            o.field("code", code);
        })
    }
}

object_to_json!(Learned { api, scopes });

object_to_json!(TokenReading { app_key, scopes });

object_to_json!(Evicted { apps, marks, learned });

impl ToJson for State {
    fn write(&self, out: &mut Out) {
        // `token_scopes` is read from schema-1 records and never written.
        let State { version, language, current_app, apps, marks, learned, token_reading, token_scopes: _, users, evicted, app_visit } =
            self;
        object(out, |o| {
            o.field("version", version);
            o.field("language", language);
            o.field("current_app", current_app);
            o.field("apps", apps);
            o.field("marks", marks);
            o.field("learned", learned);
            o.field("token_reading", token_reading);
            o.field("users", users);
            o.field("evicted", evicted);
            o.field("app_visit", app_visit);
        })
    }
}

object_to_json!(Export { format, settings });

object_to_json!(Explanation { zh, en });

object_to_json!(UserStanding { listed, authorized });

impl ToJson for Finding {
    fn write(&self, out: &mut Out) {
        let Finding {
            api,
            merchant,
            scope,
            scope_name,
            scopes,
            scope_names,
            scope_source,
            status,
            verdict,
            cause,
            auth_link,
            mobile_link,
            problems,
            failure,
            code,
            count,
            app_key,
            needs_page,
            user,
            explain,
            merchant_message,
        } = self;
        object(out, |o| {
            o.field("api", api);
            o.field("merchant", merchant);
            o.field("scope", scope);
            o.field("scope_name", scope_name);
            o.field("scopes", scopes);
            o.field("scope_names", scope_names);
            o.field("scope_source", scope_source);
            o.field("status", status);
            o.field("verdict", verdict);
            o.field("cause", cause);
            o.field("auth_link", auth_link);
            o.field("mobile_link", mobile_link);
            if !problems.is_empty() {
                o.field("problems", problems);
            }
            o.field("failure", failure);
            o.field("code", code);
            o.field("count", count);
            o.field("app_key", app_key);
            o.field("needs_page", needs_page);
            o.field("user", user);
            o.field("explain", explain);
            if merchant_message.is_some() {
                o.field("merchant_message", merchant_message);
            }
        })
    }
}

object_to_json!(Report { findings, truncated, unkept_lines });

object_to_json!(Failure { api, merchant, kind, code, message, count });

object_to_json!(Problem { code, detail, zh });

object_to_json!(LinkCheck { link, ok, app_key, problems, fixed_link });

object_to_json!(AuthLinks { first, second });

object_to_json!(ScopeInfo { id, name, status });

object_to_json!(Badge { kind, anchor, api, scopes, verdict, failing, links, text, ok, findings, problems, fixed_link, message });

/// A struct written from a list of members, for the wasm's own reply shapes
/// (`{state, changed, page, …}`): `Fields(&[("state", &state), …])`.
pub struct Fields<'a>(pub &'a [(&'a str, &'a dyn ToJson)]);

impl ToJson for Fields<'_> {
    fn write(&self, out: &mut Out) {
        object(out, |o| self.0.iter().for_each(|(key, value)| o.field(key, *value)))
    }
}

// ---- Reading ----------------------------------------------------------------------------------

/// Why a value could not be read, worded as serde-wasm-bindgen worded it.
pub type Error = String;

pub trait FromJson: Sized {
    fn from_json(value: Json) -> Result<Self, Error>;
}

/// Parses JSON text into `T`.
pub fn from_str<T: FromJson>(text: &str) -> Result<T, Error> {
    T::from_json(parse(text)?)
}

/// How serde names an unexpected value: ``string "x"``, ``floating point `1.5` ``, `unit value`.
fn unexpected(value: &Json) -> String {
    match value {
        Json::Null => "unit value".to_string(),
        Json::Bool(b) => format!("boolean `{b}`"),
        Json::Num(text) => format!("floating point `{}`", float_text(text)),
        Json::Str(text) => format!("string {text:?}"),
        // serde-wasm-bindgen showed objects and arrays as wasm-bindgen's debug string.
        _ => format!("JsValue({})", debug_string(value)),
    }
}

fn invalid_type(value: &Json, expected: &str) -> Error {
    format!("invalid type: {}, expected {expected}", unexpected(value))
}

/// A JavaScript number as Rust's `f64` Display writes it, with serde's `.0` for whole numbers:
/// `1` → `1.0`, `1.5` → `1.5`, `1e+21` → `1000000000000000000000.0`, `1.5e-7` → `0.00000015`.
/// (Both languages print the shortest digits that round-trip; only the notation differs.)
fn float_text(text: &str) -> String {
    let (sign, unsigned) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (mantissa, exponent) = match unsigned.split_once(&['e', 'E'][..]) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().unwrap_or(0)),
        None => (unsigned, 0),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let point = whole.len() as i32 + exponent;
    // The digits with zeros added so that the point falls within them: before them when it is
    // left of the first, after them when right of the last.
    let (lead, at) = if point <= 0 { ((-point) as usize, 0) } else { (0, point as usize) };
    let trail = at.saturating_sub(whole.len() + fraction.len());
    let mut padded = "0".repeat(lead);
    padded.push_str(whole);
    padded.push_str(fraction);
    padded.push_str(&"0".repeat(trail));
    let (int_part, frac_part) = padded.split_at(at);
    let (int_part, frac_part) = (int_part.trim_start_matches('0'), frac_part.trim_end_matches('0'));
    let mut out = String::from(sign);
    out.push_str(if int_part.is_empty() { "0" } else { int_part });
    out.push('.');
    out.push_str(if frac_part.is_empty() { "0" } else { frac_part });
    out
}

/// wasm-bindgen's `debugString` of a value (what `{:?}` of a `JsValue` showed).
fn debug_string(value: &Json) -> String {
    match value {
        Json::Null => "null".to_string(),
        Json::Bool(b) => b.to_string(),
        Json::Num(text) => text.clone(),
        Json::Str(_) => to_string(value),
        Json::Arr(items) => format!("[{}]", crate::text::joined(&items.iter().map(debug_string).collect::<Vec<_>>(), ", ")),
        Json::Obj(_) => format!("Object({})", to_string(value)),
    }
}

impl FromJson for Json {
    fn from_json(value: Json) -> Result<Json, Error> {
        Ok(value)
    }
}

impl FromJson for String {
    fn from_json(value: Json) -> Result<String, Error> {
        match value {
            Json::Str(text) => Ok(text),
            other => Err(invalid_type(&other, "a string")),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: Json) -> Result<bool, Error> {
        match value {
            Json::Bool(b) => Ok(b),
            other => Err(invalid_type(&other, "a boolean")),
        }
    }
}

/// An unsigned integer no larger than `max`, read as serde-wasm-bindgen read one: a JavaScript
/// safe integer (≤ 2^53 − 1), not negative; `name` is the Rust type serde's messages name.
fn unsigned(value: Json, name: &str, max: u64) -> Result<u64, Error> {
    const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
    if let Json::Num(text) = &value {
        if let Some(n) = text.parse::<u64>().ok().filter(|&n| n <= MAX_SAFE_INTEGER) {
            if n > max {
                // (Written with `push_u64`: `{n}` alone brought u64's Display into the wasm.)
                let mut message = String::from("invalid value: integer `");
                push_u64(&mut message, n);
                message.push_str("`, expected ");
                message.push_str(name);
                return Err(message);
            }
            return Ok(n);
        }
    }
    Err(invalid_type(&value, name))
}

impl FromJson for u64 {
    fn from_json(value: Json) -> Result<u64, Error> {
        unsigned(value, "u64", u64::MAX)
    }
}

impl FromJson for u32 {
    fn from_json(value: Json) -> Result<u32, Error> {
        unsigned(value, "u32", u32::MAX.into()).map(|n| n as u32)
    }
}

impl FromJson for usize {
    fn from_json(value: Json) -> Result<usize, Error> {
        unsigned(value, "usize", usize::MAX as u64).map(|n| n as usize)
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: Json) -> Result<Option<T>, Error> {
        match value {
            Json::Null => Ok(None),
            other => T::from_json(other).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: Json) -> Result<Vec<T>, Error> {
        let Json::Arr(items) = value else { return Err(invalid_type(&value, "a sequence")) };
        // A plain loop: `collect::<Result<Vec<_>, _>>()` costs ~1.5 KB of wasm per element type.
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            out.push(T::from_json(item)?);
        }
        Ok(out)
    }
}

impl FromJson for (String, String) {
    fn from_json(value: Json) -> Result<(String, String), Error> {
        // Elements past the second are ignored, as serde-wasm-bindgen ignored them.
        const EXPECTED: &str = "a tuple of size 2";
        let Json::Arr(items) = value else { return Err(invalid_type(&value, EXPECTED)) };
        let mut items = items.into_iter();
        let mut next = |i: usize| match items.next() {
            Some(item) => String::from_json(item),
            None => Err(format!("invalid length {i}, expected {EXPECTED}")),
        };
        Ok((next(0)?, next(1)?))
    }
}

/// A fieldless enum from its name, with serde's messages for anything else.
fn variant(value: Json, what: &str, names: &[&str]) -> Result<usize, Error> {
    // serde-wasm-bindgen took a string as the name, and an object of one member as
    // `{name: payload}` with a null payload for a unit variant; anything else has the wrong type.
    let (name, payload) = match value {
        Json::Str(name) => (name, Json::Null),
        Json::Obj(mut members) if members.len() == 1 => members.pop().unwrap_or_default(),
        Json::Obj(members) => return Err(format!("invalid length {}, expected 1", members.len())),
        // An array is an object in JavaScript: its members are its indices.
        Json::Arr(mut items) if items.len() == 1 => ("0".to_string(), items.pop().unwrap_or(Json::Null)),
        Json::Arr(items) => return Err(format!("invalid length {}, expected 1", items.len())),
        other => return Err(invalid_type(&other, what)),
    };
    let Some(index) = names.iter().position(|n| *n == name) else {
        let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        let expected = match quoted.len() {
            1 => quoted[0].clone(),
            2 => format!("{} or {}", quoted[0], quoted[1]),
            _ => format!("one of {}", crate::text::joined(&quoted, ", ")),
        };
        return Err(format!("unknown variant `{name}`, expected {expected}"));
    };
    match payload {
        Json::Null => Ok(index),
        other => Err(invalid_type(&other, "unit")),
    }
}

/// A fieldless enum written and read by name: its serde name and value for each variant, in
/// declaration order (serde's "expected one of" lists them in that order).
macro_rules! read_names {
    ($($type:ty { $($variant:ident => $name:literal),* $(,)? })*) => {$(
        names! { $type { $($variant => $name),* } }

        impl FromJson for $type {
            fn from_json(value: Json) -> Result<$type, Error> {
                const NAMES: &[&str] = &[$($name),*];
                const VALUES: &[$type] = &[$(<$type>::$variant),*];
                variant(value, concat!("enum ", stringify!($type)), NAMES).map(|i| VALUES[i])
            }
        }
    )*};
}

read_names! {
    Language { Zh => "zh", En => "en" }
    Status { Owned => "owned", Missing => "missing", Pending => "pending" }
    AppType { Merchant => "merchant", ServiceMarket => "service-market" }
    FailureKind {
        MissingScope => "missing-scope", AuthFailed => "auth-failed", ExpiredToken => "expired-token",
        RefreshTokenExpired => "refresh-token-expired", RevokedGrant => "revoked-grant", NotAppUser => "not-app-user",
        InvalidUrl => "invalid-url", ServiceNotOrdered => "service-not-ordered", Quota => "quota", Business => "business",
        Unrecognized => "unrecognized", Unknown => "unknown",
    }
}

/// The members of an object being read into a struct, taken by name in the struct's field
/// order, as serde-wasm-bindgen took them: members the struct does not name are ignored; a
/// member's wrong type is the error (the first one; nothing after it is read); a missing
/// required field fails after all present ones were read (hence `take` now, `need` when
/// building). Errors wait in `failed` until [`Members::done`]: one exit per struct instead of
/// one per field (each early return dropped every field read before it, ~4 KB of wasm).
pub struct Members {
    members: Vec<(String, Json)>,
    next: usize,
    failed: Option<Error>,
}

impl Members {
    /// The members of `value`, which must be an object; `what` names the struct (`struct App`).
    pub fn of(value: Json, what: &str) -> Result<Members, Error> {
        let members = match value {
            Json::Obj(members) => members,
            // An array is an object in JavaScript, with none of a struct's fields.
            Json::Arr(_) => Vec::new(),
            other => return Err(invalid_type(&other, what)),
        };
        Ok(Members { members, next: 0, failed: None })
    }

    /// The member `key` read as `T`; `None` when the object lacks it or reading failed (then
    /// [`Members::done`] reports why).
    pub fn take<T: FromJson>(&mut self, key: &str) -> Option<T> {
        let value = self.take_json(key)?;
        self.read(value)
    }

    /// The member `key` read as `T`, `null` counting as absent: an `Option` field, read as
    /// `take::<Option<T>>` would with no second copy of `take` per field type.
    pub fn take_nullable<T: FromJson>(&mut self, key: &str) -> Option<T> {
        match self.take_json(key)? {
            Json::Null => None,
            value => self.read(value),
        }
    }

    fn read<T: FromJson>(&mut self, value: Json) -> Option<T> {
        T::from_json(value).map_err(|e| self.failed = Some(e)).ok()
    }

    /// The first member that could not be read, if any.
    pub fn done(self) -> Result<(), Error> {
        self.failed.map_or(Ok(()), Err)
    }

    /// Not generic, so the search is in the wasm once rather than once per field type.
    /// The search starts after the member taken last: `JSON.stringify` writes the members in
    /// the order they were set, mostly the fields' order, so a snapshot's 300,000 members are
    /// found at the first look. After a failure nothing more is read.
    fn take_json(&mut self, key: &str) -> Option<Json> {
        let Members { members, next, failed } = self;
        if failed.is_some() {
            return None;
        }
        let len = members.len();
        let i = (0..len).map(|k| (*next + k) % len).find(|&i| members[i].0 == key)?;
        *next = i + 1;
        Some(std::mem::take(&mut members[i].1))
    }
}

/// A required field's value, or serde's message for its absence.
fn need<T>(value: Option<T>, key: &str) -> Result<T, Error> {
    value.ok_or_else(|| format!("missing field `{key}`"))
}

impl FromJson for Node {
    fn from_json(value: Json) -> Result<Node, Error> {
        let mut m = Members::of(value, "struct Node")?;
        let (tag, parent, text, attrs, visible) =
            (m.take("tag"), m.take_nullable("parent"), m.take("text"), m.take("attrs"), m.take("visible"));
        m.done()?;
        Ok(Node {
            tag: need(tag, "tag")?,
            parent,
            text: text.unwrap_or_default(),
            attrs: attrs.unwrap_or_default(),
            visible: visible.unwrap_or(true),
        })
    }
}

impl FromJson for Snapshot {
    /// The snapshot, sanitized (page input is untrusted), ready for reading.
    fn from_json(value: Json) -> Result<Snapshot, Error> {
        let mut m = Members::of(value, "struct Snapshot")?;
        let (url, nodes): (Option<String>, Option<Vec<Node>>) = (m.take("url"), m.take("nodes"));
        let (omitted, cut): (Option<usize>, Option<bool>) = (m.take("omitted"), m.take("cut"));
        m.done()?;
        Ok(Snapshot::new(url.unwrap_or_default(), nodes.unwrap_or_default()).with_losses(omitted.unwrap_or(0), cut.unwrap_or(false)))
    }
}

/// A snapshot from its JSON text. Pages can have 60,000 nodes, so the shape the content script
/// sends is read straight from the text, without building the value tree (`observePage` on
/// such a page: ~340 ms instead of ~410 ms, as with serde-wasm-bindgen); anything else — other
/// types, a missing tag, escaped keys — is read the general way, which also words any error as
/// serde-wasm-bindgen did.
pub fn snapshot_from_str(text: &str) -> Result<Snapshot, Error> {
    let mut parser = Parser { text, at: 0 };
    match parser.snapshot() {
        Some(snapshot) if parser.at == text.len() => Ok(snapshot),
        _ => from_str(text),
    }
}

impl Parser<'_> {
    /// `{"key": value, …}`, each value read by `member`; `None` when not an object of that form.
    fn members(&mut self, mut member: impl FnMut(&mut Self, &str) -> Option<()>) -> Option<()> {
        if !self.eat(b'{') {
            return None;
        }
        if self.eat(b'}') {
            return Some(());
        }
        loop {
            self.skip_space();
            // Keys with escapes are left to the general reader.
            let key = self.text.get(self.at + 1..)?.split_once('"')?.0;
            if !self.text[self.at..].starts_with('"') || key.contains('\\') {
                return None;
            }
            self.at += key.len() + 2;
            if !self.eat(b':') {
                return None;
            }
            member(self, key)?;
            if self.eat(b'}') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    /// `[item, …]`, each read by `item`.
    fn items(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        if !self.eat(b'[') {
            return None;
        }
        if self.eat(b']') {
            return Some(());
        }
        loop {
            item(self)?;
            if self.eat(b']') {
                return Some(());
            }
            if !self.eat(b',') {
                return None;
            }
        }
    }

    fn some_string(&mut self) -> Option<String> {
        self.skip_space();
        self.string().ok()
    }

    fn snapshot(&mut self) -> Option<Snapshot> {
        let (mut url, mut nodes, mut omitted, mut cut) = (String::new(), Vec::new(), 0, false);
        self.members(|p, key| {
            match key {
                "url" => url = p.some_string()?,
                "omitted" => omitted = usize::from_json(p.value(2).ok()?).ok()?,
                "cut" => cut = bool::from_json(p.value(2).ok()?).ok()?,
                "nodes" => p.items(|p| {
                    nodes.push(p.node()?);
                    Some(())
                })?,
                _ => drop(p.value(1).ok()?),
            }
            Some(())
        })?;
        Some(Snapshot::new(url, nodes).with_losses(omitted, cut))
    }

    fn node(&mut self) -> Option<Node> {
        let mut node = Node { tag: String::new(), parent: None, text: String::new(), attrs: Vec::new(), visible: true };
        let mut has_tag = false;
        self.members(|p, key| {
            match key {
                "tag" => (node.tag, has_tag) = (p.some_string()?, true),
                "parent" => {
                    node.parent = match p.value(2).ok()? {
                        Json::Null => None,
                        number => Some(usize::from_json(number).ok()?),
                    }
                }
                "text" => node.text = p.some_string()?,
                // Pairs; elements past the second are ignored, as by the general reader.
                "attrs" => p.items(|p| {
                    let mut pair = Vec::new();
                    p.items(|p| {
                        pair.push(p.value(3).ok()?);
                        Some(())
                    })?;
                    let mut pair = pair.into_iter().map(String::from_json);
                    node.attrs.push((pair.next()?.ok()?, pair.next()?.ok()?));
                    Some(())
                })?,
                "visible" => node.visible = bool::from_json(p.value(2).ok()?).ok()?,
                _ => drop(p.value(2).ok()?),
            }
            Some(())
        })?;
        has_tag.then_some(node)
    }
}

impl FromJson for Package {
    fn from_json(value: Json) -> Result<Package, Error> {
        let mut m = Members::of(value, "struct Package")?;
        let (scope, status, anchor, name) = (m.take("scope"), m.take("status"), m.take_nullable("anchor"), m.take_nullable("name"));
        m.done()?;
        Ok(Package { scope: need(scope, "scope")?, status: need(status, "status")?, anchor, name })
    }
}

impl FromJson for User {
    fn from_json(value: Json) -> Result<User, Error> {
        let mut m = Members::of(value, "struct User")?;
        let (id, authorized, anchor) = (m.take("id"), m.take("authorized"), m.take_nullable("anchor"));
        m.done()?;
        Ok(User { id: need(id, "id")?, authorized: need(authorized, "authorized")?, anchor })
    }
}

impl FromJson for App {
    fn from_json(value: Json) -> Result<App, Error> {
        let mut m = Members::of(value, "struct App")?;
        let (app_key, app_name, callback, app_type, packages) =
            (m.take("app_key"), m.take_nullable("app_name"), m.take_nullable("callback"), m.take_nullable("app_type"), m.take("packages"));
        m.done()?;
        Ok(App { app_key: need(app_key, "app_key")?, app_name, callback, app_type, packages: packages.unwrap_or_default() })
    }
}

impl FromJson for Mark {
    fn from_json(value: Json) -> Result<Mark, Error> {
        let mut m = Members::of(value, "struct Mark")?;
        let (api, merchant, kind, code, message) =
            (m.take("api"), m.take_nullable("merchant"), m.take("kind"), m.take_nullable("code"), m.take("message"));
        m.done()?;
        Ok(Mark {
            api: need(api, "api")?,
            merchant,
            kind: kind.unwrap_or(FailureKind::Unknown),
            code,
            message: message.unwrap_or_default(),
        })
    }
}

impl FromJson for Learned {
    fn from_json(value: Json) -> Result<Learned, Error> {
        let mut m = Members::of(value, "struct Learned")?;
        let (api, scopes) = (m.take("api"), m.take("scopes"));
        m.done()?;
        Ok(Learned { api: need(api, "api")?, scopes: need(scopes, "scopes")? })
    }
}

impl FromJson for TokenReading {
    fn from_json(value: Json) -> Result<TokenReading, Error> {
        let mut m = Members::of(value, "struct TokenReading")?;
        let (app_key, scopes) = (m.take_nullable("app_key"), m.take("scopes"));
        m.done()?;
        Ok(TokenReading { app_key, scopes: need(scopes, "scopes")? })
    }
}

impl FromJson for Evicted {
    fn from_json(value: Json) -> Result<Evicted, Error> {
        let mut m = Members::of(value, "struct Evicted")?;
        let read = Evicted {
            apps: m.take("apps").unwrap_or_default(),
            marks: m.take("marks").unwrap_or_default(),
            learned: m.take("learned").unwrap_or_default(),
        };
        m.done()?;
        Ok(read)
    }
}

impl FromJson for State {
    fn from_json(value: Json) -> Result<State, Error> {
        let mut m = Members::of(value, "struct State")?;
        let read = State {
            version: m.take("version").unwrap_or_default(),
            language: m.take("language").unwrap_or_default(),
            current_app: m.take_nullable::<String>("current_app"),
            apps: m.take("apps").unwrap_or_default(),
            marks: m.take("marks").unwrap_or_default(),
            learned: m.take("learned").unwrap_or_default(),
            token_reading: m.take_nullable::<TokenReading>("token_reading"),
            token_scopes: m.take_nullable::<Vec<String>>("token_scopes"),
            users: m.take_nullable::<Vec<User>>("users"),
            evicted: m.take("evicted").unwrap_or_default(),
            app_visit: m.take_nullable::<String>("app_visit"),
        };
        m.done()?;
        Ok(read)
    }
}

impl FromJson for Export {
    fn from_json(value: Json) -> Result<Export, Error> {
        let mut m = Members::of(value, "struct Export")?;
        let (format, settings) = (m.take("format"), m.take("settings"));
        m.done()?;
        Ok(Export { format: need(format, "format")?, settings: need(settings, "settings")? })
    }
}

impl FromJson for Failure {
    fn from_json(value: Json) -> Result<Failure, Error> {
        let mut m = Members::of(value, "struct Failure")?;
        let (api, merchant, kind, code, message, count) = (
            m.take_nullable("api"),
            m.take_nullable("merchant"),
            m.take("kind"),
            m.take_nullable("code"),
            m.take("message"),
            m.take("count"),
        );
        m.done()?;
        Ok(Failure { api, merchant, kind: need(kind, "kind")?, code, message: need(message, "message")?, count: count.unwrap_or(1) })
    }
}

impl FromJson for Evidence {
    fn from_json(value: Json) -> Result<Evidence, Error> {
        let mut m = Members::of(value, "struct Evidence")?;
        let read = Evidence {
            apps: m.take("apps").unwrap_or_default(),
            current_app: m.take_nullable::<String>("current_app"),
            learned: m.take("learned").unwrap_or_default(),
            api_pages: m.take("api_pages").unwrap_or_default(),
            failure_text: m.take_nullable::<String>("failure_text"),
            failures: m.take("failures").unwrap_or_default(),
            apis: m.take("apis").unwrap_or_default(),
            token: m.take_nullable::<TokenReading>("token"),
            users: m.take_nullable::<Vec<User>>("users"),
        };
        m.done()?;
        Ok(read)
    }
}

/// Every object key and string value in a value, depth-first, keys after their values (bounded
/// at depth 8: a settings file is shallow) — what the settings import searches for secrets.
pub fn keys_and_strings(value: &Json, depth: usize, keys: &mut Vec<String>, strings: &mut Vec<String>) {
    match value {
        Json::Str(text) => strings.push(text.clone()),
        _ if depth > 8 => {}
        Json::Arr(items) => items.iter().for_each(|item| keys_and_strings(item, depth + 1, keys, strings)),
        Json::Obj(members) => {
            for (key, child) in members {
                keys_and_strings(child, depth + 1, keys, strings);
                keys.push(key.clone());
            }
        }
        _ => {}
    }
}

#[cfg(all(test, feature = "native"))]
mod tests {
    use super::*;
    use crate::evidence;
    use crate::link_check;
    use crate::snapshot::html::from_html;
    use serde::{de::DeserializeOwned, Serialize};
    use std::path::Path;

    /// This module and serde_json agree on `value`: the same text out, the same value back in.
    fn same<T: ToJson + Serialize + FromJson + DeserializeOwned + PartialEq + std::fmt::Debug>(value: &T) {
        let text = serde_json::to_string(value).unwrap();
        assert_eq!(to_string(value), text);
        assert_eq!(&from_str::<T>(&text).unwrap(), value, "{text}");
    }

    fn pages() -> Vec<(String, String)> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut pages = Vec::new();
        for dir in ["tests/fixtures", "tests/fixtures/doctor", "www/console", "tests/e2e/blind-pages"] {
            let mut names: Vec<_> = std::fs::read_dir(root.join(dir)).unwrap().filter_map(|e| Some(e.ok()?.path())).collect();
            names.sort();
            for path in names.into_iter().filter(|p| p.extension().is_some_and(|e| e == "html")) {
                pages.push((path.display().to_string(), std::fs::read_to_string(&path).unwrap()));
            }
        }
        assert!(pages.len() > 100);
        pages
    }

    const TEXTS: &[&str] = &[
        "method=open.item.get shopId=1001 token中无scope权限\nmethod=open.order.cursor.list token中无scope权限",
        "{\"result\":28,\"code\":\"803000\",\"msg\":\"鉴权失败\",\"error_msg\":\"TOKEN过期\"} open.item.get",
        "POST /oauth2/refresh_token refreshToken.discarded\nAUTHORIZATION_REVOKED open.refund.reject",
        "userId=2002 不属于此应用的授权用户或测试用户\n服务未订购\n[1017] exceed quota limit method=open.order.cursor.list",
        "Invalid url https://open.kwaixiaodian.com/oauth/authorize?appId=ks685673047213&redirect_uri=http://x&scope=merchant_item&x=1&x=2",
        "open.distribution.cps.link.create 1800608 暂无站外分销推广权限\nopen.no.such.api something \"quoted\" \\ \u{1}\t",
    ];

    #[test]
    fn writes_what_serde_writes_and_reads_it_back() {
        let mut state = State::default();
        for (i, (name, html)) in pages().iter().enumerate() {
            let url = if name.contains("app") { "https://open.kwaixiaodian.com/zone/new/app/detail?appKey=ks1" } else { "" };
            let snapshot = from_html(html, url, &crate::read::labels::snapshot_rules());
            let text = serde_json::to_string(&snapshot).unwrap();
            assert_eq!(from_str::<Snapshot>(&text).unwrap(), snapshot, "{name}");
            let reading = crate::read::read(&snapshot);
            assert_eq!(to_string(&reading), serde_json::to_string(&reading).unwrap(), "{name}");
            if i % 20 == 0 {
                state = State::default();
            }
            state.learn_on_visit(&reading, name);
            state.set_mark("open.item.get", true);
            let mut badges = crate::view::badges(&reading, &state);
            badges.extend(State::refusal(&reading).map(|reason| crate::view::refusal_badge(&reading, &reason)));
            assert_eq!(to_string(&badges), serde_json::to_string(&badges).unwrap(), "{name}");
            same(&state);
            same(&state.export());
            for text in TEXTS {
                let failures = crate::failure::parse(text);
                same(&failures);
                let mut evidence = state.evidence();
                evidence.failure_text = Some(text.to_string());
                evidence.apis = vec!["open.refund.reject".into()];
                assert_eq!(from_str::<Evidence>(&serde_json::to_string(&evidence).unwrap()).unwrap(), evidence);
                let report = evidence::findings(&evidence);
                assert_eq!(to_string(&report), serde_json::to_string(&report).unwrap());
                for link in link_check::links_in(text) {
                    let check = link_check::check_link(&link, &state.apps);
                    assert_eq!(to_string(&check), serde_json::to_string(&check).unwrap());
                }
            }
            for app in &state.apps {
                if let Ok(links) = crate::link::for_app(app) {
                    assert_eq!(to_string(&links), serde_json::to_string(&links).unwrap());
                }
            }
        }
        for file in ["v0.json", "v1.json"] {
            let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/state").join(file)).unwrap();
            assert_eq!(from_str::<State>(&text).unwrap(), serde_json::from_str::<State>(&text).unwrap(), "{file}");
        }
    }

    #[test]
    fn snapshots_read_the_same_by_either_path() {
        for (name, html) in pages() {
            let snapshot =
                from_html(&html, "https://open.kwaixiaodian.com/zone/new/app/detail?appKey=ks1", &crate::read::labels::snapshot_rules());
            let whole = serde_json::to_string(&snapshot).unwrap();
            // The content script's compact form leaves out the fields that have their default.
            let mut compact: serde_json::Value = serde_json::from_str(&whole).unwrap();
            for node in compact["nodes"].as_array_mut().unwrap() {
                let node = node.as_object_mut().unwrap();
                node.retain(|key, value| match key.as_str() {
                    "parent" => !value.is_null(),
                    "text" => value != "",
                    "attrs" => value.as_array().is_some_and(|a| !a.is_empty()),
                    "visible" => value == false,
                    _ => true,
                });
            }
            for text in [whole, compact.to_string()] {
                let mut parser = Parser { text: &text, at: 0 };
                assert_eq!(parser.snapshot().as_ref(), Some(&snapshot), "{name}");
                assert_eq!(snapshot_from_str(&text), Ok(snapshot.clone()), "{name}");
            }
        }
        // Anything else takes the general path: the same snapshot, or the same error.
        for text in [
            "null",
            "[]",
            r#"{"url":5}"#,
            r#"{"nodes":[{}]}"#,
            r#"{"nodes":[{"tag":"div","parent":-1}]}"#,
            r#"{"nodes":[{"tag":"div","text":null}]}"#,
            r#"{"nodes":[{"tag":"div","attrs":[["a","b","c"]],"x":{"y":[1]}}],"z":1}"#,
            r#"{"nodes":[{"tag":"div","attrs":[["a"]]}]}"#,
            r#"{"nodes":[{"t\u0061g":"div"}]}"#,
            r#"{"url":"a\"b","nodes":[{"tag":"d\u00e9v","parent":null,"visible":false}]} "#,
        ] {
            assert_eq!(snapshot_from_str(text), from_str::<Snapshot>(text), "{text}");
        }
    }

    #[test]
    fn every_enum_name_is_serde_s() {
        for v in Verdict::ALL {
            assert_eq!(to_string(&v), serde_json::to_string(&v).unwrap());
        }
        // serde's message for an unknown name lists every name in order: the tables here must too.
        fn names_of<T: FromJson + DeserializeOwned + std::fmt::Debug>() {
            let serde = serde_json::from_str::<T>("\"?\"").unwrap_err().to_string();
            let mine = from_str::<T>("\"?\"").unwrap_err();
            assert!(serde.starts_with(&mine), "{serde} / {mine}");
        }
        names_of::<Language>();
        names_of::<Status>();
        names_of::<AppType>();
        names_of::<FailureKind>();
    }

    #[test]
    fn fails_as_serde_wasm_bindgen_did() {
        // Messages recorded from serde-wasm-bindgen 0.6.5 in Chromium (before this module).
        let snapshot = |text: &str| from_str::<Snapshot>(text).unwrap_err();
        assert_eq!(snapshot("null"), "invalid type: unit value, expected struct Snapshot");
        assert_eq!(snapshot("1"), "invalid type: floating point `1.0`, expected struct Snapshot");
        assert_eq!(snapshot("\"x\""), "invalid type: string \"x\", expected struct Snapshot");
        assert_eq!(snapshot(r#"{"url":5}"#), "invalid type: floating point `5.0`, expected a string");
        assert_eq!(snapshot(r#"{"nodes":[{}]}"#), "missing field `tag`");
        assert_eq!(snapshot(r#"{"nodes":[{"tag":"div","parent":-1}]}"#), "invalid type: floating point `-1.0`, expected usize");
        assert_eq!(snapshot(r#"{"nodes":[{"tag":"div","parent":1.5}]}"#), "invalid type: floating point `1.5`, expected usize");
        assert_eq!(snapshot(r#"{"nodes":[{"tag":"div","visible":1}]}"#), "invalid type: floating point `1.0`, expected a boolean");
        assert_eq!(snapshot(r#"{"nodes":[{"tag":"DIV","attrs":[["href","a"],["x"]]}]}"#), "invalid length 1, expected a tuple of size 2");
        let long_pair = from_str::<Snapshot>(r#"{"nodes":[{"tag":"div","attrs":[["a","b","c"]]}]}"#).unwrap();
        assert_eq!(long_pair.nodes[0].attrs, [("a".to_string(), "b".to_string())]);
        assert_eq!(
            snapshot(r#"{"nodes":[{"tag":[1,"a",{"b":null}]}]}"#),
            r#"invalid type: JsValue([1, "a", Object({"b":null})]), expected a string"#
        );
        // Unknown members are ignored, arrays have no fields, and parents are checked later.
        assert_eq!(from_str::<Snapshot>(r#"{"url":"https://x/?a=b","nodes":[{"tag":"div","extra":1}],"other":2}"#).unwrap().nodes.len(), 1);
        assert_eq!(from_str::<Snapshot>("[]").unwrap(), Snapshot::default().sanitized());

        let state = |text: &str| from_str::<State>(text).unwrap_err();
        assert_eq!(state(r#"{"language":"fr"}"#), "unknown variant `fr`, expected `zh` or `en`");
        assert_eq!(state("1"), "invalid type: floating point `1.0`, expected struct State");
        assert_eq!(state(r#"{"version":-1}"#), "invalid type: floating point `-1.0`, expected u32");
        assert_eq!(state(r#"{"version":5000000000}"#), "invalid value: integer `5000000000`, expected u32");
        assert_eq!(state(r#"{"version":1e+21}"#), "invalid type: floating point `1000000000000000000000.0`, expected u32");
        assert_eq!(state(r#"{"apps":[{"app_key":"ks1"},{"app_key":5}]}"#), "invalid type: floating point `5.0`, expected a string");
        assert_eq!(state(r#"{"users":[{"id":"1"}]}"#), "missing field `authorized`");
        assert_eq!(
            state(r#"{"apps":[{"app_key":"ks1","packages":[{"scope":"user_info","status":"weird"}]}]}"#),
            "unknown variant `weird`, expected one of `owned`, `missing`, `pending`"
        );
        // serde-wasm-bindgen's other enum forms: `{name: null}`, and the wrong type or length.
        assert_eq!(from_str::<State>(r#"{"language":{"en":null}}"#).unwrap().language, Language::En);
        assert_eq!(state(r#"{"language":{"en":1}}"#), "invalid type: floating point `1.0`, expected unit");
        assert_eq!(state(r#"{"language":{"en":null,"zh":null}}"#), "invalid length 2, expected 1");
        assert_eq!(state(r#"{"language":true}"#), "invalid type: boolean `true`, expected enum Language");
        // A wrong type fails before a missing field, whatever the order of the members.
        assert_eq!(from_str::<Failure>(r#"{"message":5}"#).unwrap_err(), "invalid type: floating point `5.0`, expected a string");
        assert_eq!(from_str::<Failure>(r#"{"message":"m"}"#).unwrap_err(), "missing field `kind`");
        assert_eq!(from_str::<App>("5").unwrap_err(), "invalid type: floating point `5.0`, expected struct App");
    }

    #[test]
    fn numbers_read_as_rust_writes_them() {
        for (js, rust) in [
            ("0", "0.0"),
            ("-1", "-1.0"),
            ("1.5", "1.5"),
            ("123.456", "123.456"),
            ("1e+21", "1000000000000000000000.0"),
            ("1.5e-7", "0.00000015"),
            ("-2.5e+22", "-25000000000000000000000.0"),
            ("9007199254740992", "9007199254740992.0"),
        ] {
            assert_eq!(float_text(js), rust);
            // What serde wrote: f64 Display, plus `.0` when that has no point.
            let shown = js.parse::<f64>().unwrap().to_string();
            assert_eq!(if shown.contains('.') { shown } else { format!("{shown}.0") }, rust);
        }
        assert_eq!(from_str::<u64>("9007199254740991"), Ok(9007199254740991));
        assert_eq!(from_str::<u64>("9007199254740992").unwrap_err(), "invalid type: floating point `9007199254740992.0`, expected u64");
    }

    #[test]
    fn parses_any_json_and_writes_strings_as_json_does() {
        let text = r#" { "a" : [ 1 , -2.5e-3 , true , false , null , "\u00e9\ud83d\ude00\ud800x\"\\\/\b\f\n\r\t" ] , "b" : { } } "#;
        let value = parse(text).unwrap();
        let Json::Obj(members) = &value else { panic!("{value:?}") };
        assert_eq!(members[0].0, "a");
        assert_eq!(
            members[0].1,
            Json::Arr(vec![
                Json::Num("1".into()),
                Json::Num("-2.5e-3".into()),
                Json::Bool(true),
                Json::Bool(false),
                Json::Null,
                Json::Str("é😀\u{FFFD}x\"\\/\u{8}\u{c}\n\r\t".into()),
            ])
        );
        assert_eq!(to_string(&value), "{\"a\":[1,-2.5e-3,true,false,null,\"é😀\u{FFFD}x\\\"\\\\/\\b\\f\\n\\r\\t\"],\"b\":{}}");
        let odd = "\u{0}\u{1f}\u{7f}\u{2028}";
        assert_eq!(to_string(odd), serde_json::to_string(odd).unwrap());
        for bad in ["", "{", "[1,]", "{\"a\" 1}", "\"abc", "tru", "[1] x", "\"\\x\""] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        assert!(parse(&"[".repeat(100_000)).is_err());
    }
}
