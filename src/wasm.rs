//! The WebAssembly surface: thin wrappers that move plain JS objects in and out (via
//! serde-wasm-bindgen) and call the pure core. Errors become JS `Error`s with a clear message.
//! The service worker, popup, options page and www playground call these; nothing here
//! touches the DOM or storage.

use crate::diagnose;
use crate::evidence::{self, Evidence, Report};
use crate::failure;
use crate::link_check::{self, LinkCheck};
use crate::read::{self, Package, Reading};
use crate::snapshot::Snapshot;
use crate::store::{self, App, Export, Language, Learned, State};
use crate::{link, view};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsError> {
    serde_wasm_bindgen::from_value(value).map_err(|e| JsError::new(&format!("{what}: {}", message_of(JsValue::from(e)))))
}

/// The text of a JS error, without its "Error: " prefix.
fn message_of(error: JsValue) -> String {
    String::from(js_sys::Error::from(error).message())
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).map_err(|e| JsError::new(&e.to_string()))
}

fn state_from_js(value: JsValue) -> Result<State, JsError> {
    from_js::<State>(value, "state").and_then(|s| store::migrate(s).map_err(|e| JsError::new(&e.to_string())))
}

#[derive(Serialize)]
struct Loaded {
    state: State,
    /// Why the stored record could not be used, if it could not; the caller keeps the raw record.
    problem: Option<String>,
}

/// Turns whatever `chrome.storage.local` held into a current state: `undefined` gives a fresh
/// one; an unreadable record gives a fresh one plus the reason (the caller keeps a backup).
#[wasm_bindgen(js_name = loadState)]
pub fn load_state(raw: JsValue) -> Result<JsValue, JsError> {
    if raw.is_undefined() || raw.is_null() {
        return to_js(&Loaded { state: State::default(), problem: None });
    }
    let repaired = from_js::<State>(raw, "state").and_then(|s| store::repair(s).map_err(|e| JsError::new(&e.to_string())));
    let loaded = match repaired {
        Ok((state, dropped)) if dropped.is_empty() => Loaded { state, problem: None },
        // The usable rest is kept; the caller backs up the raw record with this reason.
        Ok((state, dropped)) => Loaded { state, problem: Some(format!("dropped: {}", dropped.join("; "))) },
        Err(e) => Loaded { state: State::default(), problem: Some(message_of(JsValue::from(e))) },
    };
    to_js(&loaded)
}

#[derive(Serialize)]
struct Observed<'a> {
    state: &'a State,
    changed: bool,
    page: &'static str,
    reading: &'a Reading,
    badges: Vec<view::Badge>,
}

/// The content script's page, read and decided: the updated state (save it when `changed`)
/// and the badges to draw. `visit` is an opaque id the content script renews when the page's
/// address changes; without one, every reading counts as a new visit.
#[wasm_bindgen(js_name = observePage)]
pub fn observe_page(state: JsValue, snapshot: JsValue, visit: Option<String>) -> Result<JsValue, JsError> {
    let mut state = state_from_js(state)?;
    let snapshot = from_js::<Snapshot>(snapshot, "snapshot")?.sanitized();
    let reading = read::read(&snapshot);
    let changed = match visit.as_deref() {
        Some(visit) => state.learn_on_visit(&reading, visit),
        None => state.learn(&reading),
    };
    let mut badges = view::badges(&reading, &state);
    badges.extend(State::refusal(&reading).map(|reason| view::refusal_badge(&reading, &reason)));
    to_js(&Observed { state: &state, changed, page: reading.kind(), reading: &reading, badges })
}

/// A page reading with anchors, for tests and the playground.
#[wasm_bindgen(js_name = readSnapshot)]
pub fn read_snapshot(snapshot: JsValue) -> Result<JsValue, JsError> {
    let snapshot = from_js::<Snapshot>(snapshot, "snapshot")?.sanitized();
    to_js(&read::read(&snapshot))
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

#[derive(Serialize)]
struct Pasted {
    state: State,
    /// The findings for this text (with the stored app and pages as context).
    findings: Vec<diagnose::Finding>,
    truncated: u64,
    /// Failing calls found in the text, including errors that name no API.
    failures: Vec<failure::Failure>,
    /// Each authorization link in the text, checked like `scope-doctor check-link`.
    links: Vec<LinkCheck>,
}

/// The popup's paste box: the text is diagnosed against what the store knows, every API it
/// names becomes a failing mark (parsed facts only), and every authorization link in it is checked.
#[wasm_bindgen(js_name = pasteFailure)]
pub fn paste_failure(state: JsValue, text: &str) -> Result<JsValue, JsError> {
    let mut state = state_from_js(state)?;
    let mut evidence = state.evidence();
    evidence.failures.clear();
    evidence.failure_text = Some(text.to_string());
    let Report { findings, truncated, .. } = evidence::findings(&evidence);
    let failures = failure::parse(text);
    state.add_failures(&failures);
    let links = link_check::links_in(text).iter().map(|link| link_check::check_link(link, &state.apps)).collect();
    to_js(&Pasted { state, findings, truncated, failures, links })
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

/// Every object key and string value in a JS value, depth-first (bounded: a settings file is shallow).
fn keys_and_strings(value: &JsValue, depth: usize, keys: &mut Vec<String>, strings: &mut Vec<String>) {
    if let Some(text) = value.as_string() {
        strings.push(text);
        return;
    }
    if depth > 8 || !value.is_object() {
        return;
    }
    if let Some(array) = value.dyn_ref::<js_sys::Array>() {
        array.iter().for_each(|item| keys_and_strings(&item, depth + 1, keys, strings));
        return;
    }
    let object = js_sys::Object::from(value.clone());
    for key in js_sys::Object::keys(&object).iter() {
        if let Some(key) = key.as_string() {
            if let Ok(child) = js_sys::Reflect::get(value, &JsValue::from_str(&key)) {
                keys_and_strings(&child, depth + 1, keys, strings);
            }
            keys.push(key);
        }
    }
}

#[derive(Serialize)]
struct Imported {
    state: Option<State>,
    /// Why the file was refused, wholly in each language (the options page shows its own).
    refused: Option<diagnose::Explanation>,
}

/// Checks a parsed settings file completely: `{state}` when good, `{refused: {zh, en}}` when
/// not (nothing changes then). The file's language is not applied: the UI keeps the user's.
#[wasm_bindgen(js_name = importSettings)]
pub fn import_settings(file: JsValue) -> Result<JsValue, JsError> {
    match checked_import(file) {
        Ok(state) => to_js(&Imported { state: Some(state), refused: None }),
        Err(e) => to_js(&Imported { state: None, refused: Some(diagnose::Explanation { zh: e.zh(), en: e.to_string() }) }),
    }
}

fn checked_import(file: JsValue) -> Result<State, store::StoreError> {
    // serde-wasm-bindgen reads only known fields, so secret-looking keys are looked for here.
    let (mut keys, mut strings) = (Vec::new(), Vec::new());
    keys_and_strings(&file, 0, &mut keys, &mut strings);
    store::refuse_secret_keys(keys.iter().map(String::as_str))?;
    store::refuse_secret_values(strings.iter().map(String::as_str))?;
    let file = serde_wasm_bindgen::from_value::<Export>(file).map_err(|e| store::StoreError::Shape(message_of(JsValue::from(e))))?;
    store::import(file)
}

/// The Chinese display names of package ids (`merchant_item` → `商品信息`), for pages that list ids.
#[wasm_bindgen(js_name = packageNames)]
pub fn package_names(ids: Vec<String>) -> Vec<String> {
    ids.iter().map(|id| crate::catalog::chinese_name(id)).collect()
}

#[wasm_bindgen(js_name = authLinks)]
pub fn auth_links(app: JsValue) -> Result<JsValue, JsError> {
    let app = from_js::<App>(app, "app")?;
    to_js(&link::for_app(&app).map_err(|e| JsError::new(&e.to_string()))?)
}

#[derive(Serialize)]
struct Qr {
    size: usize,
    /// Row-major, 1 = dark module.
    modules: Vec<u8>,
}

/// The QR code of a link, as a module matrix the caller draws (the console's dialog shows one).
#[wasm_bindgen(js_name = qrCode)]
pub fn qr_code(text: &str) -> Result<JsValue, JsError> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| JsError::new(&format!("cannot make a QR code: {e}")))?;
    let size = code.width();
    let modules = code.to_colors().into_iter().map(|c| u8::from(c == qrcode::Color::Dark)).collect();
    to_js(&Qr { size, modules })
}

/// The playground's input: pasted text and what is known of the app.
#[derive(Deserialize)]
struct PlaygroundInput {
    #[serde(default)]
    failure_text: String,
    #[serde(default)]
    apis: Vec<String>,
    #[serde(default)]
    app: Option<App>,
    /// The app's package list as pasted text (`商品信息 已获取`, one per line), read like an app page.
    #[serde(default)]
    packages_text: Option<String>,
    #[serde(default)]
    learned: Vec<Learned>,
    #[serde(default)]
    token_scopes: Option<Vec<String>>,
}

#[derive(Serialize)]
struct PlaygroundOutput {
    findings: Vec<diagnose::Finding>,
    truncated: u64,
    failures: Vec<failure::Failure>,
    packages: Vec<Package>,
}

/// Diagnoses pasted text against a described app, without any stored state (www playground),
/// through the same evidence path as the CLI and the extension.
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
        token: input.token_scopes.map(|scopes| store::TokenReading { app_key: None, scopes }),
        ..Default::default()
    };
    let Report { findings, truncated, .. } = evidence::findings(&evidence);
    to_js(&PlaygroundOutput { findings, truncated, failures: failure::parse(&input.failure_text), packages })
}
