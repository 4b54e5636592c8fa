//! Native only: builds a `Snapshot` from saved HTML, following the same rules as the content
//! script's `extension/shared/snapshot.js`. html5ever's tree builder parses the page (as a
//! browser would: implied tags, foster parenting, template contents) into a lean arena
//! ([`dom`]) that keeps only what the snapshot reads; the walk over it is the snapshot.

mod dom;

use super::{is_tick_box, Node, Rules, Snapshot, CHECKED, KEPT_ATTRIBUTES, LINE_BREAKERS, LINE_SEPARATOR, MAX_NODES};
use dom::{Attr, Data, Dom, Id, NONE};
use html5ever::{local_name, LocalName};
use std::collections::HashMap;

/// Rules keeping no row for its text.
const NO_SIGNALS: Rules = Rules { row_signals: Vec::new() };

/// Elements whose content is never page text.
const SKIPPED: &[&str] = &["script", "style", "template", "noscript", "head", "svg", "iframe", "object"];

/// The snapshot of a saved page; `rules` say which rows of a long run are kept.
pub fn from_html(html: &str, url: &str, rules: &Rules) -> Snapshot {
    let dom = dom::parse(html);
    let kept_attributes = KEPT_ATTRIBUTES.iter().map(|name| (*name, Attr::named(name).expect("every kept attribute is parsed"))).collect();
    let mut walk = Walk {
        dom: &dom,
        nodes: Vec::new(),
        omitted: 0,
        cut: false,
        rules,
        signals: Signals::new(&rules.row_signals),
        row_text: String::new(),
        line_breakers: LINE_BREAKERS.iter().map(|name| LocalName::from(*name)).collect(),
        kept_attributes,
        shown_options: HashMap::new(),
    };
    walk.run(dom.root_element());
    let url = if url.is_empty() { canonical_url(&dom).unwrap_or_default() } else { url.to_string() };
    let Walk { nodes, omitted, cut, .. } = walk;
    Snapshot::new(url, nodes).with_losses(omitted, cut)
}

/// A saved page keeps its address in `<link rel=canonical>` or `<meta property=og:url>`, if
/// anywhere: the first such element made while parsing (as the CSS selector
/// `link[rel="canonical"], meta[property="og:url"]` finds it: any namespace, `rel` ignoring
/// ASCII case on an HTML element, a node still in a tree).
fn canonical_url(dom: &Dom) -> Option<String> {
    let is_address = |id: Id| {
        let node = dom.node(id);
        let Data::Element { local, html, .. } = &node.data else { return false };
        node.parent != NONE
            && match *local {
                local_name!("link") => {
                    dom.attr(id, Attr::Rel)
                        .is_some_and(|rel| if *html { rel.eq_ignore_ascii_case("canonical") } else { rel == "canonical" })
                }
                local_name!("meta") => dom.attr(id, Attr::Property) == Some("og:url"),
                _ => false,
            }
    };
    let element = dom.links.iter().copied().find(|&id| is_address(id))?;
    dom.attr(element, Attr::Href).or_else(|| dom.attr(element, Attr::Content)).map(str::to_string)
}

struct Walk<'a> {
    dom: &'a Dom,
    nodes: Vec<Node>,
    omitted: usize,
    cut: bool,
    rules: &'a Rules,
    signals: Signals<'a>,
    /// The text of the row [`Walk::kept_children`] looks at.
    row_text: String,
    /// [`LINE_BREAKERS`] as names.
    line_breakers: Vec<LocalName>,
    /// [`KEPT_ATTRIBUTES`], each with its parsed attribute.
    kept_attributes: Vec<(&'static str, Attr)>,
    /// The option each `<select>` met so far shows.
    shown_options: HashMap<Id, Option<Id>>,
}

impl Walk<'_> {
    /// The elements in tree order, with an explicit stack: a page nested 100,000 deep must not
    /// overflow the native stack (the content script's walk is iterative too).
    fn run(&mut self, root: Id) {
        let mut stack: Vec<(Id, Option<usize>)> = vec![(root, None)];
        while let Some((element, parent)) = stack.pop() {
            if self.nodes.len() >= MAX_NODES {
                self.cut = true;
                return;
            }
            if let Some(index) = self.visit(element, parent) {
                let children = self.kept_children(element);
                // Reversed, so the first child is visited next: tree order.
                stack.extend(children.into_iter().rev().map(|child| (child, Some(index))));
            }
        }
    }

    /// The element children the snapshot keeps: all but the signal-less rows of a long run.
    fn kept_children(&mut self, element: Id) -> Vec<Id> {
        let dom = self.dom;
        let children = dom.element_children(element);
        let Some(first) = children.first().and_then(|&c| dom.name(c)) else { return children };
        let count = children.len();
        let mut kept = Vec::with_capacity(count);
        for (k, &child) in children.iter().enumerate() {
            if !self.leaves_out(k, count, dom.is(child, first), child) {
                kept.push(child);
            }
        }
        self.omitted += count - kept.len();
        kept
    }

    /// [`Rules::leaves_out`] for the row `child`, its text (`textContent`) searched for all the
    /// signals at once ([`Signals`]) rather than once per signal: a row holding none is decided
    /// as by rules without signals (left out when a row of a run is left out at all), a row
    /// holding one by the rules themselves.
    fn leaves_out(&mut self, position: usize, count: usize, same_tag_as_first: bool, child: Id) -> bool {
        let mut has_signal = false;
        let left_out = NO_SIGNALS.leaves_out(position, count, same_tag_as_first, || {
            self.row_text.clear();
            self.dom.push_text(child, &mut self.row_text);
            has_signal = self.signals.any_in(&self.row_text);
            String::new()
        });
        if has_signal {
            self.rules.leaves_out(position, count, same_tag_as_first, || self.row_text.clone())
        } else {
            left_out
        }
    }

    /// Adds one element (unless its content is never page text) and returns its index.
    fn visit(&mut self, element: Id, parent: Option<usize>) -> Option<usize> {
        let dom = self.dom;
        let name: &str = dom.name(element)?;
        if SKIPPED.iter().any(|skipped| name.eq_ignore_ascii_case(skipped)) {
            return None;
        }
        let tag = name.to_ascii_lowercase();
        let read_only = dom.attr(element, Attr::ReadOnly).is_some() || dom.attr(element, Attr::Disabled).is_some();
        let mut attrs: Vec<(String, String)> = self
            .kept_attributes
            .iter()
            // Never keep what a user typed (a pasted token); read-only fields hold page data such as links.
            .filter(|(_, attr)| *attr != Attr::Value || (read_only && matches!(tag.as_str(), "input" | "textarea")))
            .filter_map(|(name, attr)| dom.attr(element, *attr).map(|v| (name.to_string(), v.to_string())))
            .collect();
        if tag == "input" && dom.attr(element, Attr::Checked).is_some() && is_tick_box(dom.attr(element, Attr::Type)) {
            attrs.push((CHECKED.to_string(), String::new()));
        }
        let text = if tag == "textarea" && !read_only { String::new() } else { own_text(dom, element, &self.line_breakers) };
        let visible = !self.is_hidden(element) && !in_closed_details(dom, element);
        let index = self.nodes.len();
        self.nodes.push(Node { tag, parent, text, attrs, visible });
        Some(index)
    }

    /// What a saved page can tell without layout: `hidden`, `aria-hidden`, inline `display:none` /
    /// `visibility:hidden`.
    fn is_hidden(&mut self, element: Id) -> bool {
        let dom = self.dom;
        if dom.is(element, &local_name!("option")) && !self.is_shown_option(element) {
            return true;
        }
        if dom.attr(element, Attr::Hidden).is_some()
            || dom.attr(element, Attr::AriaHidden) == Some("true")
            || dom.is(element, &local_name!("input")) && dom.attr(element, Attr::Type) == Some("hidden")
        {
            return true;
        }
        let Some(style) = dom.attr(element, Attr::Style) else { return false };
        let style: String = style.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    }

    /// A `<select>` shows one option: the selected one, else the first.
    fn is_shown_option(&mut self, option: Id) -> bool {
        let dom = self.dom;
        let select_name = local_name!("select");
        let Some(select) = dom.ancestors(option).find(|&a| dom.is(a, &select_name)) else { return true };
        let shown = *self.shown_options.entry(select).or_insert_with(|| {
            let option_name = local_name!("option");
            let options: Vec<Id> = dom.descendants(select).filter(|&d| dom.is(d, &option_name)).collect();
            options.iter().copied().find(|&o| dom.attr(o, Attr::Selected).is_some()).or(options.first().copied())
        });
        shown == Some(option)
    }
}

/// Whether a row's text holds one of the rules' signals, in one pass over the text instead of
/// one search per signal (tens of signals, tens of thousands of rows).
struct Signals<'r> {
    all: &'r [String],
    /// True when some signal is shorter than [`Signals::KEY`] bytes: then each is searched for.
    short: bool,
    /// The bytes a signal starts with.
    starts: [bool; 256],
    /// One bit per [`Signals::key`] of a signal's first bytes.
    keys: Vec<u64>,
    /// The signals by the key of their first bytes.
    by_key: Vec<(usize, &'r str)>,
}

impl<'r> Signals<'r> {
    const KEY: usize = 3;
    const BITS: usize = 1 << 16;

    fn new(all: &'r [String]) -> Signals<'r> {
        let short = all.iter().any(|s| s.len() < Self::KEY);
        let mut starts = [false; 256];
        let mut keys = vec![0u64; Self::BITS / 64];
        let mut by_key: Vec<(usize, &str)> = Vec::new();
        for signal in all.iter().filter(|s| s.len() >= Self::KEY) {
            let b = signal.as_bytes();
            let key = Self::key(b[0], b[1], b[2]);
            starts[b[0] as usize] = true;
            keys[key / 64] |= 1 << (key % 64);
            by_key.push((key, signal));
        }
        by_key.sort_unstable();
        Signals { all, short, starts, keys, by_key }
    }

    /// A hash of a signal's first [`Signals::KEY`] bytes.
    #[inline(always)]
    fn key(b0: u8, b1: u8, b2: u8) -> usize {
        ((b0 as usize) << 8 ^ (b1 as usize) << 4 ^ (b2 as usize) << 12 ^ b2 as usize) % Self::BITS
    }

    /// Whether `text` contains one of the signals, exactly as `text.contains(signal)` for each
    /// (both are UTF-8, so a byte match is a character match).
    fn any_in(&self, text: &str) -> bool {
        if self.short {
            return self.all.iter().any(|signal| text.contains(signal.as_str()));
        }
        let bytes = text.as_bytes();
        for i in 0..bytes.len().saturating_sub(Self::KEY - 1) {
            if !self.starts[bytes[i] as usize] {
                continue;
            }
            let key = Self::key(bytes[i], bytes[i + 1], bytes[i + 2]);
            if self.keys[key / 64] & (1 << (key % 64)) == 0 {
                continue;
            }
            let from = self.by_key.partition_point(|(k, _)| *k < key);
            if self.by_key[from..].iter().take_while(|(k, _)| *k == key).any(|(_, signal)| bytes[i..].starts_with(signal.as_bytes())) {
                return true;
            }
        }
        false
    }
}

/// The element's direct text children, a space between two, squashed; a `<br>` or a block
/// child ([`LINE_BREAKERS`]) between them starts a new line, and a `<wbr>` joins them (it only
/// marks where a long word may wrap: `ks2093<wbr>84716650` is one appKey).
fn own_text(dom: &Dom, element: Id, line_breakers: &[LocalName]) -> String {
    let mut lines = String::new();
    let mut line = String::new();
    let mut end_line = |line: &mut String| {
        if !line.is_empty() {
            if !lines.is_empty() {
                lines.push(LINE_SEPARATOR);
            }
            lines.push_str(line);
            line.clear();
        }
    };
    // Whether the last child was a `<wbr>` right after text that ends in a word.
    let mut joined = false;
    let mut ends_in_word = false;
    for child in dom.children(element) {
        match &dom.node(child).data {
            // Each text's words, one space between two (as `squash` of the texts joined by spaces).
            Data::Text(text) => {
                let glued = joined && !text.starts_with(char::is_whitespace);
                for (i, word) in text.split_whitespace().enumerate() {
                    if !line.is_empty() && (i > 0 || !glued) {
                        line.push(' ');
                    }
                    line.push_str(word);
                }
                ends_in_word = !line.is_empty() && !text.ends_with(char::is_whitespace);
                joined = false;
            }
            Data::Element { local, .. } => {
                joined = ends_in_word && *local == local_name!("wbr");
                ends_in_word = false;
                if line_breakers.contains(local) {
                    end_line(&mut line);
                }
            }
            _ => {}
        }
    }
    end_line(&mut line);
    lines
}

/// A closed `<details>` renders only its `<summary>`.
fn in_closed_details(dom: &Dom, element: Id) -> bool {
    let parent = dom.node(element).parent;
    parent != NONE
        && dom.is(parent, &local_name!("details"))
        && dom.attr(parent, Attr::Open).is_none()
        && !dom.is(element, &local_name!("summary"))
}

/// Elements that never nest (void) or close themselves when a sibling opens (`<li>`, `<p>`…):
/// they do not deepen the tree, whatever the markup says.
const NON_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li", "dt", "dd", "tr",
    "td", "th", "option", "tbody", "thead", "tfoot", "colgroup", "rt", "rp", "optgroup",
];

/// How deep the markup nests, estimated from its tags without parsing: the guard that keeps a
/// hostile page (tens of thousands of unclosed `<div>`s) away from html5ever, whose tree
/// building slows quadratically with depth. One pass over the bytes, in plain loops (the gaps
/// between tags are short: a search routine's setup would cost more than the search).
pub fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let len = bytes.len();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    loop {
        while i < len && bytes[i] != b'<' {
            i += 1;
        }
        if i == len {
            return deepest;
        }
        i += 1;
        if bytes[i..].starts_with(b"!--") {
            i = html[i..].find("-->").map_or(len, |end| i + end + 3);
            continue;
        }
        let closing = i < len && bytes[i] == b'/';
        let start = i + usize::from(closing);
        let mut end = start;
        while end < len && bytes[end].is_ascii_alphanumeric() {
            end += 1;
        }
        if end == start || is_non_nesting(&bytes[start..end]) {
            continue;
        }
        let mut tag_end = end;
        while tag_end < len && bytes[tag_end] != b'>' {
            tag_end += 1;
        }
        if closing {
            depth = depth.saturating_sub(1);
        } else if bytes[tag_end - 1] != b'/' {
            depth += 1;
            deepest = deepest.max(depth);
        }
        i = tag_end;
    }
}

/// Whether a tag name (ASCII letters and digits, any case) is one of [`NON_NESTING`].
fn is_non_nesting(name: &[u8]) -> bool {
    name.len() <= 8 && NON_NESTING_KEYS.contains(&name_key(name))
}

/// A tag name of up to 8 bytes as one number, lower-cased: one comparison per name.
const fn name_key(name: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < name.len() {
        key |= (name[i].to_ascii_lowercase() as u64) << (8 * i);
        i += 1;
    }
    key
}

const NON_NESTING_KEYS: [u64; NON_NESTING.len()] = {
    let mut keys = [0u64; NON_NESTING.len()];
    let mut i = 0;
    while i < keys.len() {
        assert!(NON_NESTING[i].len() <= 8, "a longer name needs a longer key");
        keys[i] = name_key(NON_NESTING[i].as_bytes());
        i += 1;
    }
    keys
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_tree_order_text_and_visibility() {
        let snap = from_html(
            r#"<html><head><title>t</title><script>x()</script></head><body><div id="a" class="x1">
               <h1 title="tip">获取商品详情 <span>open.item.get</span></h1>
               <div style="display: none"><p>hidden</p></div>
               <input value="secret-token"><input readonly value="https://open.kwaixiaodian.com/oauth/authorize?a=1">
               <textarea>typed token</textarea></div></body></html>"#,
            "https://open.kwaixiaodian.com/x",
            &Rules::default(),
        );
        let texts: Vec<_> = snap.texts().map(|(_, t)| t).collect();
        assert_eq!(texts, vec!["获取商品详情", "open.item.get"]);
        let h1 = snap.nodes.iter().position(|n| n.tag == "h1").unwrap();
        assert_eq!(snap.nodes[h1].attr("title"), Some("tip"));
        assert_eq!(snap.nodes[h1 + 1].parent, Some(h1));
        let p = snap.nodes.iter().position(|n| n.tag == "p").unwrap();
        assert!(!snap.nodes[p].visible);
        let values: Vec<_> = snap.nodes.iter().filter_map(|n| n.attr("value")).collect();
        assert_eq!(values, vec!["https://open.kwaixiaodian.com/oauth/authorize?a=1"]);
        assert!(!snap.nodes.iter().any(|n| n.text.contains("token")));
    }

    #[test]
    fn breaks_and_blocks_split_an_elements_text_into_lines() {
        let snap = from_html(
            "<body><div>应用名称：小店<br>AppKey：ks123<br/> <b>x</b> 回调地址：https://a.example/cb<div>inner</div>tail</div></body>",
            "",
            &Rules::default(),
        );
        let div = snap.nodes.iter().position(|n| n.tag == "div").unwrap();
        assert_eq!(snap.nodes[div].text, "");
        let lines: Vec<(&str, Option<usize>, usize)> = snap
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.tag == crate::snapshot::LINE_TAG)
            .map(|(i, n)| (n.text.as_str(), n.parent, snap.source_of(i)))
            .collect();
        let source = snap.source_of(div);
        assert_eq!(
            lines,
            vec![
                ("应用名称：小店", Some(div), source),
                ("AppKey：ks123", Some(div), source),
                ("回调地址：https://a.example/cb", Some(div), source),
                ("tail", Some(div), source),
            ]
        );
        // A single line stays the element's own text, as before.
        let b = snap.nodes.iter().position(|n| n.tag == "b").unwrap();
        assert_eq!(snap.nodes[b].text, "x");
        assert_eq!(snap.source_of(b), b - 4, "the four line nodes come before it, from one source element");
    }

    #[test]
    fn long_runs_keep_their_head_last_row_and_rows_with_a_signal() {
        let rows: String = (0..5000)
            .map(|k| match k {
                3000 => "<tr><td>merchant_order</td><td>已获取</td></tr>".to_string(),
                _ => format!("<tr><td>2026-11-28 12:00:{k}</td><td>open.item.get</td></tr>"),
            })
            .collect();
        let html = format!("<table><tbody>{rows}</tbody></table><p>权限包</p>");
        let rules = Rules { row_signals: vec!["merchant_".into()] };
        let snap = from_html(&html, "", &rules);
        let rows = snap.nodes.iter().filter(|n| n.tag == "tr").count();
        assert_eq!(rows, crate::snapshot::RUN_HEAD + 2, "the head, the signal row and the last row");
        assert_eq!(snap.omitted, 5000 - rows);
        assert!(!snap.cut);
        assert!(snap.texts().any(|(_, t)| t == "merchant_order"));
        assert!(snap.texts().any(|(_, t)| t == "2026-11-28 12:00:4999"));
        assert_eq!(snap.texts().last().map(|(_, t)| t), Some("权限包"), "the page after the run is read");
    }

    /// Every node as (tag, parent, text, visible).
    fn shape(snap: &Snapshot) -> Vec<(&str, Option<usize>, &str, bool)> {
        snap.nodes.iter().map(|n| (n.tag.as_str(), n.parent, n.text.as_str(), n.visible)).collect()
    }

    fn read(html: &str) -> Snapshot {
        from_html(html, "", &Rules::default())
    }

    #[test]
    fn parses_as_a_browser_does() {
        // Text in a table is fostered out before it, into one text node with the later stray text.
        assert_eq!(
            shape(&read("<table>stray<tr><td>a</td>x</tr></table>")),
            vec![
                ("html", None, "", true),
                ("body", Some(0), "strayx", true),
                ("table", Some(1), "", true),
                ("tbody", Some(2), "", true),
                ("tr", Some(3), "", true),
                ("td", Some(4), "a", true),
            ]
        );
        // A <p> closes the open one; a <div> closes it too.
        assert_eq!(
            shape(&read("<p>one<p>two<div>three</div>four")),
            vec![
                ("html", None, "", true),
                ("body", Some(0), "four", true),
                ("p", Some(1), "one", true),
                ("p", Some(1), "two", true),
                ("div", Some(1), "three", true)
            ]
        );
        // A comment keeps two texts apart; entities are decoded; template contents are no text.
        assert_eq!(
            shape(&read("<div>a<!--c-->b &amp; c<template><p>t</p></template></div>")),
            vec![("html", None, "", true), ("body", Some(0), "", true), ("div", Some(1), "a b & c", true)]
        );
        // Upper-case markup; <link rel=Canonical> gives the address; svg (and its CDATA) is skipped.
        let snap = read("<HEAD><LINK REL=Canonical HREF=/page></HEAD><DIV TITLE=T>Up<BR>Case</DIV><svg><![CDATA[x]]><text>y</text></svg>");
        assert_eq!(snap.url, "/page");
        assert_eq!(
            shape(&snap),
            vec![
                ("html", None, "", true),
                ("body", Some(0), "", true),
                ("div", Some(1), "", true),
                (crate::snapshot::LINE_TAG, Some(2), "Up", true),
                (crate::snapshot::LINE_TAG, Some(2), "Case", true),
                ("br", Some(2), "", true),
            ]
        );
        assert_eq!(snap.nodes[2].attr("title"), Some("T"));
        assert_eq!(from_html("<link rel=canonical href=/page>", "https://given.example/", &Rules::default()).url, "https://given.example/");
    }

    #[test]
    fn a_select_shows_one_option_and_closed_details_their_summary() {
        assert_eq!(
            shape(&read("<select><option>a<option selected>b</select><select><option>c<option>d</select>")),
            vec![
                ("html", None, "", true),
                ("body", Some(0), "", true),
                ("select", Some(1), "", true),
                ("option", Some(2), "a", false),
                ("option", Some(2), "b", true),
                ("select", Some(1), "", true),
                ("option", Some(5), "c", true),
                ("option", Some(5), "d", false),
            ]
        );
        assert_eq!(
            shape(&read("<details><summary>s</summary><p>closed</p></details><details open><p>open</p></details>")),
            vec![
                ("html", None, "", true),
                ("body", Some(0), "", true),
                ("details", Some(1), "", true),
                ("summary", Some(2), "s", true),
                ("p", Some(2), "closed", false),
                ("details", Some(1), "", true),
                ("p", Some(5), "open", true),
            ]
        );
    }

    #[test]
    fn deep_nesting_is_read_whole() {
        let snap = read(&format!("{}deep{}", "<div>".repeat(3000), "</div>".repeat(3000)));
        assert_eq!(snap.nodes.len(), 3002);
        assert_eq!(snap.nodes[3001].text, "deep");
        assert_eq!(snap.ancestors(3001).count(), 3001);
    }

    #[test]
    fn the_one_pass_signal_search_decides_as_the_rules_do() {
        let rule_sets = [
            crate::read::labels::snapshot_rules(),
            Rules { row_signals: vec!["merchant_".into(), "权限".into()] },
            Rules { row_signals: vec!["a".into(), "权".into()] },
            Rules { row_signals: vec![String::new()] },
        ];
        let texts = [
            "",
            "2024-06-20 00:00:01open.order.cursor.list成功49ms",
            "merchant_order",
            "xmerchant_",
            "merchant",
            "订单API权限",
            "权",
            "ab",
            "已获取",
            "申请中 user_info",
            "\u{1F600}\u{0}é",
        ];
        for rules in &rule_sets {
            let signals = Signals::new(&rules.row_signals);
            for text in texts {
                let holds = rules.row_signals.iter().any(|s| text.contains(s.as_str()));
                assert_eq!(signals.any_in(text), holds, "{text:?} in {:?}", rules.row_signals);
                for (position, count, same) in [(50, 200, true), (0, 200, true), (199, 200, true), (50, 200, false), (50, 90, true)] {
                    let decided = rules.leaves_out(position, count, same, || text.to_string());
                    let shortcut = if holds { decided } else { NO_SIGNALS.leaves_out(position, count, same, String::new) };
                    assert_eq!(decided, shortcut, "{text:?} at {position} of {count}");
                }
            }
        }
    }

    #[test]
    fn nesting_depth_counts_open_elements_from_the_tags() {
        assert_eq!(nesting_depth(""), 0);
        assert_eq!(nesting_depth("<div><DIV><p><br>text</div></div>"), 2);
        assert_eq!(nesting_depth("<div/><div><!-- <div><div><div> --><span>"), 2);
        assert_eq!(nesting_depth("</div></div><div>"), 1);
        assert_eq!(nesting_depth("<colgroup><optgroup><option><td><tr><a"), 1);
        assert_eq!(nesting_depth("<é><1a><div"), 2);
    }
}
