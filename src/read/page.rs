//! The reader's view of a snapshot: which nodes are content (visible, outside navigation and
//! code blocks), their folded text and label/value lookup. It knows no page kind: each kind's
//! module (`api_detail`, `app_detail`, …) says what its pages look like.

use super::labels::{self, Label};
use crate::snapshot::Snapshot;
use crate::text::{fold_core, joined, method_names, sorted_by, split_label};

pub struct Page<'a> {
    pub snap: &'a Snapshot,
    /// Each node's text: its own text, or a read-only field's value (`<input readonly value=…>`).
    texts: Vec<&'a str>,
    /// `fold_core` of each node's text.
    folded: Vec<String>,
    /// Visible, outside navigation and code blocks, with text.
    content: Vec<bool>,
    /// The first method name in each content node.
    methods: Vec<Option<String>>,
    /// Where each method name occurs, in tree order.
    /// Each method name in the content with where it is, sorted by name (positions ascending).
    method_positions: Vec<(String, Vec<usize>)>,
    /// Prefix counts over tree order, so any subtree (a contiguous range) is counted in O(1).
    content_before: Vec<usize>,
    methods_before: Vec<usize>,
    /// The subtree the page is limited to (`within`).
    region: Option<usize>,
}

/// Page chrome: a navigation role anywhere, or a chrome tag at page level. Inside `article`,
/// `section` or `main` a `header` is the content's own heading block, not the page's banner
/// (HTML's banner/contentinfo rules), and the same holds for the other chrome tags.
fn is_nav(tag: &str, role: Option<&str>, in_sectioning: bool) -> bool {
    (labels::NAV_TAGS.contains(&tag) && !in_sectioning) || role.is_some_and(|r| labels::NAV_ROLES.contains(&r))
}

impl<'a> Page<'a> {
    pub fn new(snap: &'a Snapshot) -> Page<'a> {
        Page::build(snap, None)
    }

    /// The page as if only the subtree of `root` were shown: an open dialog or drawer over a
    /// list (应用列表 with one app's 应用详情 drawer open).
    pub fn within(&self, root: usize) -> Page<'a> {
        Page::build(self.snap, Some(root))
    }

    /// The subtree this page is limited to, if any.
    pub fn region(&self) -> Option<usize> {
        self.region
    }

    fn build(snap: &'a Snapshot, region: Option<usize>) -> Page<'a> {
        let n = snap.nodes.len();
        let region_end = region.map(|r| snap.subtree_end(r));
        let in_region = |i: usize| region.zip(region_end).is_none_or(|(r, end)| i >= r && i < end);
        let mut outside = vec![true; n];
        let mut sectioning = vec![false; n];
        for (i, node) in snap.nodes.iter().enumerate() {
            let in_sectioning = node.parent.is_some_and(|p| sectioning[p]);
            sectioning[i] = in_sectioning || labels::SECTIONING_TAGS.contains(&node.tag.as_str());
            let own = !is_nav(&node.tag, node.attr("role"), in_sectioning) && !labels::CODE_TAGS.contains(&node.tag.as_str());
            outside[i] = own && node.parent.is_none_or(|p| outside[p]);
        }
        let texts: Vec<&str> = snap.nodes.iter().map(node_text).collect();
        let folded: Vec<String> = texts.iter().map(|t| fold_label(t)).collect();
        let content: Vec<bool> =
            (0..n).map(|i| in_region(i) && outside[i] && snap.nodes[i].visible && !texts[i].trim().is_empty()).collect();
        let methods: Vec<Option<String>> =
            (0..n).map(|i| if content[i] { method_names(texts[i]).into_iter().next() } else { None }).collect();
        let named: Vec<(usize, &str)> = methods.iter().enumerate().filter_map(|(i, m)| Some((i, m.as_deref()?))).collect();
        let mut method_positions: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, name) in sorted_by(named, |a, b| a.1 < b.1) {
            match method_positions.last_mut() {
                Some((last, at)) if last == name => at.push(i),
                _ => method_positions.push((name.to_string(), vec![i])),
            }
        }
        let prefix = |flags: &mut dyn Iterator<Item = bool>| {
            let mut counts = vec![0];
            for f in flags {
                counts.push(counts.last().copied().unwrap_or(0) + usize::from(f));
            }
            counts
        };
        let content_before = prefix(&mut content.iter().copied());
        let methods_before = prefix(&mut methods.iter().map(Option::is_some));
        Page { snap, texts, folded, content, methods, method_positions, content_before, methods_before, region }
    }

    /// Content nodes in the subtree of `a`.
    pub fn content_count(&self, a: usize) -> usize {
        self.content_before[self.snap.subtree_end(a)] - self.content_before[a]
    }

    /// Content nodes naming a method in the subtree of `a`, and how many of them name `name`.
    pub fn method_counts(&self, a: usize, name: &str) -> (usize, usize) {
        let end = self.snap.subtree_end(a);
        let all = self.methods_before[end] - self.methods_before[a];
        let own = match self.method_positions.binary_search_by(|(m, _)| m.as_str().cmp(name)) {
            Ok(k) => {
                let at = &self.method_positions[k].1;
                at.partition_point(|&p| p < end) - at.partition_point(|&p| p < a)
            }
            Err(_) => 0,
        };
        (all, own)
    }

    /// The first method name in node `i`, if it is content.
    pub fn method(&self, i: usize) -> Option<&str> {
        self.methods[i].as_deref()
    }

    /// Every method named in the content, with where, sorted by name.
    pub fn method_positions(&self) -> &[(String, Vec<usize>)] {
        &self.method_positions
    }

    pub fn len(&self) -> usize {
        self.snap.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.snap.nodes.is_empty()
    }

    pub fn text(&self, i: usize) -> &'a str {
        self.texts[i]
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

    /// The visible text of `i` and its descendants (a highlighted code block's spans), joined
    /// with spaces.
    pub fn subtree_text(&self, i: usize) -> String {
        let parts: Vec<&str> = (i..self.snap.subtree_end(i))
            .filter(|&j| self.snap.nodes[j].visible && !self.texts[j].is_empty())
            .map(|j| self.texts[j])
            .collect();
        joined(&parts, " ")
    }

    /// True for a link or an element within one (menu entries, breadcrumbs).
    pub fn in_link(&self, i: usize) -> bool {
        std::iter::once(i).chain(self.snap.ancestors(i)).take(4).any(|a| self.tag(a) == "a")
    }

    /// True for a heading or an element within one (`<h1>名称 <small>open.item.get</small></h1>`).
    pub fn in_heading(&self, i: usize) -> bool {
        self.is_heading(i) || self.snap.ancestors(i).take(3).any(|a| self.is_heading(a))
    }

    /// True for an element that is a dialog (`role="dialog"`, `<dialog>`, a drawer).
    pub fn is_dialog(&self, i: usize) -> bool {
        labels::DIALOG_TAGS.contains(&self.tag(i)) || self.snap.nodes[i].attr("role").is_some_and(|r| labels::DIALOG_ROLES.contains(&r))
    }

    pub fn is_heading(&self, i: usize) -> bool {
        matches!(self.tag(i), "h1" | "h2" | "h3" | "h4" | "h5" | "h6") || self.snap.nodes[i].attr("role") == Some("heading")
    }

    /// If node `i` is one of `labels` — alone (`回调地址`) or with its value (`回调地址：https://…`) —
    /// the value written in the same node ("" when alone).
    pub fn label_in(&self, i: usize, labels: &[Label]) -> Option<String> {
        self.label_where(i, &|folded| labels::is_label(folded, labels))
    }

    /// Like `label_in`, for labels recognised by a rule rather than a list.
    /// (`&dyn`: one copy in the wasm for every rule.)
    pub fn label_where(&self, i: usize, is_label: &dyn Fn(&str) -> bool) -> Option<String> {
        if is_label(&self.folded[i]) {
            return Some(String::new());
        }
        let (label, value) = split_label(self.text(i))?;
        is_label(&fold_label(label)).then(|| value.to_string())
    }

    /// True when node `i` looks like any label (a short text ending in a colon, or a known label).
    pub fn looks_like_label(&self, i: usize) -> bool {
        let text = self.text(i).trim();
        let all: [&[Label]; 6] = [labels::APP_KEY, labels::APP_NAME, labels::CALLBACK, labels::APP_TYPE, labels::SECRETS, labels::USER_ID];
        all.iter().any(|l| labels::is_label(&self.folded[i], l))
            || ((text.ends_with(':') || text.ends_with('：')) && text.chars().count() <= 16)
            || labelled_text(text).is_some()
    }

    /// The table cell (`th`/`td`) that is `i` or holds it closely.
    pub fn cell_of(&self, i: usize) -> Option<usize> {
        std::iter::once(i).chain(self.snap.ancestors(i)).take(4).find(|&a| matches!(self.tag(a), "th" | "td"))
    }

    fn children(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (i + 1..self.snap.subtree_end(i)).filter(move |&j| self.snap.nodes[j].parent == Some(i))
    }

    fn cells(&self, row: usize) -> Vec<usize> {
        self.children(row).filter(|&c| matches!(self.tag(c), "th" | "td")).collect()
    }

    /// The cell in the same column of the next row: a column table's value under its header.
    pub fn cell_below(&self, i: usize) -> Option<usize> {
        let cell = self.cell_of(i)?;
        let row = self.snap.nodes[cell].parent.filter(|&r| self.tag(r) == "tr")?;
        let column = self.cells(row).iter().position(|&c| c == cell)?;
        let table = self.snap.ancestors(row).find(|&a| self.tag(a) == "table")?;
        let table_end = self.snap.subtree_end(table);
        let next_row = (self.snap.subtree_end(row)..table_end).find(|&j| self.tag(j) == "tr")?;
        self.cells(next_row).get(column).copied()
    }

    /// True for a header cell in a row of header cells only (a column table's head).
    pub fn is_column_header(&self, i: usize) -> bool {
        let Some(cell) = self.cell_of(i) else { return false };
        let row = self.snap.nodes[cell].parent.filter(|&r| self.tag(r) == "tr");
        self.tag(cell) == "th" && row.is_some_and(|r| self.cells(r).iter().all(|&c| self.tag(c) == "th"))
    }

    /// If node `i` is one of `labels`, its value: inline, under it in a column table, or in the
    /// next content node(s).
    /// Returns the node holding the value, and the value.
    pub fn field_at(&self, i: usize, labels: &[Label]) -> Option<(usize, String)> {
        let inline = self.label_in(i, labels)?;
        if !inline.is_empty() {
            return Some((i, inline));
        }
        // `<p><b>AppKey</b> ks123</p>`: the label's parent holds the value as its own text (the
        // snapshot lists the parent before the label), and nothing else.
        if let Some(parent) = self.snap.nodes[i]
            .parent
            .filter(|&p| self.content[p] && self.content_count(p) == 2 && !is_chrome(&self.folded[p]) && !self.looks_like_label(p))
        {
            return Some((parent, self.text(parent).trim().to_string()));
        }
        if self.is_column_header(i) {
            let below = self.cell_below(i)?;
            return self.content_within(below).next().map(|j| (j, self.text(j).trim().to_string()));
        }
        for j in self.content_after(i).take(4) {
            if self.looks_like_label(j) {
                break;
            }
            if !is_chrome(&self.folded[j]) {
                return Some((j, self.text(j).trim().to_string()));
            }
        }
        None
    }

    /// The value of a labelled field: what follows the label in the same node, or the next
    /// content node(s) — a `dd`, the next cell, the next `span`. Skips copy-button text.
    pub fn field(&self, labels: &[Label]) -> Option<(usize, String)> {
        self.content().find_map(|i| self.field_at(i, labels))
    }

    /// True if any content node's folded text is one of `words` (or starts with one).
    pub fn has_word(&self, words: &[&str]) -> bool {
        self.content().any(|i| words.iter().any(|w| self.folded[i].starts_with(w)))
    }

    /// Every text and link-bearing attribute of the visible page, nav included (links live in dialogs).
    pub fn visible_strings(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.snap.nodes.iter().enumerate().filter(|(_, n)| n.visible).flat_map(|(i, n)| {
            std::iter::once((i, n.text.as_str()))
                .chain(n.attrs.iter().filter(|(k, _)| k == "href" || k == "value").map(move |(_, v)| (i, v.as_str())))
        })
    }
}

/// What a node says: its own text; else a read-only field's value; else, for an element with
/// nothing inside (an icon), its accessible name (`<i aria-label="已获取">`). A glyph with a
/// name says its name too (`<abbr title="已获取">✓</abbr>`).
fn node_text(node: &crate::snapshot::Node) -> &str {
    let empty_icon = || node.tag != "input" && node.tag != "textarea";
    if labels::is_glyph(&node.text) {
        if let Some(name) = node.attr("aria-label").or_else(|| node.attr("title")).filter(|n| !n.trim().is_empty() && empty_icon()) {
            return name;
        }
    }
    if !node.text.is_empty() {
        return &node.text;
    }
    node.attr("value")
        .or_else(|| node.attr("aria-label").filter(|_| empty_icon()))
        .or_else(|| node.attr("title").filter(|_| empty_icon()))
        .unwrap_or("")
}

/// `"常见问题：…"`, `"过期时间: 2024-06-20"`: a short label, a colon, a value — not a URL's `https:`.
pub fn labelled_text(text: &str) -> Option<(&str, &str)> {
    let (label, value) = split_label(text)?;
    let short = !label.is_empty() && label.chars().count() <= 10 && !label.contains(&['/', '.'][..]);
    (short && !value.starts_with("//")).then_some((label, value))
}

/// A text folded for comparing with labels: `fold_core`, without numbering (`3. 权限说明`), and a
/// bilingual label (`App Key 应用标识`) as its Chinese half.
fn fold_label(text: &str) -> String {
    let folded = without_numbering(fold_core(text));
    match labels::bilingual(&folded) {
        Some(chinese) => chinese.to_string(),
        None => folded,
    }
}

/// Section titles may be numbered: `一、描述`, `3. 权限说明`, `（四）权限` → the title alone.
fn without_numbering(folded: String) -> String {
    let is_numeral = |c: char| c.is_ascii_digit() || "一二三四五六七八九十".contains(c);
    let numbering_end = folded.char_indices().find(|&(_, c)| !is_numeral(c)).map_or(folded.len(), |(at, _)| at);
    let mut rest = folded[numbering_end..].chars();
    match rest.next() {
        Some(',' | '.' | ')' | '、') if numbering_end > 0 && !rest.as_str().is_empty() => rest.as_str().to_string(),
        _ => folded,
    }
}

/// Button and icon text that sits between a label and its value.
fn is_chrome(folded: &str) -> bool {
    matches!(folded, "复制" | "copy" | "查看" | "显示" | "编辑" | "修改" | "*" | ":" | "?" | "i")
}
