//! API detail page (`/zone/new/docs/api?name=open.item.get&version=1`): the method name, the
//! 需用户授权 tag, and the package(s) named in the permission section at the bottom.

use super::labels;
use super::page::Page;
use super::{ApiPage, PageKind, Reading};
use crate::catalog;
use crate::text::method_names;

/// An API's detail page (/zone/new/docs/api?name=open.item.get).
pub struct ApiDetail;

impl PageKind for ApiDetail {
    fn likeness(&self, page: &Page) -> i32 {
        let path = page.snap.url_path().to_ascii_lowercase();
        let api_address = labels::API_PAGE_PATHS.iter().any(|p| path.ends_with(p))
            && labels::API_NAME_PARAMS.iter().any(|p| page.snap.url_param(p).is_some());
        let mut points = if api_address { 6 } else { 0 };
        let (mut sections, mut permission_labels, mut needs_auth_tag) = (0, 0, false);
        for i in page.content() {
            if page.label_in(i, labels::API_SECTIONS).is_some() {
                sections += 1;
            }
            if page.field_at(i, labels::API_NAME).is_some_and(|(_, v)| !method_names(&v).is_empty()) {
                points += 3;
            }
            if let Some(name) = page.method(i) {
                if page.in_heading(i) {
                    points += 3;
                } else if is_title_like(page, i, name) {
                    points += 2;
                }
            }
            if page.label_where(i, &labels::is_permission_label).is_some() {
                points += 2;
                permission_labels += 1;
            }
            needs_auth_tag |= labels::NEEDS_USER_AUTH.iter().any(|w| page.folded(i).contains(w));
        }
        // An API's detail page documents it: sections or a permission field. A FAQ article
        // whose title names an API has neither.
        if !api_address && sections == 0 && permission_labels == 0 {
            return 0;
        }
        points + i32::from(needs_auth_tag) + 2 * sections.min(3)
    }

    fn read(&self, page: &Page) -> Option<Reading> {
        read(page).map(Reading::ApiDetail)
    }
}

pub fn read(page: &Page) -> Option<ApiPage> {
    let (api, anchor) = api_name(page)?;
    let (scopes, names) = permission_scopes(page);
    Some(ApiPage { scopes, needs_user_auth: needs_user_auth(page), api, anchor, names })
}

/// The page's own API: the address's `name=`/`apiName=`, else the best-placed method name
/// (a heading, a labelled field, near the top, not in a list of many APIs such as a sidebar).
fn api_name(page: &Page) -> Option<(String, Option<usize>)> {
    let from_url = labels::API_NAME_PARAMS.iter().filter_map(|p| page.snap.url_param(p)).flat_map(|v| method_names(&v)).next();
    let mut best: Option<(i64, &str, usize)> = None;
    for (name, positions) in page.method_positions() {
        if from_url.as_ref().is_some_and(|u| u != name) {
            continue;
        }
        for &i in positions {
            let score = candidate_score(page, i, name);
            if best.is_none_or(|(s, _, b)| score > s || (score == s && i < b)) {
                best = Some((score, name, i));
            }
        }
    }
    match (from_url, best) {
        (Some(url), best) => Some((url, best.map(|(_, _, i)| i))),
        // Without a title or a labelled name, a page naming many APIs is a list, not one API's page.
        (None, Some((score, name, i)))
            if score >= TITLE_SCORE || (score > 0 && distinct_methods(page) <= 2 && documents_parameters(page)) =>
        {
            Some((name.to_string(), Some(i)))
        }
        _ => None,
    }
}

/// A candidate in a heading or a labelled field scores at least this.
const TITLE_SCORE: i64 = 35;

/// An API page documents its call: at least two of 描述 / 请求参数 / 响应参数 / 错误码 … (a guide
/// that mentions `open.item.get` as an example does not).
fn documents_parameters(page: &Page) -> bool {
    page.content().filter(|&i| page.label_in(i, labels::API_SECTIONS).is_some()).take(2).count() == 2
}

/// Distinct method names outside lists of APIs.
fn distinct_methods(page: &Page) -> usize {
    page.method_positions().iter().filter(|(name, at)| at.iter().any(|&i| !in_api_list(page, i, name))).count()
}

fn candidate_score(page: &Page, i: usize, name: &str) -> i64 {
    let mut score = 10;
    if page.in_heading(i) {
        score += 50;
    }
    if page.folded(i) == name {
        score += 5;
    }
    if is_title_like(page, i, name) {
        score += 30;
    }
    let labelled = |j: usize| page.field_at(j, labels::API_NAME).is_some_and(|(_, v)| method_names(&v).first().is_some_and(|n| n == name));
    let previous = (0..i).rev().find(|&j| page.is_content(j));
    if labelled(i) || previous.is_some_and(labelled) {
        score += 30;
    }
    if in_api_list(page, i, name) {
        score -= 40;
    }
    // Earlier is likelier: the title sits above the body, which may cite other APIs.
    score - (i as i64 * 10 / page.len().max(1) as i64)
}

/// A title line: the method right under a heading (`<h1>获取商品详情</h1><p>open.item.get</p>`),
/// or beside a short Chinese name and nothing else (`获取商品详情 - open.item.get`).
fn is_title_like(page: &Page, i: usize, name: &str) -> bool {
    let previous = (0..i).rev().find(|&j| page.is_content(j));
    if previous.is_some_and(|j| page.is_heading(j)) && page.folded(i) == name {
        return true;
    }
    let rest = page.text(i).replacen(name, "", 1);
    let rest = rest.trim_matches(|c: char| c.is_whitespace() || "-–—|｜:：()（）[]【】·".contains(c));
    let is_name = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c) || c.is_ascii_alphanumeric() || c == ' ';
    !rest.is_empty()
        && rest.chars().count() <= 16
        && rest.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
        && rest.chars().all(is_name)
}

/// True when `i` sits in a list of APIs (a sidebar, "related APIs"): the first element around it
/// that holds other method names is mostly method names.
fn in_api_list(page: &Page, i: usize, name: &str) -> bool {
    for a in page.snap.ancestors(i).take(8) {
        let (all, own) = page.method_counts(a, name);
        if all > own {
            return all >= 2 && all * 3 >= page.content_count(a) * 2;
        }
    }
    false
}

/// The 需用户授权 tag, unless negated (不需用户授权 / 无需用户授权).
fn needs_user_auth(page: &Page) -> bool {
    page.content().any(|i| {
        // `fold`, not `fold_core`: the tag may be bracketed (【需用户授权】).
        let f = crate::text::fold(page.text(i));
        labels::NEEDS_USER_AUTH.iter().any(|w| f.contains(w))
            && !labels::NEEDS_USER_AUTH_NEGATED.iter().any(|n| f.contains(n))
            && f.chars().count() <= 30
    })
}

/// Packages named in the permission section(s): after each permission label, up to the next
/// section or heading.
/// The packages the permission section names, in page order, and the names it shows for
/// those it names by name.
fn permission_scopes(page: &Page) -> (Vec<String>, Vec<(String, String)>) {
    let mut scopes: Vec<String> = Vec::new();
    let mut names: Vec<(String, String)> = Vec::new();
    let mut push = |text: &str| {
        for s in catalog::packages_mentioned(text) {
            if let Some(name) = catalog::shown_name(text, &s).filter(|_| !names.iter().any(|(id, _)| *id == s)) {
                names.push((s.clone(), name));
            }
            if !scopes.contains(&s) {
                scopes.push(s);
            }
        }
    };
    for i in page.content() {
        let Some(inline) = page.label_where(i, &labels::is_permission_label) else { continue };
        push(&inline);
        for j in page.content_after(i).take(40) {
            if ends_section(page, j) {
                break;
            }
            push(page.text(j));
        }
    }
    (scopes, names)
}

/// The next section starts at a heading, or at a section name standing alone (not a table's
/// column header such as 描述 beside 权限包).
fn ends_section(page: &Page, j: usize) -> bool {
    let is_permission = page.label_where(j, &labels::is_permission_label).is_some();
    let is_cell = matches!(page.tag(j), "th" | "td");
    (labels::is_label(page.folded(j), labels::API_SECTIONS) && !is_cell)
        || (page.is_heading(j) && !is_permission && catalog::packages_mentioned(page.text(j)).is_empty())
}
