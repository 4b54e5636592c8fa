//! What the extension remembers between pages, as one versioned record in
//! `chrome.storage.local`: the known apps, the APIs marked as failing, the packages learned from
//! API pages, the last token's scopes and the language. Never a token or an app secret.

use crate::catalog::is_package_id;
use crate::model::{App, Failure, FailureKind, Learned, TokenReading, User, MAX_MERCHANT_ID};
use crate::read::Reading;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The schema written now. Older records are migrated by [`migrate`]; newer ones are refused.
pub const SCHEMA_VERSION: u32 = 1;
/// Marks an exported settings file, so a random JSON file is not mistaken for one.
pub const EXPORT_FORMAT: &str = "scope-doctor-settings";

/// Bounds of the state, so no page or paste can grow it past the storage quota; beyond them
/// the oldest entries are evicted (and counted in [`State::evicted`]).
pub const MAX_APPS: usize = 50;
pub const MAX_MARKS: usize = 300;
pub const MAX_LEARNED: usize = 1000;
/// Packages one app lists; the platform has about fifteen.
pub const MAX_PACKAGES: usize = 100;
/// Longest app name or 回调地址 kept.
pub const MAX_TEXT_CHARS: usize = 2048;

#[derive(Debug, Error, PartialEq, Eq)]
pub enum StoreError {
    #[error("this is not a Scope Doctor settings file (expected \"format\": \"{EXPORT_FORMAT}\")")]
    NotSettings,
    #[error("the settings were written by a newer Scope Doctor (schema {0}, this one reads up to {SCHEMA_VERSION})")]
    NewerVersion(u32),
    #[error("invalid {field}: {reason}")]
    Invalid { field: String, reason: String, zh: String },
    #[error("the settings file does not have the expected shape: {0}")]
    Shape(String),
}

impl StoreError {
    /// The same reason in Chinese, for the (Chinese by default) options page.
    pub fn zh(&self) -> String {
        match self {
            StoreError::NotSettings => format!("这不是 Scope Doctor 的设置文件（缺少 \"format\": \"{EXPORT_FORMAT}\"）"),
            StoreError::NewerVersion(v) => format!("设置来自更新版本的 Scope Doctor（版本 {v}，本版本最多读取 {SCHEMA_VERSION}）"),
            StoreError::Invalid { field, zh, .. } => format!("{field} 无效：{zh}"),
            // serde's detail is English: the Chinese message stays wholly Chinese.
            StoreError::Shape(_) => "设置文件的结构不对：有不认识的字段或取值".to_string(),
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Language {
    #[default]
    Zh,
    En,
}

/// An API the user marked as failing, or that a pasted error named: parsed facts only (API,
/// merchant, error kind and code), never the pasted text, which may hold a token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mark {
    pub api: String,
    #[serde(default)]
    pub merchant: Option<String>,
    #[serde(default = "unknown_kind")]
    pub kind: FailureKind,
    #[serde(default)]
    pub code: Option<String>,
    /// Schema-1 records kept the pasted message here; it is read and dropped, never written.
    #[serde(default, skip_serializing)]
    pub message: String,
}

impl Mark {
    pub fn failure(&self) -> Failure {
        Failure {
            api: Some(self.api.clone()),
            merchant: self.merchant.clone(),
            kind: self.kind,
            code: self.code.clone(),
            message: String::new(),
            count: 1,
        }
    }
}

/// How many entries were evicted to keep the state within its bounds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evicted {
    #[serde(default)]
    pub apps: u64,
    #[serde(default)]
    pub marks: u64,
    #[serde(default)]
    pub learned: u64,
}

fn unknown_kind() -> FailureKind {
    FailureKind::Unknown
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct State {
    /// 0 when absent: records saved before versions were written.
    #[serde(default)]
    pub version: u32,
    #[serde(default)]
    pub language: Language,
    #[serde(default)]
    pub current_app: Option<String>,
    #[serde(default)]
    pub apps: Vec<App>,
    #[serde(default)]
    pub marks: Vec<Mark>,
    #[serde(default)]
    pub learned: Vec<Learned>,
    /// What 授权查询工具 showed for the last token queried, until cleared.
    #[serde(default)]
    pub token_reading: Option<TokenReading>,
    /// Schema-1 records kept the token's scopes for every app; read and dropped (unscoped).
    #[serde(default, skip_serializing)]
    pub token_scopes: Option<Vec<String>>,
    /// The users 授权管理 listed when last read (ids and whether authorized).
    #[serde(default)]
    pub users: Option<Vec<User>>,
    /// Entries evicted, oldest first, to stay within the bounds (the options page reports them).
    #[serde(default)]
    pub evicted: Evicted,
    /// The page visit (an opaque id from the content script) whose app page made the current
    /// app current: re-reading that same visit must not undo an app switch made in the popup.
    #[serde(default)]
    pub app_visit: Option<String>,
}

impl Default for State {
    fn default() -> State {
        State {
            version: SCHEMA_VERSION,
            language: Language::Zh,
            current_app: None,
            apps: vec![],
            marks: vec![],
            learned: vec![],
            token_reading: None,
            token_scopes: None,
            users: None,
            evicted: Evicted::default(),
            app_visit: None,
        }
    }
}

/// The exported file: a format marker and the settings, nested (`{format, settings}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Export {
    pub format: String,
    pub settings: State,
}

impl State {
    pub fn current(&self) -> Option<&App> {
        let key = self.current_app.as_deref()?;
        self.apps.iter().find(|a| a.app_key == key)
    }

    pub fn app(&self, app_key: &str) -> Option<&App> {
        self.apps.iter().find(|a| a.app_key == app_key)
    }

    /// What the extension knows, as the evidence every finding is decided from.
    pub fn evidence(&self) -> crate::evidence::Evidence {
        crate::evidence::Evidence {
            apps: self.apps.clone(),
            current_app: self.current_app.clone(),
            learned: self.learned.clone(),
            failures: self.marks.iter().map(Mark::failure).collect(),
            token: self.token_reading.clone(),
            users: self.users.clone(),
            ..Default::default()
        }
    }

    /// Takes in what a page said: an app page makes its app current; an API page teaches its
    /// packages; a token page records the token's scopes. Returns whether anything changed.
    /// An app that breaks the rules of [`validate_app`] is not kept (see [`State::refusal`]).
    pub fn learn(&mut self, reading: &Reading) -> bool {
        let before = self.clone();
        match reading {
            Reading::AppDetail(page) => {
                // An app whose appKey could not be read whole is shown, not kept.
                if let Some(app) = page.app().filter(|app| validate_app(app).is_ok()) {
                    self.current_app = Some(app.app_key.clone());
                    match self.apps.iter_mut().find(|a| a.app_key == app.app_key) {
                        Some(known) => *known = app,
                        None => self.apps.push(app),
                    }
                }
            }
            Reading::ApiDetail(page) if !page.scopes.is_empty() => {
                let learned = Learned { api: page.api.clone(), scopes: page.scopes.clone() };
                match self.learned.iter_mut().find(|l| l.api == page.api) {
                    Some(known) => *known = learned,
                    None => self.learned.push(learned),
                }
            }
            // Only a query's result counts: an empty tool page (暂无数据) changes nothing known.
            Reading::TokenInfo(page) if !page.scopes.is_empty() => {
                // The app the result names, else the app current when it was read.
                let app_key = page.app_key.clone().or_else(|| self.current_app.clone());
                self.token_reading = Some(TokenReading { app_key, scopes: page.scopes.clone() });
            }
            Reading::AuthUsers(page) if !page.users.is_empty() => {
                self.users = Some(page.users.iter().map(|u| User { anchor: None, ..u.clone() }).collect());
            }
            _ => {}
        }
        self.keep_within_bounds();
        *self != before
    }

    /// Why a page's app cannot be kept (shown on that page), if it cannot.
    pub fn refusal(reading: &Reading) -> Option<StoreError> {
        let Reading::AppDetail(page) = reading else { return None };
        match page.app() {
            Some(app) => validate_app(&app).err(),
            None => Some(invalid(
                "appKey",
                "not shown whole on the page (ks + digits, nothing hidden or look-alike)",
                "页面上没有完整的 appKey（应为 ks 加数字，不含隐藏或形近字符）",
            )),
        }
    }

    /// Evicts the oldest apps, marks and learned APIs beyond the bounds, counting them.
    pub fn keep_within_bounds(&mut self) {
        fn evict<T>(list: &mut Vec<T>, max: usize, count: &mut u64) {
            if list.len() > max {
                let extra = list.len() - max;
                list.drain(..extra);
                *count += extra as u64;
            }
        }
        evict(&mut self.apps, MAX_APPS, &mut self.evicted.apps);
        evict(&mut self.marks, MAX_MARKS, &mut self.evicted.marks);
        evict(&mut self.learned, MAX_LEARNED, &mut self.evicted.learned);
        if self.current_app.as_deref().is_some_and(|key| self.app(key).is_none()) {
            self.current_app = self.apps.last().map(|a| a.app_key.clone());
        }
    }

    /// `learn` for a page read during one visit of it (`visit` changes when the address does).
    /// An app page makes its app current on the visit's first reading only; later readings of
    /// the same visit (the page re-rendering) update the app but keep the user's choice.
    pub fn learn_on_visit(&mut self, reading: &Reading, visit: &str) -> bool {
        let Reading::AppDetail(page) = reading else { return self.learn(reading) };
        let before = self.clone();
        let same_visit = self.app_visit.as_deref() == Some(visit) && page.app_key.as_deref().is_some_and(|key| self.app(key).is_some());
        self.learn(reading);
        if same_visit {
            self.current_app = before.current_app.clone();
        } else {
            self.app_visit = Some(visit.to_string());
        }
        *self != before
    }

    /// Marks (or unmarks) an API as failing.
    pub fn set_mark(&mut self, api: &str, failing: bool) {
        self.marks.retain(|m| m.api != api);
        if failing {
            self.marks.push(Mark { api: api.to_string(), merchant: None, kind: FailureKind::Unknown, code: None, message: String::new() });
        }
    }

    /// Records the failing APIs a pasted error names (per API and merchant), as parsed facts.
    pub fn add_failures(&mut self, failures: &[Failure]) {
        for failure in failures {
            let Some(api) = &failure.api else { continue };
            let mark = Mark {
                api: api.clone(),
                merchant: failure.merchant.clone(),
                kind: failure.kind,
                code: failure.code.clone(),
                message: String::new(),
            };
            match self.marks.iter_mut().find(|m| &m.api == api && m.merchant == mark.merchant) {
                Some(known) => *known = mark,
                None => self.marks.push(mark),
            }
        }
        self.keep_within_bounds();
    }

    pub fn select_app(&mut self, app_key: &str) -> Result<(), StoreError> {
        if self.app(app_key).is_none() {
            return Err(invalid("app", format!("no known app has appKey {app_key}"), format!("没有 appKey 为 {app_key} 的应用")));
        }
        self.current_app = Some(app_key.to_string());
        Ok(())
    }

    pub fn forget_app(&mut self, app_key: &str) {
        self.apps.retain(|a| a.app_key != app_key);
        if self.current_app.as_deref() == Some(app_key) {
            self.current_app = self.apps.last().map(|a| a.app_key.clone());
        }
    }

    pub fn forget_learned(&mut self, api: &str) {
        self.learned.retain(|l| l.api != api);
    }

    pub fn export(&self) -> Export {
        Export { format: EXPORT_FORMAT.into(), settings: self.clone() }
    }
}

/// Brings a stored record up to [`SCHEMA_VERSION`]. Version 1 is the first schema, so today
/// this only refuses records from the future and checks the content; later schema changes add
/// a step here (`1 => …`) rather than a second code path.
pub fn migrate(mut state: State) -> Result<State, StoreError> {
    if state.version > SCHEMA_VERSION {
        return Err(StoreError::NewerVersion(state.version));
    }
    if state.version == 0 {
        // A record saved before versions were written has the same fields.
        state.version = 1;
    }
    // Schema 1 kept a token's scopes for every app and pasted messages; neither is kept now.
    state.token_scopes = None;
    for mark in &mut state.marks {
        mark.message.clear();
    }
    validate(&state)?;
    Ok(state)
}

/// Migrates a stored record, dropping each entry that breaks the rules (one bad app never
/// blocks the others) and saying which; only a record from a newer version is refused whole.
pub fn repair(mut state: State) -> Result<(State, Vec<String>), StoreError> {
    if state.version > SCHEMA_VERSION {
        return Err(StoreError::NewerVersion(state.version));
    }
    let mut dropped = Vec::new();
    state.apps.retain(|app| match validate_app(app) {
        Ok(()) => true,
        Err(e) => {
            dropped.push(e.to_string());
            false
        }
    });
    let before = state.marks.len() + state.learned.len();
    state.marks.retain(|m| {
        is_api_name(&m.api) && m.merchant.as_deref().is_none_or(|id| id.len() <= MAX_MERCHANT_ID && !crate::secrets::holds_secret(id))
    });
    state.learned.retain(|l| is_api_name(&l.api) && l.scopes.iter().all(|s| is_package_id(s)));
    let removed = before - state.marks.len() - state.learned.len();
    if removed > 0 {
        dropped.push(format!("{removed} mark(s) or learned API(s) that are not API names or package ids"));
    }
    if state.token_reading.as_ref().is_some_and(|t| !t.scopes.iter().all(|s| is_package_id(s))) {
        state.token_reading = None;
        dropped.push("a token reading with something other than package ids".into());
    }
    if state.current_app.as_deref().is_some_and(|key| state.app(key).is_none()) {
        state.current_app = state.apps.last().map(|a| a.app_key.clone());
    }
    state.keep_within_bounds();
    Ok((migrate(state)?, dropped))
}

/// Checks an imported settings file completely before anything is replaced.
pub fn import(file: Export) -> Result<State, StoreError> {
    if file.format != EXPORT_FORMAT {
        return Err(StoreError::NotSettings);
    }
    migrate(file.settings)
}

/// Keys that would carry a secret into the settings: an imported file with one is refused, so
/// the extension never stores a token or an app secret, even one pasted into a settings file.
pub fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase().replace(&['_', '-'][..], "");
    // `token_reading` holds a token's packages, never the token.
    (key.contains("secret") || key.contains("token") || key.contains("password")) && key != "tokenscopes" && key != "tokenreading"
}

/// Refuses a settings file holding a secret-looking value anywhere (`app_name: "appSecret=…"`,
/// a callback with `?access_token=…`).
pub fn refuse_secret_values<'v>(values: impl IntoIterator<Item = &'v str>) -> Result<(), StoreError> {
    match values.into_iter().find(|v| crate::secrets::holds_secret(v)) {
        Some(value) => Err(invalid(
            "value",
            format!("{:?} carries a token or secret; settings never hold them", crate::secrets::scrub(crate::text::clip(value, 60))),
            format!("{:?} 含有 token 或密钥；设置中从不保存它们", crate::secrets::scrub(crate::text::clip(value, 60))),
        )),
        None => Ok(()),
    }
}

/// Refuses a settings file holding a secret-looking key anywhere.
pub fn refuse_secret_keys<'k>(keys: impl IntoIterator<Item = &'k str>) -> Result<(), StoreError> {
    match keys.into_iter().find(|k| is_secret_key(k)) {
        Some(key) => {
            Err(invalid(key, "settings never hold tokens or secrets; remove this field", "设置中从不保存 token 或密钥；请删除这个字段"))
        }
        None => Ok(()),
    }
}

/// A value that breaks the rules, with the reason in English and in Chinese (the options page
/// shows the one of the UI language, wholly).
fn invalid(field: &str, reason: impl Into<String>, zh: impl Into<String>) -> StoreError {
    StoreError::Invalid { field: field.into(), reason: reason.into(), zh: zh.into() }
}

fn is_api_name(api: &str) -> bool {
    crate::text::method_names(api).first().is_some_and(|m| m == api)
}

/// The rules every app passes before it is kept: read from a page, imported or migrated.
pub fn validate_app(app: &App) -> Result<(), StoreError> {
    if !crate::values::is_app_key(&app.app_key) {
        return Err(invalid(
            "apps.app_key",
            format!("{:?} is not an appKey (ks + digits)", crate::text::clip(&app.app_key, 40)),
            format!("{:?} 不是 appKey（应为 ks 加数字）", crate::text::clip(&app.app_key, 40)),
        ));
    }
    if let Some(callback) = &app.callback {
        if !crate::values::is_callback(callback) || callback.chars().count() > MAX_TEXT_CHARS {
            return Err(invalid(
                "apps.callback",
                format!("{:?} is not a whole http(s) address", crate::text::clip(callback, 80)),
                format!("{:?} 不是完整的 http(s) 地址", crate::text::clip(callback, 80)),
            ));
        }
        if crate::secrets::holds_secret(callback) {
            return Err(invalid(
                "apps.callback",
                "the address carries a token or secret; it is never kept",
                "地址中含有 token 或密钥，不会保存",
            ));
        }
    }
    if let Some(name) = &app.app_name {
        if name.chars().count() > MAX_TEXT_CHARS || crate::secrets::holds_secret(name) {
            return Err(invalid("apps.app_name", "too long, or carries a token or secret", "太长，或含有 token 或密钥"));
        }
    }
    if app.packages.len() > MAX_PACKAGES {
        return Err(invalid(
            "apps.packages",
            format!("{} packages; an app lists at most {MAX_PACKAGES}", app.packages.len()),
            format!("{} 个权限包；一个应用最多 {MAX_PACKAGES} 个", app.packages.len()),
        ));
    }
    // A shown name is short page text naming the package (shown_name checks it names it).
    if let Some(p) =
        app.packages.iter().find(|p| p.name.as_ref().is_some_and(|n| n.chars().count() > 80 || crate::secrets::holds_secret(n)))
    {
        return Err(invalid(
            "apps.packages.name",
            format!("the name shown for {} is too long or carries a token or secret", crate::text::clip(&p.scope, 40)),
            format!("{} 的显示名称太长，或含有 token 或密钥", crate::text::clip(&p.scope, 40)),
        ));
    }
    if let Some(p) = app.packages.iter().find(|p| !is_package_id(&p.scope)) {
        return Err(invalid(
            "apps.packages.scope",
            format!("{:?} is not a package id", crate::text::clip(&p.scope, 40)),
            format!("{:?} 不是权限包 id", crate::text::clip(&p.scope, 40)),
        ));
    }
    Ok(())
}

fn validate(state: &State) -> Result<(), StoreError> {
    for app in &state.apps {
        validate_app(app)?;
    }
    if state.apps.len() > MAX_APPS || state.marks.len() > MAX_MARKS || state.learned.len() > MAX_LEARNED {
        return Err(invalid(
            "settings",
            format!("more than {MAX_APPS} apps, {MAX_MARKS} marks or {MAX_LEARNED} learned APIs"),
            format!("超过 {MAX_APPS} 个应用、{MAX_MARKS} 个标记或 {MAX_LEARNED} 个已学习的 API"),
        ));
    }
    if let Some(m) =
        state.marks.iter().find(|m| m.merchant.as_deref().is_some_and(|id| id.len() > MAX_MERCHANT_ID || crate::secrets::holds_secret(id)))
    {
        return Err(invalid(
            "marks.merchant",
            format!("{:?} is not a merchant id", crate::text::clip(m.merchant.as_deref().unwrap_or(""), 40)),
            format!("{:?} 不是商家 id", crate::text::clip(m.merchant.as_deref().unwrap_or(""), 40)),
        ));
    }
    if let Some(key) = &state.current_app {
        if state.app(key).is_none() {
            return Err(invalid("current_app", format!("{key:?} is not among the apps"), format!("{key:?} 不在应用列表中")));
        }
    }
    if let Some(m) = state.marks.iter().find(|m| !is_api_name(&m.api)) {
        return Err(invalid(
            "marks.api",
            format!("{:?} is not an API name like open.item.get", crate::text::clip(&m.api, 60)),
            format!("{:?} 不是 API 名称（例如 open.item.get）", crate::text::clip(&m.api, 60)),
        ));
    }
    for learned in &state.learned {
        if !is_api_name(&learned.api) {
            return Err(invalid(
                "learned.api",
                format!("{:?} is not an API name", crate::text::clip(&learned.api, 60)),
                format!("{:?} 不是 API 名称", crate::text::clip(&learned.api, 60)),
            ));
        }
        if let Some(s) = learned.scopes.iter().find(|s| !is_package_id(s)) {
            return Err(invalid(
                "learned.scopes",
                format!("{:?} is not a package id", crate::text::clip(s, 40)),
                format!("{:?} 不是权限包 id", crate::text::clip(s, 40)),
            ));
        }
    }
    if let Some(s) = state.token_reading.iter().flat_map(|t| &t.scopes).find(|s| !is_package_id(s)) {
        return Err(invalid(
            "token_reading",
            format!("{:?} is not a package id", crate::text::clip(s, 40)),
            format!("{:?} 不是权限包 id", crate::text::clip(s, 40)),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AppType, Package, Status};
    use crate::read::AppPage;

    fn app_page(key: &str) -> AppPage {
        AppPage {
            app_key: Some(key.into()),
            app_name: Some("店铺助手".into()),
            callback: Some("https://example.com/cb".into()),
            app_type: Some(AppType::Merchant),
            packages: vec![Package { scope: "merchant_item".into(), status: Status::Owned, anchor: Some(7), name: None }],
            anchor: None,
        }
    }

    #[test]
    fn app_pages_become_current_and_lose_anchors() {
        let mut state = State::default();
        assert!(state.learn(&Reading::AppDetail(app_page("ks1"))));
        assert!(state.learn(&Reading::AppDetail(app_page("ks2"))));
        assert_eq!(state.current().map(|a| a.app_key.as_str()), Some("ks2"));
        assert_eq!(state.apps[0].packages[0].anchor, None);
        assert!(!state.learn(&Reading::AppDetail(app_page("ks2"))));
        state.forget_app("ks2");
        assert_eq!(state.current_app.as_deref(), Some("ks1"));
    }

    #[test]
    fn a_token_reading_counts_for_the_app_its_result_names() {
        use crate::read::TokenPage;
        let token = |app_key: Option<&str>| {
            Reading::TokenInfo(TokenPage { scopes: vec!["merchant_item".into()], anchor: None, app_key: app_key.map(str::to_string) })
        };
        let mut state = State::default();
        state.learn(&Reading::AppDetail(app_page("ks1")));
        state.learn(&token(Some("ks2")));
        assert_eq!(state.token_reading.as_ref().and_then(|t| t.app_key.as_deref()), Some("ks2"), "the app the result names");
        state.learn(&token(None));
        assert_eq!(state.token_reading.as_ref().and_then(|t| t.app_key.as_deref()), Some("ks1"), "else the current app");
    }

    #[test]
    fn secret_keys_are_recognised() {
        for key in ["app_secret", "appSecret", "signSecret", "access_token", "refreshToken", "password"] {
            assert!(is_secret_key(key), "{key}");
        }
        for key in ["token_scopes", "token_reading", "app_key", "callback", "scope"] {
            assert!(!is_secret_key(key), "{key}");
        }
        assert!(refuse_secret_keys(["apps", "app_secret"]).is_err());
    }

    #[test]
    fn a_re_read_of_the_same_visit_keeps_the_users_app_choice() {
        let mut state = State::default();
        assert!(state.learn_on_visit(&Reading::AppDetail(app_page("ks1")), "v1"));
        state.learn_on_visit(&Reading::AppDetail(app_page("ks2")), "v2");
        state.select_app("ks1").unwrap();
        // ks2's page re-renders in its open tab: same visit, the choice stands.
        state.learn_on_visit(&Reading::AppDetail(app_page("ks2")), "v2");
        assert_eq!(state.current_app.as_deref(), Some("ks1"));
        // Opening ks2's page again is a new visit: it is read last, so it is current.
        state.learn_on_visit(&Reading::AppDetail(app_page("ks2")), "v3");
        assert_eq!(state.current_app.as_deref(), Some("ks2"));
    }

    #[test]
    fn import_refuses_bad_files_and_keeps_good_ones() {
        let mut good = State::default();
        good.learn(&Reading::AppDetail(app_page("ks1")));
        good.set_mark("open.item.get", true);
        assert_eq!(import(good.export()), Ok(good.clone()));

        let mut not_ours = good.export();
        not_ours.format = "something-else".into();
        assert_eq!(import(not_ours), Err(StoreError::NotSettings));

        let mut future = good.export();
        future.settings.version = 9;
        assert_eq!(import(future), Err(StoreError::NewerVersion(9)));

        let mut bad_mark = good.export();
        bad_mark.settings.marks[0].api = "<img src=x>".into();
        assert!(matches!(import(bad_mark), Err(StoreError::Invalid { .. })));

        let mut bad_current = good.export();
        bad_current.settings.current_app = Some("ks404".into());
        assert!(matches!(import(bad_current), Err(StoreError::Invalid { .. })));
    }

    #[test]
    fn every_earlier_schema_migrates_without_losing_apps_marks_or_learned_packages() {
        for (file, language) in [("v0.json", Language::Zh), ("v1.json", Language::En)] {
            let path = format!("{}/tests/fixtures/state/{file}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
            let old: State = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
            let (apps, marks, learned) = (old.apps.clone(), old.marks.len(), old.learned.clone());
            let state = migrate(old).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(state.version, SCHEMA_VERSION, "{file}");
            assert_eq!(
                (state.apps.clone(), state.marks.len(), state.learned.clone(), state.language),
                (apps, marks, learned, language),
                "{file}"
            );
            // What schema 1 kept and no longer is: the pasted text and an unscoped token reading.
            let written = serde_json::to_string(&state).unwrap_or_default();
            assert!(!written.contains("SECRET") && !written.contains("token_scopes"), "{file}: {written}");
        }
    }

    #[test]
    fn a_page_value_that_cannot_be_kept_is_refused_and_blocks_nothing() {
        let mut state = State::default();
        state.learn(&Reading::AppDetail(app_page("ks1")));
        for bad in ["https://a.com/cb?access_token=abc", "https:evil.example/cb"] {
            let mut page = app_page("ks2");
            page.callback = Some(bad.into());
            let reading = Reading::AppDetail(page);
            assert!(!state.learn(&reading), "{bad}");
            assert!(State::refusal(&reading).is_some() || bad.starts_with("https:e"), "{bad}");
        }
        let mut long_key = app_page("ks1");
        long_key.app_key = Some(format!("ks{}", "1".repeat(70)));
        assert!(!state.learn(&Reading::AppDetail(long_key)));
        assert_eq!(state.apps.len(), 1);
        assert!(migrate(state.clone()).is_ok(), "what is kept always passes the store's own rules");
    }

    #[test]
    fn the_state_stays_within_its_bounds_oldest_first() {
        let mut state = State::default();
        for i in 0..(MAX_APPS + 3) {
            state.learn(&Reading::AppDetail(app_page(&format!("ks{}", 1000 + i))));
        }
        assert_eq!(state.apps.len(), MAX_APPS);
        assert_eq!(state.apps[0].app_key, "ks1003");
        assert_eq!(state.evicted.apps, 3);
        let failures: Vec<Failure> = (0..MAX_MARKS + 5)
            .map(|i| Failure {
                api: Some(format!("open.api{i}.get")),
                merchant: None,
                kind: FailureKind::MissingScope,
                code: None,
                message: String::new(),
                count: 1,
            })
            .collect();
        state.add_failures(&failures);
        assert_eq!((state.marks.len(), state.evicted.marks, state.marks[0].api.as_str()), (MAX_MARKS, 5, "open.api5.get"));
        assert!(migrate(state).is_ok());
    }

    #[test]
    fn import_refuses_secret_looking_values() {
        let mut good = State::default();
        good.learn(&Reading::AppDetail(app_page("ks1")));
        let mut named = good.export();
        named.settings.apps[0].app_name = Some("appSecret=abc".into());
        assert!(matches!(import(named), Err(StoreError::Invalid { .. })));
        let mut callback = good.export();
        callback.settings.apps[0].callback = Some("https://a.com/cb?access_token=x".into());
        assert!(matches!(import(callback), Err(StoreError::Invalid { .. })));
        assert!(refuse_secret_values(["ok", "refresh_token: y"]).is_err());
    }

    #[test]
    fn one_bad_app_in_a_stored_record_is_dropped_and_the_rest_kept() {
        let mut state = State::default();
        state.learn(&Reading::AppDetail(app_page("ks1")));
        state.learn(&Reading::AppDetail(app_page("ks2")));
        state.set_mark("open.item.get", true);
        state.apps[0].app_key = format!("ks{}", "1".repeat(70));
        state.apps[1].callback = Some("https:evil.example/cb".into());
        state.learn(&Reading::AppDetail(app_page("ks3")));
        let (repaired, dropped) = repair(state).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(repaired.apps.iter().map(|a| a.app_key.as_str()).collect::<Vec<_>>(), ["ks3"]);
        assert_eq!(repaired.marks.len(), 1);
        assert_eq!(dropped.len(), 2, "{dropped:?}");
    }
}
