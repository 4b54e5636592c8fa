//! 授权管理 → 测试用户 / 授权用户: the users with their authorization status, and — when the
//! 发起授权 dialog is open — its links in page order (first = PC, second = mobile).

use super::labels;
use super::page::Page;
use super::{AuthUsersPage, PageKind, Reading};
use crate::model::User;
use crate::text::{fold_core, split_label};

/// 授权管理 → 测试用户 / 授权用户, with the 发起授权 dialog's links when it is open.
pub struct AuthUsers;

impl PageKind for AuthUsers {
    fn likeness(&self, page: &Page) -> i32 {
        let mut points = 0;
        for i in page.content() {
            if labels::START_AUTHORIZATION.contains(&page.folded(i)) {
                points += 2;
            }
            if authorization_in(page.text(i)).is_some() {
                points += 1;
            }
        }
        points
    }

    fn read(&self, page: &Page) -> Option<Reading> {
        read(page).map(Reading::AuthUsers)
    }
}

pub fn read(page: &Page) -> Option<AuthUsersPage> {
    let users = users(page);
    let links = links(page);
    if users.is_empty() && links.is_empty() && !page.has_word(labels::USERS_PAGE_MARKERS) {
        return None;
    }
    let anchor = links.first().map(|(i, _)| *i).or_else(|| users.first().and_then(|u| u.anchor));
    Some(AuthUsersPage { users, links: links.into_iter().map(|(_, l)| l).collect(), anchor })
}

/// `Some(true)` for 已建立授权 (alone or as a status field, `授权状态：已建立授权`), `Some(false)`
/// for 未授权 / 已过期 …, `None` otherwise.
fn authorization_in(text: &str) -> Option<bool> {
    labels::authorization(&fold_core(text)).or_else(|| {
        let (label, value) = split_label(text)?;
        labels::is_label(&fold_core(label), labels::AUTHORIZATION_STATUS).then(|| labels::authorization(&fold_core(value))).flatten()
    })
}

/// One user per status: its row is the largest element around the status holding no other
/// status; the id is the row's labelled ID, else its first long number, else its first token.
fn users(page: &Page) -> Vec<User> {
    let statuses: Vec<(usize, bool)> = page.content().filter_map(|i| authorization_in(page.text(i)).map(|a| (i, a))).collect();
    let mut out: Vec<User> = Vec::new();
    for &(node, authorized) in &statuses {
        let mut row = node;
        for a in page.snap.ancestors(node) {
            let end = page.snap.subtree_end(a);
            if statuses.iter().filter(|(i, _)| *i >= a && *i < end).count() > 1 {
                break;
            }
            row = a;
        }
        if let Some(id) = user_id(page, row) {
            if !out.iter().any(|u| u.id == id) {
                out.push(User { id, authorized, anchor: Some(row) });
            }
        }
    }
    out
}

fn user_id(page: &Page, row: usize) -> Option<String> {
    let texts: Vec<usize> = page.content_within(row).collect();
    for (k, &i) in texts.iter().enumerate() {
        if let Some(inline) = page.label_in(i, labels::USER_ID) {
            let value = if inline.is_empty() { texts.get(k + 1).map(|&j| page.text(j).trim().to_string()) } else { Some(inline) };
            if let Some(v) = value.and_then(|v| id_token(&v, 1)) {
                return Some(v);
            }
        }
    }
    // Else a long number: a cell of its own, or the last word of `用户ID 9021038847`.
    let number = |text: &str| id_token(text, 4).filter(|t| t.chars().all(|c| c.is_ascii_digit()));
    texts.iter().find_map(|&i| number(page.text(i))).or_else(|| {
        texts.iter().find_map(|&i| {
            let (head, last) = page.text(i).trim().rsplit_once(char::is_whitespace)?;
            labels::is_label(&crate::text::fold_core(head), labels::USER_ID).then(|| number(last)).flatten()
        })
    })
}

/// A single id-like token (ASCII letters, digits, `_`, `-`) of at least `min` characters.
fn id_token(text: &str, min: usize) -> Option<String> {
    let text = text.trim();
    (text.len() >= min && !text.contains(char::is_whitespace) && text.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
        .then(|| text.to_string())
}

/// The authorize links visible on the page (text, `href`, read-only field values), in order.
fn links(page: &Page) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, text) in page.visible_strings() {
        for prefix in labels::LINK_PREFIXES {
            let mut rest = text;
            while let Some(at) = rest.find(prefix) {
                let link: String =
                    rest[at..].chars().take_while(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '<' | '>' | '，' | '）')).collect();
                // A help text's template (`app_id={appKey}`) is not a link, and a link shown cut
                // short (`…&redirect_u…`) is not one either: its `href` is read whole.
                let is_template = link.contains(&['{', '}'][..]);
                if !is_template && !crate::values::looks_cut(&link) && !out.iter().any(|(_, l)| *l == link) {
                    out.push((i, link.clone()));
                }
                rest = &rest[at + link.len().max(1)..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_status_alone_or_as_a_status_field() {
        assert_eq!(authorization_in("已建立授权"), Some(true));
        assert_eq!(authorization_in("授权状态：已建立授权"), Some(true));
        assert_eq!(authorization_in("状态: 未授权"), Some(false));
        assert_eq!(authorization_in("有效期：已过期"), None, "not a status field");
        assert_eq!(authorization_in("授权状态：查看"), None);
    }
}
