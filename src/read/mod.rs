//! Page readers: one per console page kind, each turning a [`Snapshot`] into a [`Reading`].
//! They look for meaning — the labels in [`labels`], package names from the catalog, statuses,
//! method names — and keep the snapshot index of what they found (`anchor`) so the extension
//! can draw a badge beside it. The records they share with the rest of the crate (packages,
//! statuses, users, apps) are in [`crate::model`].

pub mod api_detail;
pub mod app_detail;
pub mod auth_users;
pub mod labels;
pub mod page;
pub mod token_info;

use crate::model::{App, AppType, Package, User};
use crate::snapshot::Snapshot;
use crate::text::sorted_by;
use page::Page;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiPage {
    pub api: String,
    pub scopes: Vec<String>,
    pub needs_user_auth: bool,
    /// The node showing the API's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<usize>,
    /// (package id, the name the page shows for it) for each package named by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub names: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AppPage {
    /// `None` when the page shows no well-formed appKey (never a cut or cleaned-up one).
    pub app_key: Option<String>,
    pub app_name: Option<String>,
    pub callback: Option<String>,
    pub app_type: Option<AppType>,
    pub packages: Vec<Package>,
    /// The node where a summary panel fits (the app's name or the package list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<usize>,
}

impl AppPage {
    /// The app this page shows, as kept; none when its appKey could not be read whole.
    pub fn app(&self) -> Option<App> {
        Some(App {
            app_key: self.app_key.clone()?,
            app_name: self.app_name.clone(),
            callback: self.callback.clone(),
            app_type: self.app_type,
            packages: self.packages.iter().map(|p| Package { anchor: None, ..p.clone() }).collect(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthUsersPage {
    pub users: Vec<User>,
    pub links: Vec<String>,
    /// The dialog's first link (where a check badge goes), when the dialog is open.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenPage {
    pub scopes: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<usize>,
    /// The app the result names (`appKey ks…`, `"appId": "ks…"`), when it names one whole: the
    /// token's packages count for that app only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub app_key: Option<String>,
}

/// What a page says, by kind. Serialises as contract.md's `read --json` object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "page", rename_all = "kebab-case")]
pub enum Reading {
    ApiDetail(ApiPage),
    AppDetail(AppPage),
    AuthUsers(AuthUsersPage),
    TokenInfo(TokenPage),
    Unknown,
}

impl Reading {
    /// The reading as contract.md's `read --json` has it: no snapshot indices, and packages
    /// as ids only (the names the page shows are for badges).
    pub fn without_anchors(&self) -> Reading {
        let mut reading = self.clone().with_anchors(|_| None);
        match &mut reading {
            Reading::AppDetail(p) => p.packages.iter_mut().for_each(|x| x.name = None),
            Reading::ApiDetail(p) => p.names.clear(),
            Reading::TokenInfo(p) => p.app_key = None,
            _ => {}
        }
        reading
    }

    /// The reading with every anchor passed through `f`.
    fn with_anchors(mut self, f: impl Fn(usize) -> Option<usize>) -> Reading {
        let map = |anchor: &mut Option<usize>| *anchor = anchor.and_then(&f);
        match &mut self {
            Reading::ApiDetail(p) => map(&mut p.anchor),
            Reading::AppDetail(p) => {
                map(&mut p.anchor);
                p.packages.iter_mut().for_each(|x| map(&mut x.anchor));
            }
            Reading::AuthUsers(p) => {
                map(&mut p.anchor);
                p.users.iter_mut().for_each(|u| map(&mut u.anchor));
            }
            Reading::TokenInfo(p) => map(&mut p.anchor),
            Reading::Unknown => {}
        }
        self
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Reading::ApiDetail(_) => "api-detail",
            Reading::AppDetail(_) => "app-detail",
            Reading::AuthUsers(_) => "auth-users",
            Reading::TokenInfo(_) => "token-info",
            Reading::Unknown => "unknown",
        }
    }
}

/// One console page kind: how much a page looks like one, and how it is read. Each kind's
/// module implements it beside its reader; [`KINDS`] lists them, and nothing else in `read`
/// knows a kind (README: "Adding a page kind").
pub trait PageKind: Sync {
    /// How much the page looks like this kind: points for each sign (a label, a title, an
    /// address); 3 or more is worth reading as this kind.
    fn likeness(&self, page: &Page) -> i32;
    /// The page read as this kind, or `None` when it lacks the kind's essentials.
    fn read(&self, page: &Page) -> Option<Reading>;
}

/// Every page kind, in the order ties are tried.
pub const KINDS: &[&dyn PageKind] = &[&api_detail::ApiDetail, &app_detail::AppDetail, &auth_users::AuthUsers, &token_info::TokenInfo];

/// Points a page needs before it is read as a kind.
const LIKELY: i32 = 3;

/// Reads any console page: tries the kinds it looks like, likeliest first; the first whose
/// reader finds its essentials wins, else `Unknown`. Anchors are indices in the builder's
/// node list (a line of text anchors to its element).
pub fn read(snapshot: &Snapshot) -> Reading {
    let page = Page::new(snapshot);
    let likely: Vec<(&dyn PageKind, i32)> = KINDS.iter().map(|kind| (*kind, kind.likeness(&page))).filter(|(_, l)| *l >= LIKELY).collect();
    let reading = sorted_by(likely, |a, b| a.1 > b.1).into_iter().find_map(|(kind, _)| kind.read(&page));
    reading.unwrap_or(Reading::Unknown).with_anchors(|i| Some(snapshot.source_of(i)))
}
