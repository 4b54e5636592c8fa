//! App detail page (应用详情): appKey, 应用名称, 回调地址, the app type, and the package list
//! with each package's status (已获取 / 未获取 / 申请中) — a table, cards or a description list.
//! Secrets on the page (appSecret, signSecret) are never read.

use super::labels;
use super::page::Page;
use super::{AppPage, PageKind, Reading};
use crate::catalog;
use crate::model::{AppType, Package, Status};
use crate::snapshot::{Node, Snapshot};
use crate::text::{fold_core, joined, split_label};
use crate::values;

/// An app's detail page (应用详情).
pub struct AppDetail;

impl PageKind for AppDetail {
    fn likeness(&self, page: &Page) -> i32 {
        let (mut points, mut statuses) = (0, 0);
        for i in page.content() {
            if page.label_in(i, labels::APP_KEY).is_some() {
                points += 3;
            }
            if page.label_in(i, labels::CALLBACK).is_some() {
                points += 2;
            }
            if status_in(page.text(i)).is_some() {
                statuses += 1;
            }
        }
        points + statuses.min(3)
    }

    fn read(&self, page: &Page) -> Option<Reading> {
        read(page).map(Reading::AppDetail)
    }
}

pub fn read(page: &Page) -> Option<AppPage> {
    let Some((key_node, app_key)) = app_key(page) else { return read_open_dialog(page) };
    let packages = packages(page);
    let callback = callback(page);
    // An appKey alone is a list of apps or a token's details, not an app's own page.
    if packages.is_empty() && callback.is_none() {
        return None;
    }
    let app_name = page.field(labels::APP_NAME).map(|(_, v)| v).filter(|v| !v.is_empty() && v.chars().count() <= 80);
    Some(AppPage { app_key, app_name, callback, app_type: app_type(page), anchor: Some(key_node), packages })
}

/// A list of apps (several appKeys) with one app's details open in a dialog or drawer: the app
/// the dialog shows, read from the dialog alone.
fn read_open_dialog(page: &Page) -> Option<AppPage> {
    if page.region().is_some() {
        return None;
    }
    let with_key = |d: usize| page.content_within(d).any(|i| page.label_in(i, labels::APP_KEY).is_some());
    let dialog = (0..page.len()).find(|&d| page.is_dialog(d) && page.snap.nodes[d].visible && with_key(d))?;
    read(&page.within(dialog))
}

/// The node naming the app's appKey, and the appKey when it is well formed (`None` when the
/// page shows something else there: a look-alike or hidden character is never cut away). None
/// at all on a page listing several apps (应用列表), which is no app's page.
fn app_key(page: &Page) -> Option<(usize, Option<String>)> {
    let mut keys = page.content().filter_map(|i| page.field_at(i, labels::APP_KEY)).filter_map(|(node, value)| {
        let word = value.split_whitespace().next()?;
        // A word that starts like an appKey, or a run of digits with a character or two around
        // (`kѕ3288…` with a Cyrillic ѕ), is the appKey field, well formed or not.
        let digits = word.chars().filter(char::is_ascii_digit).count();
        let looks_like_key = word.starts_with("ks") || (digits >= 6 && word.chars().count() <= digits + 4);
        looks_like_key.then(|| (node, Some(word.to_string()).filter(|w| values::is_app_key(w))))
    });
    let first = keys.next()?;
    keys.all(|(_, key)| key == first.1).then_some(first)
}

/// The 回调地址 exactly (the link must carry it byte for byte): the shown text, or a link's
/// `href` / `title` when the text is that address cut short, at its end
/// (`https://erp.example.com/api/…`) or in its middle (`https://erp.example.com/…/callback`).
/// Cut short with no full form anywhere, or not a whole address: `None`, never the cut text.
fn callback(page: &Page) -> Option<String> {
    let (node, value) = page.field(labels::CALLBACK)?;
    let shown = value.split_whitespace().next().unwrap_or("");
    let nearby = || std::iter::once(node).chain(page.snap.ancestors(node)).take(3);
    let full_forms = nearby().flat_map(|a| ["href", "title"].into_iter().filter_map(move |attr| page.snap.nodes[a].attr(attr)));
    let value = if shown.is_empty() {
        full_forms.filter(|f| f.starts_with("http")).map(str::to_string).next()
    } else if values::looks_cut(shown) {
        full_forms.filter(|f| f.starts_with("http")).find(|f| values::completes(shown, f)).map(str::to_string)
    } else {
        Some(shown.to_string())
    };
    value.filter(|v| values::is_callback(v))
}

fn type_of(text: &str) -> Option<AppType> {
    let f = fold_core(text);
    let hints = |words: &[&str]| words.iter().any(|w| f.contains(w));
    if labels::is_word(&f, labels::SERVICE_MARKET_APP) || hints(labels::SERVICE_MARKET_HINTS) {
        Some(AppType::ServiceMarket)
    } else if labels::is_word(&f, labels::MERCHANT_APP) || hints(labels::MERCHANT_HINTS) {
        Some(AppType::Merchant)
    } else {
        None
    }
}

/// The 应用类型 field, else a tag anywhere in the content naming a type exactly.
fn app_type(page: &Page) -> Option<AppType> {
    if let Some((_, value)) = page.field(labels::APP_TYPE) {
        if let Some(t) = type_of(&value) {
            return Some(t);
        }
    }
    page.content().find_map(|i| {
        let f = page.folded(i);
        (labels::is_word(f, labels::SERVICE_MARKET_APP) || labels::is_word(f, labels::MERCHANT_APP))
            .then(|| type_of(page.text(i)))
            .flatten()
    })
}

/// A status word in a node: `已获取`, `状态：未获取`, `已获取的权限包`, `申请中 ⏳`,
/// `user_info —— 已获取` (a short line whose last word is a status).
fn status_in(text: &str) -> Option<Status> {
    let value = split_label(text).map_or(text, |(_, v)| if v.is_empty() { text } else { v });
    // Icons around the word (`✔已获取`, `● 未获取`) are not part of it.
    let value = value.trim_matches(|c: char| !c.is_alphanumeric() && c != '(' && c != '（');
    let f = fold_core(value);
    if labels::APPLY_BUTTON.contains(&f.as_str()) {
        return Some(Status::Missing);
    }
    if f.chars().count() <= 12 {
        if let Some(status) = status_word(&f, false) {
            return Some(status);
        }
    }
    let words = words_of(value);
    if words.len() > 1 && words.len() <= 6 {
        // The last two words first: "Not obtained" must not read as "obtained".
        let last_two = joined(&words[words.len() - 2..], "");
        return status_word(&fold_core(&last_two), true).or_else(|| words.last().and_then(|w| status_word(&fold_core(w), true)));
    }
    None
}

/// A line's words, split at spaces and at what may separate a package from its status
/// (`labels::STATUS_SEPARATORS`).
fn words_of(text: &str) -> Vec<&str> {
    text.split(|c: char| c.is_whitespace() || labels::STATUS_SEPARATORS.contains(&c)).filter(|w| !w.is_empty()).collect()
}

/// A package named by name with its status on the same line — `用户基本信息：已获取`,
/// `　商品信息　——　已获取`, `商品信息 · 已获取` — its id and the name as shown. Only when
/// everything before the status word(s) is a whole package name.
fn named_with_status(text: &str) -> Option<(String, String)> {
    let words = words_of(text);
    (1..=2).filter(|&n| words.len() > n).find_map(|n| {
        status_word(&fold_core(&joined(&words[words.len() - n..], "")), true)?;
        let name = joined(&words[..words.len() - n], " ");
        catalog::find_package(&name).map(|id| (id, name))
    })
}

/// A status written as a label over what follows it (`<span>已获取：</span><span>user_info</span>…`):
/// the status word alone with a colon.
fn is_status_label(text: &str) -> bool {
    split_label(text).is_some_and(|(label, value)| value.is_empty() && status_word(&fold_core(label), true).is_some())
}

/// `exact`: the word is a status; otherwise it may start with one (`已获取的权限包`).
fn status_word(f: &str, exact: bool) -> Option<Status> {
    let starts = |words: &[&str]| words.iter().any(|w| if exact { f == *w } else { f.starts_with(w) });
    if starts(labels::OWNED) {
        Some(Status::Owned)
    } else if starts(labels::MISSING) {
        Some(Status::Missing)
    } else if starts(labels::PENDING) {
        Some(Status::Pending)
    } else {
        None
    }
}

/// The package list in page order. Each package is paired with the status in its own row (the
/// smallest element around it holding a status and no other package); where rows are not
/// elements of their own, the next status before the next package, or a group heading above.
fn packages(page: &Page) -> Vec<Package> {
    // (node, package id, the name shown when the node is a name and a status)
    let mut named: Vec<(usize, String, String)> = Vec::new();
    let mut mentions: Vec<(usize, String)> = Vec::new();
    for i in page.content() {
        let found = catalog::packages_in(page.text(i));
        if !found.is_empty() {
            mentions.extend(found.into_iter().map(|s| (i, s)));
        } else if let Some((scope, name)) = named_with_status(page.text(i)) {
            mentions.push((i, scope.clone()));
            named.push((i, scope, name));
        }
    }
    let statuses: Vec<(usize, Status)> = page.content().filter_map(|i| status_in(page.text(i)).map(|s| (i, s))).collect();
    let mut out: Vec<Package> = Vec::new();
    for (k, (node, scope)) in mentions.iter().enumerate() {
        if out.iter().any(|p| &p.scope == scope) {
            continue;
        }
        let found = row_status(page, *node, scope, &mentions, &statuses)
            .or_else(|| column_status(page, *node))
            .or_else(|| label_status(page, *node, &statuses))
            .or_else(|| sequential_status(page, *node, k, scope, &mentions, &statuses));
        if let Some((status, anchor)) = found {
            let name = match named.iter().find(|(i, s, _)| i == node && s == scope) {
                Some((_, _, name)) => Some(name.clone()),
                None => catalog::shown_name(page.text(*node), scope),
            };
            out.push(Package { scope: scope.clone(), status, anchor: Some(anchor), name });
        }
    }
    out
}

/// Packages grouped under a status label (`已获取：` user_info merchant_user …, then `申请中：` …):
/// the nearest status before the package, when it is such a label within the package's group
/// (its parent holds the package).
fn label_status(page: &Page, node: usize, statuses: &[(usize, Status)]) -> Option<(Status, usize)> {
    let &(label, status) = statuses.iter().rev().find(|(i, _)| *i < node)?;
    let group = page.snap.nodes[label].parent?;
    (is_status_label(page.text(label)) && page.snap.ancestors(node).any(|a| a == group)).then_some((status, node))
}

fn row_status(
    page: &Page,
    node: usize,
    scope: &str,
    mentions: &[(usize, String)],
    statuses: &[(usize, Status)],
) -> Option<(Status, usize)> {
    for a in std::iter::once(node).chain(page.snap.ancestors(node)) {
        let end = page.snap.subtree_end(a);
        let inside = |i: usize| i >= a && i < end;
        if mentions.iter().any(|(i, s)| inside(*i) && s != scope) {
            return None;
        }
        if let Some((_, status)) = statuses.iter().find(|(i, _)| inside(*i)) {
            return Some((*status, a));
        }
    }
    None
}

/// A transposed table: packages across the header row, statuses in the row below.
fn column_status(page: &Page, node: usize) -> Option<(Status, usize)> {
    let below = page.cell_below(node)?;
    let status = page.content_within(below).find_map(|j| status_in(page.text(j)))?;
    Some((status, page.cell_of(node).unwrap_or(node)))
}

/// Rows that are no elements of their own: the next status before the next package, else the
/// nearest group heading above (`已获取的权限包`) — a status standing with no package near it.
fn sequential_status(
    page: &Page,
    node: usize,
    k: usize,
    scope: &str,
    mentions: &[(usize, String)],
    statuses: &[(usize, Status)],
) -> Option<(Status, usize)> {
    let next_other = mentions[k + 1..].iter().find(|(_, s)| s != scope).map_or(usize::MAX, |(i, _)| *i);
    let is_group_heading = |status_node: usize| {
        page.in_heading(status_node)
            || page.snap.ancestors(status_node).take(3).all(|a| {
                let end = page.snap.subtree_end(a);
                !mentions.iter().any(|(m, _)| *m >= a && *m < end)
            })
    };
    statuses
        .iter()
        // A heading or a status label (`申请中：`) below belongs to the next group, not to this package.
        .find(|(i, _)| *i > node && *i < next_other && !page.in_heading(*i) && !is_status_label(page.text(*i)))
        .or_else(|| statuses.iter().rev().find(|(i, _)| *i < node && is_group_heading(*i)))
        .map(|(_, status)| (*status, node))
}

/// Reads a pasted package list (`商品信息 已获取`, one per line or `|`/tab separated) as if it
/// were the app page's list: the playground's input.
pub fn packages_from_text(text: &str) -> Vec<Package> {
    let mut nodes = vec![Node { tag: "body".into(), visible: true, ..Default::default() }];
    for line in text.lines() {
        let row = nodes.len();
        nodes.push(Node { tag: "div".into(), parent: Some(0), visible: true, ..Default::default() });
        for cell in line.split(&['|', '\t', ',', '，', ':', '：'][..]).flat_map(split_trailing_status) {
            nodes.push(Node { tag: "span".into(), parent: Some(row), text: cell, visible: true, attrs: vec![] });
        }
    }
    let snapshot = Snapshot::new("", nodes);
    packages(&Page::new(&snapshot)).into_iter().map(|p| Package { anchor: None, ..p }).collect()
}

/// `"商品信息 已获取"` → `["商品信息", "已获取"]`: a status word at the end of a cell is a cell of its own.
fn split_trailing_status(cell: &str) -> Vec<String> {
    let cell = cell.trim();
    match cell.rsplit_once(char::is_whitespace) {
        Some((head, last)) if status_in(last).is_some() => vec![head.trim().to_string(), last.to_string()],
        _ if cell.is_empty() => vec![],
        _ => vec![cell.to_string()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_pasted_package_list() {
        let got: Vec<(String, Status)> =
            packages_from_text("用户基本信息 已获取\n商品信息 | 已获取\n订单API权限 未获取\nmerchant_refund\t申请中")
                .into_iter()
                .map(|p| (p.scope, p.status))
                .collect();
        let want = [
            ("user_info", Status::Owned),
            ("merchant_item", Status::Owned),
            ("merchant_order", Status::Missing),
            ("merchant_refund", Status::Pending),
        ];
        assert_eq!(got, want.map(|(s, st)| (s.to_string(), st)));
    }

    #[test]
    fn finds_status_words() {
        assert_eq!(status_in("已获取"), Some(Status::Owned));
        assert_eq!(status_in("状态：未获取"), Some(Status::Missing));
        assert_eq!(status_in("user_info —— 申请中"), Some(Status::Pending));
        assert_eq!(status_in("已获取的权限包"), Some(Status::Owned));
        assert_eq!(status_in("✔已获取"), Some(Status::Owned));
        assert_eq!(status_in("● 未获取"), Some(Status::Missing));
        assert_eq!(status_in("Not obtained"), Some(Status::Missing));
        assert_eq!(status_in("未获取的权限包可在此申请，审核需要 1-3 个工作日"), None);
        assert_eq!(status_in("商品信息·已获取"), Some(Status::Owned));
    }

    #[test]
    fn finds_a_named_package_with_its_status_on_one_line() {
        let id = |text: &str| named_with_status(text).map(|(id, _)| id);
        assert_eq!(named_with_status("用户基本信息：已获取"), Some(("user_info".into(), "用户基本信息".into())));
        assert_eq!(id("\u{3000}商品信息\u{3000}——\u{3000}已获取"), Some("merchant_item".into()));
        assert_eq!(id("售后信息 · 申请中"), Some("merchant_refund".into()));
        assert_eq!(id("Order info | Not obtained"), None, "not a package name");
        assert_eq!(id("已获取的权限包：商品信息"), None, "a status first is no package line");
        assert_eq!(id("商品信息 可申请 说明"), None, "the status must end the line");
    }

    #[test]
    fn a_status_label_is_the_status_word_with_a_colon_only() {
        assert!(is_status_label("已获取："));
        assert!(is_status_label("申请中:"));
        assert!(!is_status_label("已获取"));
        assert!(!is_status_label("状态：已获取"));
        assert!(!is_status_label("已获取：user_info"));
    }
}
