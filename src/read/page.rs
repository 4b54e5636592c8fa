//! The reader's view of a snapshot: which nodes are content (visible, outside navigation and
//! code blocks), their folded text, label/value lookup, and which page kinds the page looks like.

use super::labels::{self, Label};
use crate::snapshot::Snapshot;
use crate::text::{fold_core, split_label};

pub struct Page<'a> {
    pub snap: &'a Snapshot,
    /// `fold_core` of each node's own text.
    folded: Vec<String>,
    /// Visible, outside navigation and code blocks, with text.
    content: Vec<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    ApiDetail,
    AppDetail,
    AuthUsers,
    TokenInfo,
}

fn is_nav(tag: &str, role: Option<&str>) -> bool {
    labels::NAV_TAGS.contains(&tag) || role.is_some_and(|r| labels::NAV_ROLES.contains(&r))
}

impl<'a> Page<'a> {
    pub fn new(snap: &'a Snapshot) -> Page<'a> {
        let n = snap.nodes.len();
        let mut outside = vec![true; n];
        for (i, node) in snap.nodes.iter().enumerate() {
            let own = !is_nav(&node.tag, node.attr("role")) && !labels::CODE_TAGS.contains(&node.tag.as_str());
            outside[i] = own && node.parent.map_or(true, |p| outside[p]);
        }
        let folded: Vec<String> = snap.nodes.iter().map(|n| fold_core(&n.text)).collect();
        let content = (0..n).map(|i| outside[i] && snap.nodes[i].visible && !folded[i].is_empty()).collect();
        Page { snap, folded, content }
    }

    pub fn len(&self) -> usize {
        self.snap.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.snap.nodes.is_empty()
    }

    pub fn text(&self, i: usize) -> &str {
        &self.snap.nodes[i].text
    }

    pub fn folded(&self, i: usize) -> &str {
        &self.folded[i]
    }

    pub fn tag(&self, i: usize) -> &str {
        &self.snap.nodes[i].tag
    }

    pub fn is_content(&self, i: usize) -> bool {
        self.content[i]
    }

    /// Content nodes in reading order.
    pub fn content(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.len()).filter(|&i| self.content[i])
    }

    /// Content nodes after `i`, in reading order.
    pub fn content_after(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (i + 1..self.len()).filter(|&j| self.content[j])
    }

    /// Content nodes within the subtree of `i`.
    pub fn content_within(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (i..self.snap.subtree_end(i)).filter(|&j| self.content[j])
    }

    pub fn is_heading(&self, i: usize) -> bool {
        matches!(self.tag(i), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") || self.snap.nodes[i].attr("role") == Some("heading")
    }

    /// If node `i` is one of `labels` — alone (`回调地址`) or with its value (`回调地址：https://…`) —
    /// the value written in the same node ("" when alone).
    pub fn label_in(&self, i: usize, labels: &[Label]) -> Option<String> {
        if labels::is_label(&self.folded[i], labels) {
            return Some(String::new());
        }
        let (label, value) = split_label(self.text(i))?;
        labels::is_label(&fold_core(label), labels).then(|| value.to_string())
    }

    /// True when node `i` looks like any label (a short text ending in a colon, or a known label).
    pub fn looks_like_label(&self, i: usize) -> bool {
        let text = self.text(i).trim();
        let all: [&[Label]; 6] = [labels::APP_KEY, labels::APP_NAME, labels::CALLBACK, labels::APP_TYPE, labels::SECRETS, labels::USER_ID];
        all.iter().any(|l| labels::is_label(&self.folded[i], l))
            || ((text.ends_with(':') || text.ends_with('：')) && text.chars().count() <= 16)
    }

    /// The value of a labelled field: what follows the label in the same node, or the next
    /// content node(s) — a `dd`, the next cell, the next `span`. Skips copy-button text.
    pub fn field(&self, labels: &[Label]) -> Option<(usize, String)> {
        for i in self.content() {
            let Some(inline) = self.label_in(i, labels) else { continue };
            if !inline.is_empty() {
                return Some((i, inline));
            }
            for j in self.content_after(i).take(4) {
                if self.looks_like_label(j) {
                    break;
                }
                if is_chrome(&self.folded[j]) {
                    continue;
                }
                return Some((j, self.text(j).trim().to_string()));
            }
        }
        None
    }

    /// True if any content node's folded text is one of `words` (or starts with one).
    pub fn has_word(&self, words: &[&str]) -> bool {
        self.content().any(|i| words.iter().any(|w| self.folded[i].starts_with(&fold_core(w))))
    }

    /// Every text and link-bearing attribute of the visible page, nav included (links live in dialogs).
    pub fn visible_strings(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.snap.nodes.iter().enumerate().filter(|(_, n)| n.visible).flat_map(|(i, n)| {
            std::iter::once((i, n.text.as_str())).chain(n.attrs.iter().filter(|(k, _)| k == "href" || k == "value").map(move |(_, v)| (i, v.as_str())))
        })
    }
}

/// Button and icon text that sits between a label and its value.
fn is_chrome(folded: &str) -> bool {
    matches!(folded, "复制" | "copy" | "查看" | "显示" | "编辑" | "修改" | "*" | ":" | "?" | "i")
}

/// The kinds this page may be, most likely first; none when it looks like no console page.
pub fn likely_kinds(page: &Page) -> Vec<Kind> {
    let path = page.snap.url_path().to_ascii_lowercase();
    let mut scores = [(Kind::ApiDetail, 0), (Kind::AppDetail, 0), (Kind::AuthUsers, 0), (Kind::TokenInfo, 0)];
    let mut add = |kind: Kind, points: i32| {
        if let Some(s) = scores.iter_mut().find(|(k, _)| *k == kind) {
            s.1 += points;
        }
    };
    if labels::API_PAGE_PATHS.iter().any(|p| path.ends_with(p)) && labels::API_NAME_PARAMS.iter().any(|p| page.snap.url_param(p).is_some()) {
        add(Kind::ApiDetail, 6);
    }
    if labels::TOKEN_PAGE_PATHS.iter().any(|p| path.ends_with(p)) {
        add(Kind::TokenInfo, 6);
    }
    let mut seen_sections = 0;
    for i in page.content() {
        let f = page.folded(i);
        if labels::is_label(f, labels::API_SECTIONS) {
            seen_sections += 1;
        }
        if page.label_in(i, labels::APP_KEY).is_some() {
            add(Kind::AppDetail, 3);
        }
        if page.label_in(i, labels::CALLBACK).is_some() {
            add(Kind::AppDetail, 2);
        }
        if f == "发起授权" {
            add(Kind::AuthUsers, 2);
        }
        if labels::is_word(f, labels::AUTHORIZED) || labels::is_word(f, labels::NOT_AUTHORIZED) {
            add(Kind::AuthUsers, 1);
        }
        if labels::TOKEN_PAGE_MARKERS.iter().any(|m| f.starts_with(&fold_core(m))) {
            add(Kind::TokenInfo, 3);
        }
        if page.is_heading(i) && !crate::text::method_names(page.text(i)).is_empty() {
            add(Kind::ApiDetail, 3);
        }
        if f.contains(labels::NEEDS_USER_AUTH) {
            add(Kind::ApiDetail, 1);
        }
    }
    add(Kind::ApiDetail, 2 * seen_sections.min(3));
    let mut kinds: Vec<(Kind, i32)> = scores.into_iter().filter(|(_, s)| *s >= 3).collect();
    kinds.sort_by_key(|(_, s)| -s);
    kinds.into_iter().map(|(k, _)| k).collect()
}
