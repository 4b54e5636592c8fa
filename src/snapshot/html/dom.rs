//! A lean document for the snapshot: html5ever's tree builder (spec parsing: implied tags,
//! `<p>` closing, foster parenting, `<template>` contents…) into one arena, keeping per node
//! only what the snapshot reads — the tag name, the tree links, text, and the few attributes
//! [`Attr`] names.
//!
//! The tree is the one a DOM-building sink (`scraper`'s) makes of the same page, node for node:
//! adjacent text is merged as it is appended (never afterwards), a comment stays a node that
//! separates two texts, and a `<template>` holds its contents in a fragment node, its only
//! child. Nodes are numbered in creation order (`canonical_url` takes the first address made).

use html5ever::interface::{ElementFlags, ExpandedName, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{local_name, ns, Attribute, LocalName, Namespace, QualName};
use std::borrow::Cow;
use std::cell::RefCell;

/// A node's index in [`Dom::nodes`].
pub type Id = u32;
/// No node (a missing parent, sibling or child).
pub const NONE: Id = Id::MAX;

/// The attributes the snapshot reads (all others are dropped while parsing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attr {
    Href,
    Title,
    Role,
    AriaLabel,
    Alt,
    Type,
    Value,
    Hidden,
    AriaHidden,
    Style,
    ReadOnly,
    Disabled,
    Selected,
    Checked,
    Open,
    Rel,
    Property,
    Content,
}

impl Attr {
    /// The attribute a no-namespace attribute name is, if the snapshot reads it.
    fn of(name: &LocalName) -> Option<Attr> {
        Some(match *name {
            local_name!("href") => Attr::Href,
            local_name!("title") => Attr::Title,
            local_name!("role") => Attr::Role,
            local_name!("aria-label") => Attr::AriaLabel,
            local_name!("alt") => Attr::Alt,
            local_name!("type") => Attr::Type,
            local_name!("value") => Attr::Value,
            local_name!("hidden") => Attr::Hidden,
            local_name!("aria-hidden") => Attr::AriaHidden,
            local_name!("style") => Attr::Style,
            local_name!("readonly") => Attr::ReadOnly,
            local_name!("disabled") => Attr::Disabled,
            local_name!("selected") => Attr::Selected,
            local_name!("checked") => Attr::Checked,
            local_name!("open") => Attr::Open,
            local_name!("rel") => Attr::Rel,
            local_name!("property") => Attr::Property,
            local_name!("content") => Attr::Content,
            _ => return None,
        })
    }

    /// The attribute of a kept-attribute name (`crate::snapshot::KEPT_ATTRIBUTES`).
    pub fn named(name: &str) -> Option<Attr> {
        Attr::of(&LocalName::from(name))
    }
}

/// What the tree builder holds of a node: its index, and for an element its name, so that
/// the builder's many questions about names are answered without a look into the arena.
#[derive(Clone)]
pub struct Handle {
    id: Id,
    ns: Namespace,
    local: LocalName,
}

impl Handle {
    /// A node that is not an element (the builder never asks its name).
    fn other(id: Id) -> Handle {
        Handle { id, ns: ns!(), local: local_name!("") }
    }
}

pub enum Data {
    Document,
    /// `attrs` is a range of [`Dom::attrs`]; `html` is whether the element is in the HTML namespace.
    Element {
        local: LocalName,
        html: bool,
        attrs: (u32, u16),
    },
    Text(StrTendril),
    /// A comment: only its place matters (it keeps the texts around it apart).
    Comment,
    /// A `<template>`'s contents.
    Fragment,
}

pub struct Node {
    pub parent: Id,
    pub first_child: Id,
    pub last_child: Id,
    pub prev_sibling: Id,
    pub next_sibling: Id,
    pub data: Data,
}

impl Node {
    fn new(data: Data) -> Node {
        Node { parent: NONE, first_child: NONE, last_child: NONE, prev_sibling: NONE, next_sibling: NONE, data }
    }
}

/// The parsed page: node 0 is the document.
pub struct Dom {
    pub nodes: Vec<Node>,
    /// The kept attributes of every element, each element's in one range.
    pub attrs: Vec<(Attr, StrTendril)>,
    /// The `<link>` and `<meta>` elements, in creation order: where a page may keep its address.
    pub links: Vec<Id>,
}

/// The page parsed by html5ever's tree builder into a [`Dom`].
pub fn parse(html: &str) -> Dom {
    // About one node per 8 bytes of markup is typical; the arena grows past it when needed.
    let mut nodes = Vec::with_capacity(html.len() / 8 + 16);
    nodes.push(Node::new(Data::Document));
    let sink = Sink(RefCell::new(Dom { nodes, attrs: Vec::new(), links: Vec::new() }));
    html5ever::parse_document(sink, Default::default()).one(html)
}

impl Dom {
    #[inline(always)]
    pub fn node(&self, id: Id) -> &Node {
        &self.nodes[id as usize]
    }

    /// The element's (local) name, `None` for any other node.
    #[inline(always)]
    pub fn name(&self, id: Id) -> Option<&LocalName> {
        match &self.node(id).data {
            Data::Element { local, .. } => Some(local),
            _ => None,
        }
    }

    /// Whether `id` is an element named `local` (in any namespace).
    #[inline(always)]
    pub fn is(&self, id: Id, local: &LocalName) -> bool {
        self.name(id) == Some(local)
    }

    /// The value of the element's no-namespace attribute `attr`.
    #[inline]
    pub fn attr(&self, id: Id, attr: Attr) -> Option<&str> {
        let Data::Element { attrs: (start, len), .. } = self.node(id).data else { return None };
        let start = start as usize;
        self.attrs[start..start + len as usize].iter().find(|(a, _)| *a == attr).map(|(_, v)| &**v)
    }

    /// The children of `id`, in order.
    pub fn children(&self, id: Id) -> Children<'_> {
        Children { dom: self, next: self.node(id).first_child }
    }

    /// The ancestors of `id`, nearest first.
    pub fn ancestors(&self, id: Id) -> impl Iterator<Item = Id> + '_ {
        let up = move |id: Id| Some(self.node(id).parent).filter(|&p| p != NONE);
        std::iter::successors(up(id), move |&p| up(p))
    }

    /// The element children of `id`, in order.
    pub fn element_children(&self, id: Id) -> Vec<Id> {
        let mut elements = Vec::new();
        for child in self.children(id) {
            if let Data::Element { .. } = self.node(child).data {
                elements.push(child);
            }
        }
        elements
    }

    /// `id` and the nodes below it, in tree order.
    pub fn descendants(&self, id: Id) -> Descendants<'_> {
        Descendants { dom: self, root: id, next: id }
    }

    /// Appends all the text below `id`, in tree order (`textContent`, template contents included).
    pub fn push_text(&self, id: Id, out: &mut String) {
        for node in self.descendants(id) {
            if let Data::Text(text) = &self.node(node).data {
                out.push_str(text);
            }
        }
    }

    /// The first element child of the document: `<html>`.
    pub fn root_element(&self) -> Id {
        self.element_children(0).first().copied().expect("the tree builder always makes <html>")
    }

    fn push(&mut self, data: Data) -> Id {
        // Never near `NONE`: a node takes tens of bytes, and a page is megabytes.
        let id = self.nodes.len() as Id;
        self.nodes.push(Node::new(data));
        id
    }

    #[inline(always)]
    fn node_mut(&mut self, id: Id) -> &mut Node {
        &mut self.nodes[id as usize]
    }

    fn detach(&mut self, id: Id) {
        let Node { parent, prev_sibling: prev, next_sibling: next, .. } = *self.node(id);
        if parent == NONE {
            return;
        }
        let node = self.node_mut(id);
        (node.parent, node.prev_sibling, node.next_sibling) = (NONE, NONE, NONE);
        if prev != NONE {
            self.node_mut(prev).next_sibling = next;
        } else {
            self.node_mut(parent).first_child = next;
        }
        if next != NONE {
            self.node_mut(next).prev_sibling = prev;
        } else {
            self.node_mut(parent).last_child = prev;
        }
    }

    fn append_id(&mut self, parent: Id, child: Id) {
        let last = self.node(parent).last_child;
        if last == child {
            return;
        }
        self.detach(child);
        let node = self.node_mut(child);
        (node.parent, node.prev_sibling) = (parent, last);
        if last != NONE {
            self.node_mut(last).next_sibling = child;
        } else {
            self.node_mut(parent).first_child = child;
        }
        self.node_mut(parent).last_child = child;
    }

    fn insert_before(&mut self, sibling: Id, new: Id) {
        self.detach(new);
        let Node { parent, prev_sibling: prev, .. } = *self.node(sibling);
        let node = self.node_mut(new);
        (node.parent, node.prev_sibling, node.next_sibling) = (parent, prev, sibling);
        if prev != NONE {
            self.node_mut(prev).next_sibling = new;
        } else {
            self.node_mut(parent).first_child = new;
        }
        self.node_mut(sibling).prev_sibling = new;
    }

    fn text_mut(&mut self, id: Id) -> Option<&mut StrTendril> {
        match &mut self.nodes.get_mut(id as usize)?.data {
            Data::Text(text) => Some(text),
            _ => None,
        }
    }
}

/// The children of a node, in order.
pub struct Children<'d> {
    dom: &'d Dom,
    next: Id,
}

impl Iterator for Children<'_> {
    type Item = Id;

    #[inline(always)]
    fn next(&mut self) -> Option<Id> {
        let current = self.next;
        if current == NONE {
            return None;
        }
        self.next = self.dom.node(current).next_sibling;
        Some(current)
    }
}

/// A node and the nodes below it, in tree order.
pub struct Descendants<'d> {
    dom: &'d Dom,
    root: Id,
    next: Id,
}

impl Iterator for Descendants<'_> {
    type Item = Id;

    #[inline(always)]
    fn next(&mut self) -> Option<Id> {
        let current = self.next;
        if current == NONE {
            return None;
        }
        let mut at = current;
        self.next = self.dom.node(at).first_child;
        // Without children: up until a node with a next sibling, never above the root.
        while self.next == NONE && at != self.root {
            let node = self.dom.node(at);
            (self.next, at) = (node.next_sibling, node.parent);
        }
        Some(current)
    }
}

struct Sink(RefCell<Dom>);

impl TreeSink for Sink {
    type Handle = Handle;
    type Output = Dom;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> Dom {
        self.0.into_inner()
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        Handle::other(0)
    }

    #[inline(always)]
    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        ExpandedName { ns: &target.ns, local: &target.local }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _flags: ElementFlags) -> Handle {
        let mut dom = self.0.borrow_mut();
        let start = dom.attrs.len();
        for attribute in attrs {
            if attribute.name.ns == ns!() {
                if let Some(attr) = Attr::of(&attribute.name.local) {
                    dom.attrs.push((attr, attribute.value));
                }
            }
        }
        // Seventeen names at most: at most that many kept attributes.
        let kept = (dom.attrs.len() - start) as u16;
        let html = name.ns == ns!(html);
        let id = dom.push(Data::Element { local: name.local.clone(), html, attrs: (start as u32, kept) });
        if matches!(name.local, local_name!("link") | local_name!("meta")) {
            dom.links.push(id);
        }
        if html && name.local == local_name!("template") {
            let contents = dom.push(Data::Fragment);
            dom.append_id(id, contents);
        }
        Handle { id, ns: name.ns, local: name.local }
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        Handle::other(self.0.borrow_mut().push(Data::Comment))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        // Only XML makes processing instructions; one here would be as inert as a comment.
        Handle::other(self.0.borrow_mut().push(Data::Comment))
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        let mut dom = self.0.borrow_mut();
        match child {
            NodeOrText::AppendNode(node) => dom.append_id(parent.id, node.id),
            NodeOrText::AppendText(text) => {
                let last = dom.node(parent.id).last_child;
                if let Some(existing) = dom.text_mut(last) {
                    existing.push_tendril(&text);
                } else {
                    let id = dom.push(Data::Text(text));
                    dom.append_id(parent.id, id);
                }
            }
        }
    }

    fn append_based_on_parent_node(&self, element: &Handle, prev_element: &Handle, child: NodeOrText<Handle>) {
        let has_parent = self.0.borrow().node(element.id).parent != NONE;
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _name: StrTendril, _public_id: StrTendril, _system_id: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        Handle::other(self.0.borrow().node(target.id).first_child)
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        x.id == y.id
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, new_node: NodeOrText<Handle>) {
        let mut dom = self.0.borrow_mut();
        let sibling = sibling.id;
        if let NodeOrText::AppendNode(node) = &new_node {
            dom.detach(node.id);
        }
        if dom.node(sibling).parent == NONE {
            return;
        }
        match new_node {
            NodeOrText::AppendNode(node) => dom.insert_before(sibling, node.id),
            NodeOrText::AppendText(text) => {
                let prev = dom.node(sibling).prev_sibling;
                if let Some(existing) = dom.text_mut(prev) {
                    existing.push_tendril(&text);
                } else {
                    let id = dom.push(Data::Text(text));
                    dom.insert_before(sibling, id);
                }
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        let mut dom = self.0.borrow_mut();
        let Data::Element { attrs: (start, len), .. } = dom.node(target.id).data else { return };
        let (start, end) = (start as usize, start as usize + len as usize);
        let mut added: Vec<(Attr, StrTendril)> = Vec::new();
        for attribute in attrs {
            if attribute.name.ns != ns!() {
                continue;
            }
            let Some(attr) = Attr::of(&attribute.name.local) else { continue };
            let present = dom.attrs[start..end].iter().chain(&added).any(|(a, _)| *a == attr);
            if !present {
                added.push((attr, attribute.value));
            }
        }
        if added.is_empty() {
            return;
        }
        // The element's attributes move to the end, with the new ones.
        let new_start = dom.attrs.len();
        let old: Vec<(Attr, StrTendril)> = dom.attrs[start..end].to_vec();
        dom.attrs.extend(old);
        dom.attrs.extend(added);
        let kept = (dom.attrs.len() - new_start) as u16;
        if let Data::Element { attrs, .. } = &mut dom.node_mut(target.id).data {
            *attrs = (new_start as u32, kept);
        }
    }

    fn remove_from_parent(&self, target: &Handle) {
        self.0.borrow_mut().detach(target.id);
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let (node, new_parent) = (node.id, new_parent.id);
        let mut dom = self.0.borrow_mut();
        let (first, last) = (dom.node(node).first_child, dom.node(node).last_child);
        if first == NONE {
            return;
        }
        {
            let from = dom.node_mut(node);
            (from.first_child, from.last_child) = (NONE, NONE);
        }
        let mut child = first;
        while child != NONE {
            let c = dom.node_mut(child);
            c.parent = new_parent;
            child = c.next_sibling;
        }
        let old_last = dom.node(new_parent).last_child;
        if old_last == NONE {
            dom.node_mut(new_parent).first_child = first;
        } else {
            dom.node_mut(old_last).next_sibling = first;
            dom.node_mut(first).prev_sibling = old_last;
        }
        dom.node_mut(new_parent).last_child = last;
    }
}
