//! 授权查询工具 (`/zone/new/tool/auth/authStatus`): after a query, the packages the token holds.
//! The pasted token itself is never read (the snapshot drops typed field values).

use super::labels;
use super::page::Page;
use super::TokenPage;
use crate::catalog;

pub fn read(page: &Page) -> Option<TokenPage> {
    let mut scopes: Vec<String> = Vec::new();
    let mut anchor = None;
    for i in page.content() {
        let Some(inline) = page.label_where(i, labels::is_token_scopes_label) else { continue };
        anchor.get_or_insert(i);
        let mut push = |found: Vec<String>| scopes.extend(found.into_iter().filter(|s| !scopes.contains(s)).collect::<Vec<_>>());
        push(split_scopes(&inline));
        for j in page.content_after(i).take(30) {
            if page.looks_like_label(j) || page.is_heading(j) {
                break;
            }
            push(split_scopes(page.text(j)));
        }
    }
    if scopes.is_empty() {
        if let Some((i, found)) = result_block_scopes(page) {
            anchor.get_or_insert(i);
            scopes = found;
        }
    }
    let is_tool = labels::TOKEN_PAGE_PATHS.iter().any(|p| page.snap.url_path().to_ascii_lowercase().ends_with(p))
        || page.has_word(labels::TOKEN_PAGE_MARKERS);
    (is_tool || !scopes.is_empty()).then_some(TokenPage { scopes, anchor })
}

/// A query result shown as raw JSON (`<pre>{"scopes": ["user_info", …]}</pre>`) under a 查询结果
/// heading. Code blocks are otherwise skipped as examples; one under a 示例 heading still is.
fn result_block_scopes(page: &Page) -> Option<(usize, Vec<String>)> {
    (0..page.len()).filter(|&i| page.tag(i) == "pre" && page.snap.nodes[i].visible).find_map(|i| {
        let heading = (0..i).rev().find(|&h| page.is_heading(h) && page.snap.nodes[h].visible)?;
        let title = page.folded(heading);
        let is_result =
            labels::RESULT_HEADINGS.iter().any(|w| title.contains(w)) && !labels::EXAMPLE_HEADINGS.iter().any(|w| title.contains(w));
        let text = page.text(i);
        let after_key = text.find("scope").map(|at| &text[at..])?;
        let ids = catalog::package_ids_in(after_key.split([']', '}']).next().unwrap_or(""));
        (is_result && !ids.is_empty()).then_some((i, ids))
    })
}

/// `"user_info,merchant_item"`, `"商品信息、订单信息"`, `"merchant_item"` → ids.
fn split_scopes(text: &str) -> Vec<String> {
    let ids = catalog::package_ids_in(text);
    if !ids.is_empty() {
        return ids;
    }
    text.split([',', '，', '、', ';', '；', '|', '/']).filter_map(catalog::find_package).collect()
}
