//! Native only: builds a `Snapshot` from saved HTML with `scraper` (html5ever), following the
//! same rules as the content script's `extension/shared/snapshot.js`.

use super::{Node, Rules, Snapshot, KEPT_ATTRIBUTES, LINE_BREAKERS, LINE_SEPARATOR, MAX_NODES};
use crate::text::squash;
use scraper::{ElementRef, Html};

/// Elements whose content is never page text.
const SKIPPED: &[&str] = &["script", "style", "template", "noscript", "head", "svg", "iframe", "object"];

/// The snapshot of a saved page; `rules` say which rows of a long run are kept.
pub fn from_html(html: &str, url: &str, rules: &Rules) -> Snapshot {
    let document = Html::parse_document(html);
    let mut walk = Walk { nodes: Vec::new(), omitted: 0, cut: false, rules };
    walk.run(document.root_element());
    let url = if url.is_empty() { canonical_url(&document).unwrap_or_default() } else { url.to_string() };
    let Walk { nodes, omitted, cut, .. } = walk;
    Snapshot::new(url, nodes).with_losses(omitted, cut)
}

/// A saved page keeps its address in `<link rel=canonical>` or `<meta property=og:url>`, if anywhere.
fn canonical_url(document: &Html) -> Option<String> {
    let selector = scraper::Selector::parse(r#"link[rel="canonical"], meta[property="og:url"]"#).ok()?;
    let element = document.select(&selector).next()?;
    element.value().attr("href").or_else(|| element.value().attr("content")).map(str::to_string)
}

struct Walk<'r> {
    nodes: Vec<Node>,
    omitted: usize,
    cut: bool,
    rules: &'r Rules,
}

impl Walk<'_> {
    /// The elements in tree order, with an explicit stack: a page nested 100,000 deep must not
    /// overflow the native stack (the content script's walk is iterative too).
    fn run(&mut self, root: ElementRef) {
        let mut stack: Vec<(ElementRef, Option<usize>)> = vec![(root, None)];
        while let Some((element, parent)) = stack.pop() {
            if self.nodes.len() >= MAX_NODES {
                self.cut = true;
                return;
            }
            if let Some(index) = visit(element, parent, &mut self.nodes) {
                let children = self.kept_children(element);
                // Reversed, so the first child is visited next: tree order.
                stack.extend(children.into_iter().rev().map(|child| (child, Some(index))));
            }
        }
    }

    /// The element children the snapshot keeps: all but the signal-less rows of a long run.
    fn kept_children<'a>(&mut self, element: ElementRef<'a>) -> Vec<ElementRef<'a>> {
        let children: Vec<ElementRef> = element.children().filter_map(ElementRef::wrap).collect();
        let Some(first) = children.first().map(|c| c.value().name()) else { return children };
        let count = children.len();
        let kept: Vec<ElementRef> = children
            .iter()
            .enumerate()
            .filter(|(k, child)| !self.rules.leaves_out(*k, count, child.value().name() == first, || child.text().collect()))
            .map(|(_, child)| *child)
            .collect();
        self.omitted += count - kept.len();
        kept
    }
}

/// Adds one element (unless its content is never page text) and returns its index.
fn visit(element: ElementRef, parent: Option<usize>, nodes: &mut Vec<Node>) -> Option<usize> {
    let tag = element.value().name().to_ascii_lowercase();
    if SKIPPED.contains(&tag.as_str()) {
        return None;
    }
    let value = element.value();
    let read_only = value.attr("readonly").is_some() || value.attr("disabled").is_some();
    let attrs = KEPT_ATTRIBUTES
        .iter()
        // Never keep what a user typed (a pasted token); read-only fields hold page data such as links.
        .filter(|name| **name != "value" || (read_only && matches!(tag.as_str(), "input" | "textarea")))
        .filter_map(|name| value.attr(name).map(|v| (name.to_string(), v.to_string())))
        .collect();
    let text = if tag == "textarea" && !read_only { String::new() } else { own_text(element) };
    let index = nodes.len();
    nodes.push(Node { tag, parent, text, attrs, visible: !is_hidden(&element) && !in_closed_details(&element) });
    Some(index)
}

/// The element's direct text children, a space between two, squashed; a `<br>` or a block
/// child ([`LINE_BREAKERS`]) between them starts a new line.
fn own_text(element: ElementRef) -> String {
    let mut lines: Vec<String> = Vec::new();
    let mut line: Vec<&str> = Vec::new();
    let mut end_line = |line: &mut Vec<&str>| {
        let squashed = squash(&line.join(" "));
        if !squashed.is_empty() {
            lines.push(squashed);
        }
        line.clear();
    };
    for child in element.children() {
        match child.value() {
            scraper::Node::Text(text) => line.push(text),
            scraper::Node::Element(e) if LINE_BREAKERS.contains(&e.name()) => end_line(&mut line),
            _ => {}
        }
    }
    end_line(&mut line);
    lines.join(&LINE_SEPARATOR.to_string())
}

/// Elements that never nest (void) or close themselves when a sibling opens (`<li>`, `<p>`…):
/// they do not deepen the tree, whatever the markup says.
const NON_NESTING: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr", "p", "li", "dt", "dd", "tr",
    "td", "th", "option", "tbody", "thead", "tfoot", "colgroup", "rt", "rp", "optgroup",
];

/// How deep the markup nests, estimated from its tags without parsing: the guard that keeps a
/// hostile page (tens of thousands of unclosed `<div>`s) away from html5ever, whose tree
/// building slows quadratically with depth.
pub fn nesting_depth(html: &str) -> usize {
    let bytes = html.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(offset) = html[i..].find('<') {
        i += offset + 1;
        if html[i..].starts_with("!--") {
            i = html[i..].find("-->").map_or(html.len(), |end| i + end + 3);
            continue;
        }
        let closing = bytes.get(i) == Some(&b'/');
        let start = i + usize::from(closing);
        let name_len = html[start..].find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(html.len() - start);
        if name_len == 0 {
            continue;
        }
        let name = html[start..start + name_len].to_ascii_lowercase();
        if NON_NESTING.contains(&name.as_str()) {
            continue;
        }
        let tag_end = html[start..].find('>').map_or(html.len(), |end| start + end);
        if closing {
            depth = depth.saturating_sub(1);
        } else if !html[..tag_end].ends_with('/') {
            depth += 1;
            deepest = deepest.max(depth);
        }
        i = tag_end.min(html.len());
    }
    deepest
}

/// A `<select>` shows one option: the selected one, else the first.
fn is_shown_option(option: &ElementRef) -> bool {
    let Some(select) = option.ancestors().filter_map(ElementRef::wrap).find(|a| a.value().name() == "select") else { return true };
    let options: Vec<ElementRef> = select.descendants().filter_map(ElementRef::wrap).filter(|e| e.value().name() == "option").collect();
    let shown = options.iter().find(|o| o.value().attr("selected").is_some()).or(options.first());
    shown.is_some_and(|s| s.id() == option.id())
}

/// A closed `<details>` renders only its `<summary>`.
fn in_closed_details(element: &ElementRef) -> bool {
    let parent = element.parent().and_then(ElementRef::wrap);
    parent.is_some_and(|p| p.value().name() == "details" && p.value().attr("open").is_none()) && element.value().name() != "summary"
}

/// What a saved page can tell without layout: `hidden`, `aria-hidden`, inline `display:none` /
/// `visibility:hidden`.
fn is_hidden(element: &ElementRef) -> bool {
    let value = element.value();
    if value.name() == "option" && !is_shown_option(element) {
        return true;
    }
    if value.attr("hidden").is_some()
        || value.attr("aria-hidden") == Some("true")
        || value.name() == "input" && value.attr("type") == Some("hidden")
    {
        return true;
    }
    let style: String = value.attr("style").unwrap_or("").chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_lowercase();
    style.contains("display:none") || style.contains("visibility:hidden")
}

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
}
