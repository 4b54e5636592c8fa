//! The WebAssembly surface: thin wrappers that move plain JS objects in and out and call the
//! pure core. Errors become JS `Error`s with a clear message. The service worker, popup,
//! options page and www playground call these; nothing here touches the DOM or storage.
//!
//! Values cross as JSON text: `JSON.stringify` on the way in, `JSON.parse` on the way out, and
//! [`view::json`] in Rust (the same JSON serde writes; serde's derives with serde-wasm-bindgen
//! were a quarter of the wasm). JavaScript sees the same plain objects as before.

use crate::diagnose::Explanation;
use crate::evidence::{self, Evidence, Report};
use crate::failure;
use crate::link_check;
use crate::model::{App, Learned, TokenReading};
use crate::read;
use crate::snapshot::Snapshot;
use crate::store::{self, Export, Language, State};
use crate::view::json::{self, Fields, FromJson, Json, Members, ToJson};
use crate::{link, view};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// A JS value as JSON. What JSON cannot hold reads as absent, as serde-wasm-bindgen read it:
/// `undefined` members are left out, and `undefined` itself reads as `null`.
fn json_of(value: &JsValue) -> Result<Json, String> {
    text_of(value)?.map_or(Ok(Json::Null), |text| json::parse(&text))
}

/// `JSON.stringify(value)`; `None` for `undefined` (and functions), which JSON cannot hold.
fn text_of(value: &JsValue) -> Result<Option<String>, String> {
    Ok(js_sys::JSON::stringify(value).map_err(message_of)?.as_string())
}

/// A page snapshot, read straight from its text when it has the usual shape (see
/// `json::snapshot_from_str`): the hot path, with pages of up to 60,000 nodes.
fn snapshot_from_js(value: &JsValue) -> Result<Snapshot, JsError> {
    let read = match text_of(value) {
        Ok(Some(text)) => json::snapshot_from_str(&text),
        Ok(None) => Snapshot::from_json(Json::Null),
        Err(e) => Err(e),
    };
    read.map_err(|e| JsError::new(&format!("snapshot: {e}")))
}

/// A JS value read as `T`; errors are prefixed with `what` (`state: missing field …`).
fn read_js<T: FromJson>(value: &JsValue, what: &str) -> Result<T, String> {
    json_of(value).and_then(T::from_json).map_err(|e| format!("{what}: {e}"))
}

fn from_js<T: FromJson>(value: JsValue, what: &str) -> Result<T, JsError> {
    read_js(&value, what).map_err(|e| JsError::new(&e))
}

/// The text of a JS error, without its "Error: " prefix.
fn message_of(error: JsValue) -> String {
    String::from(js_sys::Error::from(error).message())
}

/// A plain JS object (or array, string, …) of the value's JSON.
fn to_js(value: &dyn ToJson) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(&json::to_string(value)).map_err(|e| JsError::new(&message_of(e)))
}

fn state_from_js(value: JsValue) -> Result<State, JsError> {
    from_js::<State>(value, "state").and_then(|s| store::migrate(s).map_err(|e| JsError::new(&e.to_string())))
}

/// Turns whatever `chrome.storage.local` held into a current state: `undefined` gives a fresh
/// one; an unreadable record gives a fresh one plus the reason (the caller keeps a backup).
/// Returns `{state, problem}`; `problem` is null when the record was used whole.
#[wasm_bindgen(js_name = loadState)]
pub fn load_state(raw: JsValue) -> Result<JsValue, JsError> {
    let loaded = |state: &State, problem: Option<String>| to_js(&Fields(&[("state", state), ("problem", &problem)]));
    if raw.is_undefined() || raw.is_null() {
        return loaded(&State::default(), None);
    }
    let repaired = read_js::<State>(&raw, "state").and_then(|s| store::repair(s).map_err(|e| e.to_string()));
    match repaired {
        Ok((state, dropped)) if dropped.is_empty() => loaded(&state, None),
        // The usable rest is kept; the caller backs up the raw record with this reason.
        Ok((state, dropped)) => loaded(&state, Some(format!("dropped: {}", crate::text::joined(&dropped, "; ")))),
        Err(e) => loaded(&State::default(), Some(e)),
    }
}

/// The content script's page, read and decided: `{state, changed, page, reading, badges}` — the
/// updated state (save it when `changed`) and the badges to draw. `visit` is an opaque id the
/// content script renews when the page's address changes; without one, every reading counts as
/// a new visit.
#[wasm_bindgen(js_name = observePage)]
pub fn observe_page(state: JsValue, snapshot: JsValue, visit: Option<String>) -> Result<JsValue, JsError> {
    let mut state = state_from_js(state)?;
    let snapshot = snapshot_from_js(&snapshot)?;
    let reading = read::read(&snapshot);
    let changed = match visit.as_deref() {
        Some(visit) => state.learn_on_visit(&reading, visit),
        None => state.learn(&reading),
    };
    let mut badges = view::badges(&reading, &state);
    badges.extend(State::refusal(&reading).map(|reason| view::refusal_badge(&reading, &reason)));
    if snapshot.cut {
        badges.push(view::cut_note());
    }
    to_js(&Fields(&[("state", &state), ("changed", &changed), ("page", &reading.kind()), ("reading", &reading), ("badges", &badges)]))
}

/// A page reading with anchors, for tests and the playground.
#[wasm_bindgen(js_name = readSnapshot)]
pub fn read_snapshot(snapshot: JsValue) -> Result<JsValue, JsError> {
    to_js(&read::read(&snapshot_from_js(&snapshot)?))
}

#[wasm_bindgen(js_name = setMark)]
pub fn set_mark(state: JsValue, api: &str, failing: bool) -> Result<JsValue, JsError> {
    let mut state = state_from_js(state)?;
    let api = crate::text::method_names(api)
        .into_iter()
        .next()
        .ok_or_else(|| JsError::new(&format!("{api:?} is not an API name like open.item.get")))?;
    state.set_mark(&api, failing);
    to_js(&state)
}

/// The popup's paste box: the text is diagnosed against what the store knows, every API it
/// names becomes a failing mark (parsed facts only), and every authorization link in it is checked.
/// Returns `{state, findings, truncated, failures, links}`: the findings for this text (with the
/// stored app and pages as context), the failing calls found in it (including errors that name
/// no API), and each authorization link in it checked like `scope-doctor check-link`.
#[wasm_bindgen(js_name = pasteFailure)]
pub fn paste_failure(state: JsValue, text: &str) -> Result<JsValue, JsError> {
    let mut state = state_from_js(state)?;
    let mut evidence = state.evidence();
    evidence.failures.clear();
    evidence.failure_text = Some(text.to_string());
    let parsed = failure::parse_all(text);
    let failures = parsed.failures.clone();
    let Report { findings, truncated, .. } = evidence::findings_parsed(&evidence, parsed);
    state.add_failures(&failures);
    let links: Vec<_> = link_check::links_in(text).iter().map(|link| link_check::check_link(link, &state.apps)).collect();
    to_js(&Fields(&[("state", &state), ("findings", &findings), ("truncated", &truncated), ("failures", &failures), ("links", &links)]))
}

#[wasm_bindgen]
pub fn findings(state: JsValue) -> Result<JsValue, JsError> {
    to_js(&view::findings(&state_from_js(state)?))
}

/// The one evidence → findings path, as the CLI runs it (the parity test calls both).
#[wasm_bindgen(js_name = diagnoseEvidence)]
pub fn diagnose_evidence(evidence: JsValue) -> Result<JsValue, JsError> {
    to_js(&evidence::findings(&from_js::<Evidence>(evidence, "evidence")?))
}

/// The link doctor on one link against the stored apps.
#[wasm_bindgen(js_name = checkLink)]
pub fn check_link(state: JsValue, link: &str) -> Result<JsValue, JsError> {
    to_js(&link_check::check_link(link, &state_from_js(state)?.apps))
}

/// Forgets the token reading (the popup's "clear" button).
#[wasm_bindgen(js_name = clearToken)]
pub fn clear_token(state: JsValue) -> Result<JsValue, JsError> {
    let mut state = state_from_js(state)?;
    state.token_reading = None;
    to_js(&state)
}

#[wasm_bindgen(js_name = selectApp)]
pub fn select_app(state: JsValue, app_key: &str) -> Result<JsValue, JsError> {
    let mut state = state_from_js(state)?;
    state.select_app(app_key).map_err(|e| JsError::new(&e.to_string()))?;
    to_js(&state)
}

#[wasm_bindgen(js_name = forgetApp)]
pub fn forget_app(state: JsValue, app_key: &str) -> Result<JsValue, JsError> {
    let mut state = state_from_js(state)?;
    state.forget_app(app_key);
    to_js(&state)
}

#[wasm_bindgen(js_name = forgetLearned)]
pub fn forget_learned(state: JsValue, api: &str) -> Result<JsValue, JsError> {
    let mut state = state_from_js(state)?;
    state.forget_learned(api);
    to_js(&state)
}

#[wasm_bindgen(js_name = clearMarks)]
pub fn clear_marks(state: JsValue) -> Result<JsValue, JsError> {
    let mut state = state_from_js(state)?;
    state.marks.clear();
    to_js(&state)
}

#[wasm_bindgen(js_name = setLanguage)]
pub fn set_language(state: JsValue, language: &str) -> Result<JsValue, JsError> {
    let mut state = state_from_js(state)?;
    state.language = match language {
        "zh" => Language::Zh,
        "en" => Language::En,
        other => return Err(JsError::new(&format!("unknown language {other:?} (zh or en)"))),
    };
    to_js(&state)
}

/// The settings file's content (the caller turns it into JSON text).
#[wasm_bindgen(js_name = exportSettings)]
pub fn export_settings(state: JsValue) -> Result<JsValue, JsError> {
    to_js(&state_from_js(state)?.export())
}

/// Checks a parsed settings file completely: `{state, refused: null}` when good,
/// `{state: null, refused: {zh, en}}` (why, wholly in each language) when not — nothing changes
/// then. The file's language is not applied: the UI keeps the user's.
#[wasm_bindgen(js_name = importSettings)]
pub fn import_settings(file: JsValue) -> Result<JsValue, JsError> {
    let (state, refused) = match checked_import(&file) {
        Ok(state) => (Some(state), None),
        Err(e) => (None, Some(Explanation { zh: e.zh(), en: e.to_string() })),
    };
    to_js(&Fields(&[("state", &state), ("refused", &refused)]))
}

fn checked_import(file: &JsValue) -> Result<State, store::StoreError> {
    let file = json_of(file).map_err(store::StoreError::Shape)?;
    // Reading takes only known fields, so secret-looking keys are looked for everywhere here.
    let (mut keys, mut strings) = (Vec::new(), Vec::new());
    json::keys_and_strings(&file, 0, &mut keys, &mut strings);
    store::refuse_secret_keys(keys.iter().map(String::as_str))?;
    store::refuse_secret_values(strings.iter().map(String::as_str))?;
    store::import(Export::from_json(file).map_err(store::StoreError::Shape)?)
}

/// The Chinese display names of package ids (`merchant_item` → `商品信息`), for pages that list ids.
/// (An array in, an array out, through JSON like the rest: wasm-bindgen's own `Vec<String>`
/// passing cost 1.8 KB more.)
#[wasm_bindgen(js_name = packageNames)]
pub fn package_names(ids: JsValue) -> Result<JsValue, JsError> {
    let names: Vec<String> = from_js::<Vec<String>>(ids, "ids")?.iter().map(|id| crate::catalog::chinese_name(id)).collect();
    to_js(&names)
}

#[wasm_bindgen(js_name = authLinks)]
pub fn auth_links(app: JsValue) -> Result<JsValue, JsError> {
    let app = from_js::<App>(app, "app")?;
    to_js(&link::for_app(&app).map_err(|e| JsError::new(&e.to_string()))?)
}

/// The playground's input: pasted text and what is known of the app (every field optional).
struct PlaygroundInput {
    failure_text: String,
    apis: Vec<String>,
    app: Option<App>,
    /// The app's package list as pasted text (`商品信息 已获取`, one per line), read like an app page.
    packages_text: Option<String>,
    learned: Vec<Learned>,
    token_scopes: Option<Vec<String>>,
}

impl FromJson for PlaygroundInput {
    fn from_json(value: Json) -> Result<PlaygroundInput, json::Error> {
        let mut m = Members::of(value, "struct PlaygroundInput")?;
        let read = PlaygroundInput {
            failure_text: m.take("failure_text").unwrap_or_default(),
            apis: m.take("apis").unwrap_or_default(),
            app: m.take_nullable::<App>("app"),
            packages_text: m.take_nullable::<String>("packages_text"),
            learned: m.take("learned").unwrap_or_default(),
            token_scopes: m.take_nullable::<Vec<String>>("token_scopes"),
        };
        m.done()?;
        Ok(read)
    }
}

/// Diagnoses pasted text against a described app, without any stored state (www playground),
/// through the same evidence path as the CLI and the extension: `{findings, truncated, failures,
/// packages}`, the packages being those read from `packages_text`.
#[wasm_bindgen]
pub fn diagnose(input: JsValue) -> Result<JsValue, JsError> {
    let input = from_js::<PlaygroundInput>(input, "input")?;
    let mut app = input.app;
    let packages = input.packages_text.as_deref().map(read::app_detail::packages_from_text).unwrap_or_default();
    if let Some(app) = app.as_mut().filter(|_| !packages.is_empty()) {
        app.packages = packages.clone();
    }
    let evidence = Evidence {
        apps: app.into_iter().collect(),
        learned: input.learned,
        failure_text: Some(input.failure_text.clone()).filter(|t| !t.trim().is_empty()),
        apis: input.apis.iter().flat_map(|a| crate::text::method_names(a)).collect(),
        token: input.token_scopes.map(|scopes| TokenReading { app_key: None, scopes }),
        ..Default::default()
    };
    let parsed = failure::parse_all(&input.failure_text);
    let failures = parsed.failures.clone();
    let Report { findings, truncated, .. } = evidence::findings_parsed(&evidence, parsed);
    to_js(&Fields(&[("findings", &findings), ("truncated", &truncated), ("failures", &failures), ("packages", &packages)]))
}
