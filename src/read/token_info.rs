//! 授权查询工具 (`/zone/new/tool/auth/authStatus`): after a query, the packages the token holds.
//! The pasted token itself is never read (the snapshot drops typed field values).

use super::labels;
use super::page::Page;
use super::{PageKind, Reading, TokenPage};
use crate::catalog;
use crate::values;

/// 授权查询工具 (/zone/new/tool/auth/authStatus).
pub struct TokenInfo;

impl PageKind for TokenInfo {
    fn likeness(&self, page: &Page) -> i32 {
        let path = page.snap.url_path().to_ascii_lowercase();
        let mut points = if labels::TOKEN_PAGE_PATHS.iter().any(|p| path.ends_with(p)) { 6 } else { 0 };
        for i in page.content() {
            let f = page.folded(i);
            // The tool's name first, or last in a breadcrumb (`控制台 › 开发工具 › 授权查询工具`);
            // a link to the tool (a menu entry) is not the tool.
            let crumb = |m: &str| f.ends_with(m) && page.text(i).contains(&['›', '>', '»', '/'][..]);
            if labels::TOKEN_PAGE_MARKERS.iter().any(|m| f.starts_with(m) || crumb(m)) && !page.in_link(i) {
                points += 5;
            }
            if labels::TOKEN_RESULT_FIELDS.iter().any(|l| page.label_in(i, l).is_some()) {
                points += 1;
            }
        }
        points
    }

    fn read(&self, page: &Page) -> Option<Reading> {
        read(page).map(Reading::TokenInfo)
    }
}

pub fn read(page: &Page) -> Option<TokenPage> {
    let mut scopes: Vec<String> = Vec::new();
    let mut anchor = None;
    let mut unsure = false;
    for i in page.content() {
        let Some(inline) = page.label_where(i, &labels::is_token_scopes_label) else { continue };
        anchor.get_or_insert(i);
        let mut push = |found: Vec<String>| scopes.extend(found.into_iter().filter(|s| !scopes.contains(s)).collect::<Vec<_>>());
        push(split_scopes(&inline));
        for j in page.content_after(i).take(30) {
            if page.looks_like_label(j) || page.is_heading(j) {
                break;
            }
            // A list of checkboxes names every package: only the ticked ones are the token's.
            match tick(page, j) {
                Tick::NoBox | Tick::Ticked => push(split_scopes(page.text(j))),
                Tick::Unticked => {}
                Tick::Unsure => unsure = true,
            }
        }
    }
    if unsure {
        // Which packages are ticked cannot be told apart: none rather than a wrong list.
        scopes.clear();
    }
    if scopes.is_empty() {
        if let Some((i, found)) = result_block_scopes(page).or_else(|| checklist_scopes(page)) {
            anchor.get_or_insert(i);
            scopes = found;
        }
    }
    let is_tool = labels::TOKEN_PAGE_PATHS.iter().any(|p| page.snap.url_path().to_ascii_lowercase().ends_with(p))
        || page.has_word(labels::TOKEN_PAGE_MARKERS);
    let app_key = (!scopes.is_empty()).then(|| result_app_key(page)).flatten();
    (is_tool || !scopes.is_empty()).then_some(TokenPage { scopes, anchor, app_key })
}

/// The app a query result names, when it names exactly one whole appKey: a labelled field
/// (`App key | ks730…`) or a JSON result's key (`"appId": "ks551…"`). A look-alike or cut
/// key, or two different ones, name none: the reading then counts for the current app.
fn result_app_key(page: &Page) -> Option<String> {
    let mut candidates: Vec<String> = page.content().filter_map(|i| page.field_at(i, labels::APP_KEY)).map(|(_, v)| v).collect();
    let code = (0..page.len()).filter(|&i| page.tag(i) == "pre" && page.snap.nodes[i].visible).map(|i| page.subtree_text(i));
    candidates.extend(code.flat_map(|text| json_app_keys(&text)));
    // (One list, then one pass: a chain of the two kinds of value had the wasm read each kind apart.)
    let mut keys = candidates.iter().filter_map(|v| {
        let word = v.split_whitespace().next()?.trim_matches(&['"', '\'', ',', '，'][..]);
        values::is_app_key(word).then(|| word.to_string())
    });
    let first = keys.next()?;
    keys.all(|k| k == first).then_some(first)
}

/// The values of appKey-like keys in a JSON text (`"appId": "ks551903284716"`).
fn json_app_keys(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for key in ["\"appId\"", "\"appKey\"", "\"app_id\"", "\"app_key\""] {
        for (at, _) in text.match_indices(key) {
            let rest = text[at + key.len()..].trim_start().trim_start_matches(':').trim_start();
            if let Some(value) = rest.strip_prefix('"').and_then(|r| r.split('"').next()) {
                found.push(value.to_string());
            }
        }
    }
    found
}

/// A query result shown as raw JSON (`<pre>{"scopes": ["user_info", …]}</pre>`, highlighted
/// or not) under a 查询结果 title (a heading, or the text just before the block). Code blocks
/// are otherwise skipped as examples; one under a 示例 title still is.
fn result_block_scopes(page: &Page) -> Option<(usize, Vec<String>)> {
    (0..page.len()).filter(|&i| page.tag(i) == "pre" && page.snap.nodes[i].visible).find_map(|i| {
        let title = |h: usize| page.snap.nodes[h].visible && !page.text(h).trim().is_empty() && !page.snap.is_within(h, i);
        let titled = (0..i).rev().filter(|&h| title(h)).take(3).find(|&h| page.is_heading(h) || is_result_title(page.folded(h)));
        let heading = titled.or_else(|| (0..i).rev().find(|&h| page.is_heading(h) && page.snap.nodes[h].visible))?;
        let text = page.subtree_text(i);
        let after_key = text.find("scope").map(|at| &text[at..])?;
        let ids = catalog::package_ids_in(after_key.split(&[']', '}'][..]).next().unwrap_or(""));
        (is_result_title(page.folded(heading)) && !ids.is_empty()).then_some((i, ids))
    })
}

fn is_result_title(folded: &str) -> bool {
    labels::RESULT_HEADINGS.iter().any(|w| folded.contains(w)) && !labels::EXAMPLE_HEADINGS.iter().any(|w| folded.contains(w))
}

/// A checklist of packages, each row with its authorization status (`user_info ✓ 已授权`, or
/// only an icon's `aria-label`): the authorized ones are the token's scopes. At least two
/// rows, so one sentence naming a package and a status is no checklist.
fn checklist_scopes(page: &Page) -> Option<(usize, Vec<String>)> {
    let status_in = |row: usize| page.content_within(row).find_map(|j| labels::authorization(page.folded(j)));
    let (mut scopes, mut anchor, mut rows) = (Vec::<String>::new(), None, 0);
    for i in page.content() {
        let ids = catalog::package_ids_in(page.text(i));
        let [id] = ids.as_slice() else { continue };
        let Some((row, granted)) = page.snap.ancestors(i).take(3).find_map(|a| Some((a, status_in(a)?))) else { continue };
        rows += 1;
        if granted && !scopes.contains(id) {
            anchor.get_or_insert(row);
            scopes.push(id.clone());
        }
    }
    (rows >= 2).then_some((anchor?, scopes))
}

/// Whether a line of a list goes with a ticked checkbox (or radio button).
#[derive(Debug, PartialEq, Eq)]
enum Tick {
    NoBox,
    Ticked,
    Unticked,
    /// Several boxes around the line and none its own.
    Unsure,
}

/// The box of a line: the one box in its nearest surrounding element that holds any
/// (`<label><input type=checkbox checked><span>商品信息（merchant_item）</span></label>`).
fn tick(page: &Page, line: usize) -> Tick {
    let snap = page.snap;
    let is_box = |k: &usize| snap.nodes[*k].tag == "input" && crate::snapshot::is_tick_box(snap.nodes[*k].attr("type"));
    let around = snap.ancestors(line).take(3).find_map(|a| {
        let mut boxes = (a + 1..snap.subtree_end(a)).filter(is_box);
        Some((boxes.next()?, boxes.next().is_none()))
    });
    match around {
        None => Tick::NoBox,
        Some((_, false)) => Tick::Unsure,
        Some((k, true)) if snap.nodes[k].attr(crate::snapshot::CHECKED).is_some() => Tick::Ticked,
        Some(_) => Tick::Unticked,
    }
}

/// `"user_info,merchant_item"`, `"商品信息、订单信息"`, `"merchant_item"` → ids.
fn split_scopes(text: &str) -> Vec<String> {
    let ids = catalog::package_ids_in(text);
    if !ids.is_empty() {
        return ids;
    }
    text.split(&[',', '，', '、', ';', '；', '|', '/'][..]).filter_map(catalog::find_package).collect()
}
