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
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiPage {
    pub api: String,
    pub scopes: Vec<String>,
    pub needs_user_auth: bool,
    /// The node showing the API's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<usize>,
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
    /// The reading as contract.md's `read --json` has it: no snapshot indices.
    pub fn without_anchors(&self) -> Reading {
        self.clone().with_anchors(|_| None)
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

/// Reads any console page: decides its kind, then runs that kind's reader. A page that looks
/// like a kind but lacks its essentials (an API page with no method name) reads as `Unknown`.
/// Anchors are indices in the builder's node list (a line of text anchors to its element).
pub fn read(snapshot: &Snapshot) -> Reading {
    read_kinds(snapshot).with_anchors(|i| Some(snapshot.source_of(i)))
}

fn read_kinds(snapshot: &Snapshot) -> Reading {
    let view = page::Page::new(snapshot);
    for kind in page::likely_kinds(&view) {
        let reading = match kind {
            page::Kind::ApiDetail => api_detail::read(&view).map(Reading::ApiDetail),
            page::Kind::AppDetail => app_detail::read(&view).map(Reading::AppDetail),
            page::Kind::AuthUsers => auth_users::read(&view).map(Reading::AuthUsers),
            page::Kind::TokenInfo => token_info::read(&view).map(Reading::TokenInfo),
        };
        if let Some(reading) = reading {
            return reading;
        }
    }
    Reading::Unknown
}
