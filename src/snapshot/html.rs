//! Native only: builds a `Snapshot` from saved HTML with `scraper` (html5ever), following the
//! same rules as the content script's `extension/shared/snapshot.js`.

use super::{Node, Snapshot, KEPT_ATTRIBUTES, MAX_NODES};
use crate::text::squash;
use scraper::{ElementRef, Html};

/// Elements whose content is never page text.
const SKIPPED: &[&str] = &["script", "style", "template", "noscript", "head", "svg", "iframe", "object"];

pub fn from_html(html: &str, url: &str) -> Snapshot {
    let document = Html::parse_document(html);
    let mut nodes = Vec::new();
    walk(document.root_element(), &mut nodes);
    let url = if url.is_empty() { canonical_url(&document).unwrap_or_default() } else { url.to_string() };
    Snapshot::new(url, nodes)
}

/// A saved page keeps its address in `<link rel=canonical>` or `<meta property=og:url>`, if anywhere.
fn canonical_url(document: &Html) -> Option<String> {
    let selector = scraper::Selector::parse(r#"link[rel="canonical"], meta[property="og:url"]"#).ok()?;
    let element = document.select(&selector).next()?;
    element.value().attr("href").or_else(|| element.value().attr("content")).map(str::to_string)
}

/// The elements in tree order, with an explicit stack: a page nested 100,000 deep must not
/// overflow the native stack (the content script's walk is iterative too).
fn walk(root: ElementRef, nodes: &mut Vec<Node>) {
    let mut stack: Vec<(ElementRef, Option<usize>)> = vec![(root, None)];
    while let Some((element, parent)) = stack.pop() {
        if nodes.len() >= MAX_NODES {
            return;
        }
        if let Some(index) = visit(element, parent, nodes) {
            // Reversed, so the first child is visited next: tree order.
            let children: Vec<ElementRef> = element.children().filter_map(ElementRef::wrap).collect();
            stack.extend(children.into_iter().rev().map(|child| (child, Some(index))));
        }
    }
}

/// Adds one element (unless its content is never page text) and returns its index.
fn visit(element: ElementRef, parent: Option<usize>, nodes: &mut Vec<Node>) -> Option<usize> {
    let tag = element.value().name().to_ascii_lowercase();
    if SKIPPED.contains(&tag.as_str()) {
        return None;
    }
    let own_text: String = element.children().filter_map(|c| c.value().as_text()).map(|t| &**t).collect::<Vec<_>>().join(" ");
    let value = element.value();
    let read_only = value.attr("readonly").is_some() || value.attr("disabled").is_some();
    let attrs = KEPT_ATTRIBUTES
        .iter()
        // Never keep what a user typed (a pasted token); read-only fields hold page data such as links.
        .filter(|name| **name != "value" || (read_only && matches!(tag.as_str(), "input" | "textarea")))
        .filter_map(|name| value.attr(name).map(|v| (name.to_string(), v.to_string())))
        .collect();
    let mut text = squash(&own_text);
    if tag == "textarea" && !read_only {
        text.clear();
    }
    let index = nodes.len();
    nodes.push(Node { tag, parent, text, attrs, visible: !is_hidden(&element) && !in_closed_details(&element) });
    Some(index)
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
}
