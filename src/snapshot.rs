//! The page model every reader works on: the elements of a page in tree order, each with its
//! parent, its own text and a few meaningful attributes. The content script builds it from the
//! live DOM (`extension/shared/snapshot.js`); natively `snapshot::html` builds the same from
//! saved HTML. Readers never see CSS classes or DOM paths, so markup changes do not break them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "native")]
pub mod html;

/// Caps that keep a hostile or huge page cheap to read (a 50 MB page is cut, not choked on).
/// Long runs of rows are collapsed first (see [`Rules`]), so only a page with more than this
/// many meaningful elements is cut, and then says so (`cut`).
pub const MAX_NODES: usize = 60_000;
pub const MAX_TEXT: usize = 4_000;

/// A parent with more element children than this holds a long run (a call log of 20,000 rows).
pub const LONG_RUN: usize = 100;
/// Rows always kept at the start of a long run (and its last row): enough to see what it is.
pub const RUN_HEAD: usize = 40;

/// Elements that end a line of their parent's own text: `应用名称：小店<br>AppKey：ks1` is two
/// lines, each read as its own node (`label：value` works on plain-text pages).
pub const LINE_BREAKERS: &[&str] = &[
    "br",
    "hr",
    "div",
    "p",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "form",
    "fieldset",
    "pre",
    "blockquote",
    "figure",
    "details",
    "summary",
];
/// Between two lines of one element's text (whitespace inside a line is squashed to a space).
pub const LINE_SEPARATOR: char = '\n';
/// The tag of a node holding one line of its parent element's text.
pub const LINE_TAG: &str = "#line";

/// What the snapshot keeps of a long run of rows: the first [`RUN_HEAD`], the last, every row
/// of another tag, and every row whose text holds a signal a reader looks for (a package name,
/// a status, a field label). The signals come from the readers (`read::snapshot_rules`), and
/// reach the content script through `extension/shared/names.js`, so both builders keep the
/// same rows.
#[derive(Debug, Clone, Default)]
pub struct Rules {
    pub row_signals: Vec<String>,
}

impl Rules {
    /// Whether the child at `position` of a parent with `count` element children is left out:
    /// a same-tag row of a long run, past its head, not its last, without a signal. `text`
    /// (all its descendants' text, as `textContent`) is only asked for when it decides.
    pub fn leaves_out(&self, position: usize, count: usize, same_tag_as_first: bool, text: impl FnOnce() -> String) -> bool {
        count > LONG_RUN && position >= RUN_HEAD && position + 1 < count && same_tag_as_first && {
            let text = text();
            !self.row_signals.iter().any(|signal| text.contains(signal.as_str()))
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Snapshot {
    /// The page address; empty for a saved file with no known address.
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub nodes: Vec<Node>,
    /// Rows of long runs left out (see [`Rules`]): counted, never silently lost.
    #[serde(default)]
    pub omitted: usize,
    /// True when the page had more than [`MAX_NODES`] elements to keep and the rest was cut.
    #[serde(default)]
    pub cut: bool,
    /// One past each node's last descendant, filled by `sanitized`.
    #[serde(skip)]
    ends: Vec<usize>,
    /// For each node, the index of the node it came from in the builder's list: a line node
    /// comes from its element (badges anchor to the builder's elements).
    #[serde(skip)]
    source: Vec<usize>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Node {
    /// Lower-case tag name (`div`, `td`, `h1`).
    pub tag: String,
    /// Index of the parent element in `nodes`; `None` for a root.
    #[serde(default)]
    pub parent: Option<usize>,
    /// The element's own text (its direct text children), whitespace squashed.
    #[serde(default)]
    pub text: String,
    /// `href`, `title`, `role`, `aria-label`, `alt`, `type`, and `value` of read-only fields only.
    #[serde(default)]
    pub attrs: Vec<(String, String)>,
    /// False when the element or an ancestor is not rendered (`hidden`, `display:none`, …).
    #[serde(default = "visible_by_default")]
    pub visible: bool,
}

fn visible_by_default() -> bool {
    true
}

/// The attributes worth keeping: they carry meaning (a link, a role, a tooltip), not style.
pub const KEPT_ATTRIBUTES: &[&str] = &["href", "title", "role", "aria-label", "alt", "type", "value"];

/// Kept, empty, on a ticked checkbox or radio button (as the page shows it now: the content
/// script reads the live state), after the kept attributes.
pub const CHECKED: &str = "checked";

/// A checkbox or radio button, by its `type`: whether it is ticked is page data (the packages a
/// token holds, ticked in a list).
pub fn is_tick_box(input_type: Option<&str>) -> bool {
    input_type.is_some_and(|t| t.eq_ignore_ascii_case("checkbox") || t.eq_ignore_ascii_case("radio"))
}

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

/// Two snapshots are equal when they say the same; the derived indices (`ends`, `source`) are
/// not part of what a snapshot says (its JSON form has neither).
impl PartialEq for Snapshot {
    fn eq(&self, other: &Snapshot) -> bool {
        self.url == other.url && self.nodes == other.nodes && self.omitted == other.omitted && self.cut == other.cut
    }
}

/// Each node whose text has several lines becomes its element (no text) followed by one
/// [`LINE_TAG`] child per line; returns the nodes and where each came from. Parents must
/// already come before their children.
fn split_lines(nodes: Vec<Node>) -> (Vec<Node>, Vec<usize>) {
    if !nodes.iter().any(|n| n.text.contains(LINE_SEPARATOR)) {
        let source = (0..nodes.len()).collect();
        return (nodes, source);
    }
    let mut out = Vec::with_capacity(nodes.len());
    let mut source = Vec::with_capacity(nodes.len());
    let mut moved_to = Vec::with_capacity(nodes.len());
    for (i, mut node) in nodes.into_iter().enumerate() {
        node.parent = node.parent.map(|p| moved_to[p]);
        let at = out.len();
        moved_to.push(at);
        if !node.text.contains(LINE_SEPARATOR) {
            out.push(node);
            source.push(i);
            continue;
        }
        let text = std::mem::take(&mut node.text);
        let visible = node.visible;
        out.push(node);
        source.push(i);
        for line in text.split(LINE_SEPARATOR).map(str::trim).filter(|l| !l.is_empty()) {
            out.push(Node { tag: LINE_TAG.into(), parent: Some(at), text: line.into(), attrs: Vec::new(), visible });
            source.push(i);
        }
    }
    (out, source)
}

impl Snapshot {
    /// A snapshot of the given nodes, ready for reading.
    pub fn new(url: impl Into<String>, nodes: Vec<Node>) -> Snapshot {
        Snapshot { url: url.into(), nodes, ..Snapshot::default() }.sanitized()
    }

    /// The snapshot, noting what its builder left out or cut.
    pub fn with_losses(mut self, omitted: usize, cut: bool) -> Snapshot {
        self.omitted = omitted;
        self.cut |= cut;
        self
    }

    /// Drops what breaks the model's promises (parents after children, oversize text, too many nodes)
    /// so readers can index without checks. Input from the page is untrusted.
    pub fn sanitized(mut self) -> Snapshot {
        if self.nodes.len() > MAX_NODES {
            self.nodes.truncate(MAX_NODES);
            self.cut = true;
        }
        for i in 0..self.nodes.len() {
            let node = &mut self.nodes[i];
            if node.parent.is_some_and(|p| p >= i) {
                node.parent = None;
            }
            if let Some((at, _)) = node.text.char_indices().nth(MAX_TEXT) {
                // Marked as cut, so a reader never takes the clipped text for a whole value.
                node.text.truncate(at);
                node.text.push('…');
            }
            node.tag.make_ascii_lowercase();
        }
        (self.nodes, self.source) = split_lines(std::mem::take(&mut self.nodes));
        // Descendants follow their element contiguously, so one backward pass finds each subtree's end.
        let mut ends: Vec<usize> = (1..=self.nodes.len()).collect();
        for i in (0..self.nodes.len()).rev() {
            if let Some(p) = self.nodes[i].parent {
                ends[p] = ends[p].max(ends[i]);
            }
        }
        self.ends = ends;
        // Visibility is inherited: a hidden dialog hides its links too.
        for i in 0..self.nodes.len() {
            if let Some(p) = self.nodes[i].parent {
                if !self.nodes[p].visible {
                    self.nodes[i].visible = false;
                }
            }
        }
        self
    }

    /// Ancestors of `i`, nearest first (not including `i`).
    pub fn ancestors(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.nodes[i].parent, move |&p| self.nodes[p].parent)
    }

    /// True when `a` is `i` or one of its ancestors.
    pub fn is_within(&self, i: usize, a: usize) -> bool {
        i == a || self.ancestors(i).any(|p| p == a)
    }

    /// The index one past the last descendant of `i` (descendants are contiguous in tree order).
    pub fn subtree_end(&self, i: usize) -> usize {
        match self.ends.get(i) {
            Some(&end) => end,
            None => (i + 1..self.nodes.len()).find(|&j| !self.is_within(j, i)).unwrap_or(self.nodes.len()),
        }
    }

    /// The index, in the builder's list, of the node `i` came from (its element for a line).
    pub fn source_of(&self, i: usize) -> usize {
        self.source.get(i).copied().unwrap_or(i)
    }

    /// Visible nodes with text, in reading order.
    pub fn texts(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.nodes.iter().enumerate().filter(|(_, n)| n.visible && !n.text.is_empty()).map(|(i, n)| (i, n.text.as_str()))
    }

    /// The query parameter `key` of the page address (`?name=open.item.get`).
    pub fn url_param(&self, key: &str) -> Option<String> {
        let query = self.url.split_once('?')?.1.split('#').next()?;
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == key)
            .map(|(_, v)| crate::text::percent_decoded(&v.replace('+', " ")))
    }

    /// The path of the page address (`/zone/new/docs/api`).
    pub fn url_path(&self) -> &str {
        let after_scheme = self.url.split_once("://").map_or(self.url.as_str(), |(_, rest)| rest);
        let path_start = after_scheme.find('/').unwrap_or(after_scheme.len());
        let path = &after_scheme[path_start..];
        path.split(&['?', '#'][..]).next().unwrap_or("")
    }
}
