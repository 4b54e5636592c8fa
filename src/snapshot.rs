//! The page model every reader works on: the elements of a page in tree order, each with its
//! parent, its own text and a few meaningful attributes. The content script builds it from the
//! live DOM (`extension/shared/snapshot.js`); natively `snapshot::html` builds the same from
//! saved HTML. Readers never see CSS classes or DOM paths, so markup changes do not break them.

use serde::{Deserialize, Serialize};

#[cfg(feature = "native")]
pub mod html;

/// Caps that keep a hostile or huge page cheap to read (a 50 MB page is cut, not choked on).
pub const MAX_NODES: usize = 60_000;
pub const MAX_TEXT: usize = 4_000;

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Snapshot {
    /// The page address; empty for a saved file with no known address.
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub nodes: Vec<Node>,
    /// One past each node's last descendant, filled by `sanitized`.
    #[serde(skip)]
    ends: Vec<usize>,
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

impl Node {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

impl Snapshot {
    /// A snapshot of the given nodes, ready for reading.
    pub fn new(url: impl Into<String>, nodes: Vec<Node>) -> Snapshot {
        Snapshot { url: url.into(), nodes, ends: Vec::new() }.sanitized()
    }

    /// Drops what breaks the model's promises (parents after children, oversize text, too many nodes)
    /// so readers can index without checks. Input from the page is untrusted.
    pub fn sanitized(mut self) -> Snapshot {
        self.nodes.truncate(MAX_NODES);
        for i in 0..self.nodes.len() {
            let node = &mut self.nodes[i];
            if node.parent.is_some_and(|p| p >= i) {
                node.parent = None;
            }
            if node.text.len() > MAX_TEXT {
                // Marked as cut, so a reader never takes the clipped text for a whole value.
                node.text = format!("{}…", crate::text::clip(&node.text, MAX_TEXT));
            }
            node.tag.make_ascii_lowercase();
        }
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

    /// The visible text of `i` and its descendants, joined with spaces.
    pub fn subtree_text(&self, i: usize) -> String {
        let parts: Vec<&str> = (i..self.subtree_end(i))
            .filter(|&j| self.nodes[j].visible)
            .map(|j| self.nodes[j].text.as_str())
            .filter(|t| !t.is_empty())
            .collect();
        parts.join(" ")
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
            .map(|(_, v)| percent_encoding::percent_decode_str(&v.replace('+', " ")).decode_utf8_lossy().into_owned())
    }

    /// The path of the page address (`/zone/new/docs/api`).
    pub fn url_path(&self) -> &str {
        let after_scheme = self.url.split_once("://").map_or(self.url.as_str(), |(_, rest)| rest);
        let path_start = after_scheme.find('/').unwrap_or(after_scheme.len());
        let path = &after_scheme[path_start..];
        path.split(['?', '#']).next().unwrap_or("")
    }
}
