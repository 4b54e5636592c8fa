//! The permission packages (权限包) and the API → package table, embedded from `data/`.
//!
//! The console may name a package by id (`merchant_item`), by a Chinese name (`商品信息`,
//! `订单API权限`) or by the docs' description (`读取或更新店铺的商品数据`); `find_package`
//! recognises all three. The table is a fallback: what an API page says wins (see `diagnose`).

use crate::text::{fold, fold_core, is_ident_char, sorted_by};
use std::sync::OnceLock;

/// One package as the platform docs describe it (data/scopes.json).
#[derive(Debug)]
pub struct PackageRow {
    pub id: &'static str,
    pub desc: &'static str,
    pub remark: &'static str,
    pub auth_page_text: &'static str,
    pub ui_name_hint: &'static str,
}

/// One API as data/api_scopes.json has it; `scope` is empty when no source names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiRow {
    /// The method name as the table spells it (`open.refund.submit.returnInfo`), without its
    /// `open.` prefix.
    pub name_after_prefix: String,
    pub scope: &'static str,
    pub scope_guess: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/catalog_data.rs"));

/// The short Chinese subject of each package: the console's names are this word plus a
/// suffix such as `信息`, `API权限`, `权限` (`商品信息`, `订单API权限`, `电商分销信息权限`).
const SUBJECTS: &[(&str, &[&str])] = &[
    ("user_base", &["默认", "基础"]),
    // Not 基本 alone: 基本信息 is the app page's basic-info section title.
    ("user_info", &["用户基本", "用户基础"]),
    ("merchant_user", &["商家用户", "用户", "会员", "电商会员"]),
    ("merchant_item", &["商品"]),
    ("merchant_order", &["订单"]),
    ("merchant_refund", &["售后", "退款", "退款单"]),
    ("merchant_distribution", &["分销", "电商分销"]),
    ("merchant_logistics", &["物流"]),
    ("merchant_promotion", &["营销"]),
    ("merchant_cs", &["客服"]),
    ("merchant_comment", &["评价"]),
    ("merchant_servicemarket", &["服务市场"]),
    ("merchant_scm", &["供应链"]),
    ("merchant_video", &["短视频", "视频", "作品"]),
    ("merchant_material", &["素材"]),
];

/// Suffixes the console puts after a subject (longest first so `API权限` wins over `权限`).
const NAME_SUFFIXES: &[&str] = &["信息权限包", "api权限包", "信息权限", "api权限", "权限包", "权限组", "数据", "信息", "权限", "api", ""];

/// The display name used in badges and explanations: `商品信息`.
pub fn chinese_name(id: &str) -> String {
    match SUBJECTS.iter().find(|(pid, _)| *pid == id) {
        Some(("user_base", _)) => "默认权限".into(),
        Some(("user_info", _)) => "用户基本信息".into(),
        Some((_, subjects)) => format!("{}信息", subjects[0]),
        None => id.into(),
    }
}

/// All packages the catalog knows, in the docs' order.
pub fn packages() -> impl Iterator<Item = &'static PackageRow> {
    PACKAGE_ROWS.iter()
}

/// True for a package id the platform could use: a known one, or `merchant_[a-z_]+` / `user_[a-z_]+`.
pub fn is_package_id(word: &str) -> bool {
    if PACKAGE_ROWS.iter().any(|p| p.id == word) {
        return true;
    }
    let rest = word.strip_prefix("merchant_").or_else(|| word.strip_prefix("user_"));
    rest.is_some_and(|r| !r.is_empty() && r.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !r.ends_with('_'))
}

/// Package ids written out in a text: `"商品信息(merchant_item)"` → `["merchant_item"]`.
pub fn package_ids_in(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for word in text.split(|c: char| !is_ident_char(c)) {
        let word = word.to_ascii_lowercase();
        if is_package_id(&word) && !found.contains(&word) {
            found.push(word);
        }
    }
    found
}

/// The package a whole label names, by id, Chinese name, description or remark:
/// `"商品信息"`, `"订单API权限"`, `"读取或更新店铺的商品数据"`, `"merchant_item"` all resolve.
/// A longer sentence that merely mentions a subject does not.
pub fn find_package(label: &str) -> Option<String> {
    let core = fold_core(label);
    if core.is_empty() || core.chars().count() > 40 {
        return None;
    }
    if is_package_id(&core) {
        return Some(core);
    }
    let core = core.strip_prefix("电商").filter(|bare| alias(bare).is_some()).unwrap_or(&core);
    alias(core).map(str::to_string)
}

/// The package a folded name means, if any (see [`aliases`]).
fn alias(name: &str) -> Option<&'static str> {
    let aliases = aliases();
    aliases.binary_search_by(|(alias, _)| alias.as_str().cmp(name)).ok().map(|i| aliases[i].1)
}

/// Every folded name that means a package, sorted by name for lookup: the docs' wording (desc,
/// remark, auth-page text, UI hint) and subject + suffix (`商品信息`, `订单api权限`). Built once.
fn aliases() -> &'static [(String, &'static str)] {
    static ALIASES: OnceLock<Vec<(String, &'static str)>> = OnceLock::new();
    ALIASES.get_or_init(|| {
        // (name, package, whether it is a subject name)
        let mut names = Vec::new();
        // Subject names first, so a docs wording that happens to equal one does not override it.
        for (id, subjects) in SUBJECTS {
            for subject in *subjects {
                for suffix in NAME_SUFFIXES {
                    names.push((format!("{subject}{suffix}"), *id, true));
                }
            }
        }
        for row in PACKAGE_ROWS {
            for text in [row.desc, row.remark, row.auth_page_text, row.ui_name_hint] {
                if !text.is_empty() {
                    names.push((fold_core(text), row.id, false));
                }
            }
        }
        // Stable: of equal names, the first pushed comes first.
        let names = sorted_by(names, |a, b| a.0 < b.0);
        let mut kept: Vec<(String, &'static str)> = Vec::with_capacity(names.len());
        let mut k = 0;
        while k < names.len() {
            let same = names[k..].iter().take_while(|n| n.0 == names[k].0).count();
            let group = &names[k..k + same];
            // A docs wording two packages share (`所有应用默认拥有此权限组`, the remark of both
            // user_base and user_info) names neither.
            if group[0].2 || group.iter().all(|n| n.1 == group[0].1) {
                kept.push((group[0].0.clone(), group[0].1));
            }
            k += same;
        }
        kept
    })
}

/// Names specific enough to find inside a sentence: subject + suffix (`商品信息`, not `商品`) and
/// the docs' descriptions, in catalog order. Built once.
fn phrases() -> &'static [(String, &'static str)] {
    static PHRASES: OnceLock<Vec<(String, &'static str)>> = OnceLock::new();
    PHRASES.get_or_init(|| {
        let mut list = Vec::new();
        for (id, subjects) in SUBJECTS {
            for subject in *subjects {
                list.extend(NAME_SUFFIXES.iter().filter(|s| !s.is_empty()).map(|suffix| (format!("{subject}{suffix}"), *id)));
            }
            if let Some(row) = PACKAGE_ROWS.iter().find(|p| p.id == *id).filter(|p| !p.desc.is_empty()) {
                list.push((fold_core(row.desc), *id));
            }
        }
        list
    })
}

/// The text as a name the page shows for package `id` (`订单API权限` for merchant_order): the
/// whole text names it, by a name rather than its id.
pub fn shown_name(text: &str, id: &str) -> Option<String> {
    let text = text.trim();
    (package_ids_in(text).is_empty() && find_package(text).as_deref() == Some(id)).then(|| text.to_string())
}

/// Every package a text names, by id anywhere in it, or by name when the text is a name.
pub fn packages_in(text: &str) -> Vec<String> {
    let mut found = package_ids_in(text);
    if found.is_empty() {
        if let Some(id) = find_package(text) {
            found.push(id);
        }
    }
    found
}

/// The catalog's entry for an API method name, in any letter case.
pub fn api(name: &str) -> Option<ApiRow> {
    let name = fold(name);
    let bare = name.strip_prefix(API_PREFIX)?;
    // The names are front-coded in blocks (see build.rs): find the block by the first names,
    // which are whole, then spell out that block's names one after the other.
    let first_name = |start: u16| API_RESTS[usize::from(start)..].split('\n').next().unwrap_or("");
    let block = API_BLOCKS.partition_point(|&start| lower(first_name(start)).le(bare.bytes())).checked_sub(1)?;
    first_in_blocks(block..block + 1, &|spelled| lower(spelled).eq(bare.bytes()))
}

/// The API an SDK names by class: the method's words run together, each capitalised
/// (`open.item.get` → Java's and Python's `OpenItemGetRequest`, PHP's and Go's `OpenItemGet`;
/// `commodity.del_default` → `CommodityDelDefault`). Only a catalog API: a class name is never
/// split into a method name by guess (and no two catalog APIs run together alike, see the tests).
pub fn api_of_sdk_class(class: &str) -> Option<ApiRow> {
    let bare = class.strip_prefix("Open")?;
    let bare = bare.strip_suffix("Request").or_else(|| bare.strip_suffix("Response")).unwrap_or(bare);
    if !bare.starts_with(|c: char| c.is_ascii_uppercase()) || !bare.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    // Names are sorted: only the blocks holding names with the class's first letter can match.
    let initial = bare.as_bytes()[0].to_ascii_lowercase();
    let first_letter = |start: &u16| API_RESTS.as_bytes().get(usize::from(*start)).map_or(0, u8::to_ascii_lowercase);
    let blocks = API_BLOCKS.partition_point(|start| first_letter(start) < initial).saturating_sub(1)
        ..API_BLOCKS.partition_point(|start| first_letter(start) <= initial);
    first_in_blocks(blocks, &|spelled| lower(spelled).filter(|b| !matches!(b, b'.' | b'_')).eq(lower(bare)))
}

fn lower(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes().map(|b| b.to_ascii_lowercase())
}

/// The first API, in these front-coded blocks (see build.rs), whose name after the `open.`
/// prefix is `wanted`.
fn first_in_blocks(blocks: std::ops::Range<usize>, wanted: &dyn Fn(&str) -> bool) -> Option<ApiRow> {
    for block in blocks {
        let mut rests = API_RESTS[usize::from(API_BLOCKS[block])..].split('\n');
        let mut spelled = String::new();
        for (row, &shared) in API_SHARED.iter().enumerate().skip(block * API_BLOCK).take(API_BLOCK) {
            spelled.truncate(usize::from(shared));
            spelled.push_str(rests.next()?);
            if wanted(&spelled) {
                return Some(api_row(row, spelled));
            }
        }
    }
    None
}

fn api_row(row: usize, name_after_prefix: String) -> ApiRow {
    ApiRow {
        name_after_prefix,
        scope: API_SCOPE_IDS[usize::from(API_SCOPES[row])],
        scope_guess: API_SCOPE_IDS[usize::from(API_GUESSES[row])],
    }
}

/// The package the catalog gives an API, if a source names one.
pub fn scope_of(api_name: &str) -> Option<&'static str> {
    api(api_name).map(|row| row.scope).filter(|s| !s.is_empty())
}

/// Packages a sentence mentions: ids anywhere, whole-text names, and full names inside it
/// (`该接口属于「商品信息」权限包` → merchant_item). Only for text already known to be about
/// permissions (a permission section), where a name inside a sentence is meant as one.
pub fn packages_mentioned(text: &str) -> Vec<String> {
    let mut found = packages_in(text);
    if !found.is_empty() {
        return found;
    }
    let folded = fold(text);
    for (phrase, id) in phrases() {
        if folded.contains(phrase.as_str()) && !found.iter().any(|f| f == id) {
            found.push(id.to_string());
        }
    }
    // "用户基本信息" also contains "用户…信息" forms of merchant_user; the longer name wins.
    if found.iter().any(|f| f == "user_info") && !folded.contains("商家用户") {
        found.retain(|f| f != "merchant_user");
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embeds_all_rows() {
        assert_eq!((API_SHARED.len(), API_SCOPES.len(), API_GUESSES.len()), (391, 391, 391));
        assert_eq!(PACKAGE_ROWS.len(), 15);
        assert_eq!(API_SCOPES.iter().filter(|&&s| API_SCOPE_IDS[usize::from(s)].is_empty()).count(), 88);
        // Every row is found by its own name (in any case), and the names are as data/ has them.
        let data: Vec<serde_json::Value> = serde_json::from_str(include_str!("../data/api_scopes.json")).unwrap();
        let mut names: Vec<&str> = data.iter().map(|row| row["api"].as_str().unwrap()).collect();
        names.sort_by_key(|name| name.to_ascii_lowercase());
        for (i, name) in names.iter().enumerate() {
            let row = api(name).unwrap();
            assert_eq!((row.name_after_prefix.as_str(), row.scope), (&name[API_PREFIX.len()..], API_SCOPE_IDS[usize::from(API_SCOPES[i])]));
            assert_eq!(api(&name.to_ascii_uppercase()), Some(row));
        }
    }

    #[test]
    fn looks_up_apis() {
        assert_eq!(scope_of("open.item.get"), Some("merchant_item"));
        assert_eq!(scope_of("OPEN.ITEM.GET"), Some("merchant_item"));
        assert_eq!(scope_of("open.dropshipping.ebill.cancel"), None);
        assert_eq!(api("open.dropshipping.ebill.cancel").map(|r| r.scope_guess), Some("merchant_dropshipping"));
        assert_eq!(api("Open.Refund.Submit.ReturnInfo").map(|r| r.name_after_prefix).as_deref(), Some("refund.submit.returnInfo"));
        assert_eq!(api("open.aaa"), None);
        assert_eq!(api("open.zzz"), None);
        assert_eq!(api("open."), None);
        assert_eq!(api("item.get"), None);
        assert_eq!(scope_of("open.no.such"), None);
        assert!(api("open.refund.submit.returnInfo").is_some() && api("open.refund.submit.returninfo").is_some());
    }

    #[test]
    fn finds_apis_by_their_sdk_class_names() {
        let name = |class: &str| api_of_sdk_class(class).map(|row| row.name_after_prefix);
        assert_eq!(name("OpenItemGetRequest").as_deref(), Some("item.get"));
        assert_eq!(name("OpenItemGet").as_deref(), Some("item.get"));
        assert_eq!(name("OpenOrderCursorListResponse").as_deref(), Some("order.cursor.list"));
        assert_eq!(name("OpenRefundSubmitReturnInfoRequest").as_deref(), Some("refund.submit.returnInfo"));
        assert_eq!(name("OpenSellerOrderRefundPcursorListRequest").as_deref(), Some("seller.order.refund.pcursor.list"));
        // Not a catalog API, not an SDK class, or not a whole class name: none.
        for class in
            ["OpenNoSuchThingRequest", "OpenItem", "Openitemget", "ItemGetRequest", "OpenItemGetRequest2", "OpenItemGetRequest$1", "Open"]
        {
            assert_eq!(name(class), None, "{class}");
        }
        // Every catalog API is found by its own class name: no two run together alike.
        let data: Vec<serde_json::Value> = serde_json::from_str(include_str!("../data/api_scopes.json")).unwrap();
        for name in data.iter().map(|row| row["api"].as_str().unwrap()) {
            let class: String = name.split(['.', '_']).map(|word| word[..1].to_ascii_uppercase() + &word[1..]).collect();
            assert_eq!(
                api_of_sdk_class(&format!("{class}Request")).map(|r| r.name_after_prefix),
                Some(name[API_PREFIX.len()..].to_string())
            );
        }
    }

    #[test]
    fn a_wording_two_packages_share_names_neither() {
        // The remark of both user_base and user_info (data/scopes.json).
        assert_eq!(find_package("所有应用默认拥有此权限组"), None);
        // The app page's section title, not a package.
        assert_eq!(find_package("基本信息"), None);
        assert_eq!(find_package("用户基本信息").as_deref(), Some("user_info"));
        assert_eq!(shown_name(" 订单API权限 ", "merchant_order").as_deref(), Some("订单API权限"));
        assert_eq!(shown_name("订单API权限（merchant_order）", "merchant_order"), None, "an id is no shown name");
    }

    #[test]
    fn finds_packages_by_every_name() {
        for (label, id) in [
            ("merchant_item", "merchant_item"),
            ("商品信息", "merchant_item"),
            ("商品信息(授权)", "merchant_item"),
            ("商品信息（授权）", "merchant_item"),
            ("订单API权限", "merchant_order"),
            ("订单 API 权限", "merchant_order"),
            ("读取或更新店铺的商品数据", "merchant_item"),
            ("读取或更新用户的售后信息", "merchant_refund"),
            ("电商分销信息权限", "merchant_distribution"),
            ("用户基本信息", "user_info"),
            ("商家用户信息", "merchant_user"),
            ("物流API权限", "merchant_logistics"),
            ("服务市场API权限", "merchant_servicemarket"),
            ("merchant_newthing", "merchant_newthing"),
            ("ＭＥＲＣＨＡＮＴ＿ＩＴＥＭ", "merchant_item"),
        ] {
            assert_eq!(find_package(label).as_deref(), Some(id), "{label}");
        }
        for label in ["本接口需要商品相关的权限才能调用，请先申请", "merchant_", "请求参数", "商品ID", ""] {
            assert_eq!(find_package(label), None, "{label}");
        }
    }

    #[test]
    fn finds_ids_inside_text() {
        assert_eq!(package_ids_in("商品信息(merchant_item)、订单(merchant_order)"), vec!["merchant_item", "merchant_order"]);
        assert_eq!(package_ids_in("scope=user_info,merchant_item"), vec!["user_info", "merchant_item"]);
    }
}
