//! The domain's records, shared by every layer: packages and their statuses, apps, users, the
//! packages an API page stated, a token's packages, and failing calls with their error kinds.
//! The readers, the failure parser and the store produce them; the decision, the links and
//! the views consume them. Plain data with serde derives: this module uses nothing of the crate.

use serde::{Deserialize, Serialize};

/// A package's status in the app's list (已获取 / 未获取 / 申请中).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Owned,
    Missing,
    Pending,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AppType {
    Merchant,
    ServiceMarket,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    pub scope: String,
    pub status: Status,
    /// Snapshot index of the package row (where a badge goes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<usize>,
    /// The name the page shows for it (`订单API权限`, `商品信息(授权)`), when it names it by name:
    /// badges say what the developer sees there, not the catalog's word.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// A user 授权管理 lists: the merchant's id and whether the grant is established.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub authorized: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<usize>,
}

/// Longest merchant id (bytes) taken from a failing line or kept in a mark: an open_id is
/// 32–64 characters; anything longer is no id.
pub const MAX_MERCHANT_ID: usize = 128;

/// An app as read from its detail page, without anything secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct App {
    pub app_key: String,
    #[serde(default)]
    pub app_name: Option<String>,
    #[serde(default)]
    pub callback: Option<String>,
    #[serde(default)]
    pub app_type: Option<AppType>,
    #[serde(default)]
    pub packages: Vec<Package>,
}

impl App {
    pub fn status_of(&self, scope: &str) -> Option<Status> {
        self.packages.iter().find(|p| p.scope == scope).map(|p| p.status)
    }
    /// The packages the app holds (已获取), in the console's order: what the link carries.
    pub fn owned_scopes(&self) -> Vec<String> {
        self.packages.iter().filter(|p| p.status == Status::Owned).map(|p| p.scope.clone()).collect()
    }
}

/// Packages an API page stated; they override the built-in catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Learned {
    pub api: String,
    pub scopes: Vec<String>,
}

/// What 授权查询工具 showed for a token (never the token): its packages, and the app it is
/// about — the app current when the result was read. It counts only for that app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenReading {
    #[serde(default)]
    pub app_key: Option<String>,
    pub scopes: Vec<String>,
}

/// What kind of error a failing call got (platform.md §2, §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// `token中无scope权限` and its variants: the token lacks the API's package.
    MissingScope,
    /// `鉴权失败` (803000) alone: an expired token, a missing package or a revoked grant (FAQ K0004).
    AuthFailed,
    /// `TOKEN过期`, `access_token expired`: the access token (48 h) ran out.
    ExpiredToken,
    /// `refresh_token过期`, `refreshToken.discarded`: the refresh token itself is dead.
    RefreshTokenExpired,
    /// `AUTHORIZATION_REVOKED` (result 24), `refreshToken.revokedAuthorization`, `用户取消了授权`.
    RevokedGrant,
    /// `不属于此应用的授权用户或测试用户` on the authorization page (FAQ K0010).
    NotAppUser,
    /// `Invalid url` on the authorization page (FAQ K0009).
    InvalidUrl,
    /// `服务未订购`, `unauthorized_client`: the merchant has not ordered the service.
    ServiceNotOrdered,
    /// QPS (1016) or daily quota (1017) limits.
    Quota,
    /// A known business error, e.g. `1800608 暂无站外分销推广权限` (NOT a missing scope).
    Business,
    /// An error text Scope Doctor does not recognise.
    Unrecognized,
    /// An API was named but no error text came with it (the user says it fails).
    Unknown,
}

impl FailureKind {
    /// Errors of the authorization page or of the refresh token: they concern no API call
    /// (contract.md `diagnose`), even when the line names one.
    pub fn concerns_no_api(self) -> bool {
        matches!(
            self,
            FailureKind::NotAppUser | FailureKind::InvalidUrl | FailureKind::ServiceNotOrdered | FailureKind::RefreshTokenExpired
        )
    }
}

/// One failing call (or API-less error) found in a text: per API and merchant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The method name (`open.item.get`), when the text names one.
    pub api: Option<String>,
    /// The merchant the failing line names (`shopId=1001`, `"open_id":"f0a…"`).
    #[serde(default)]
    pub merchant: Option<String>,
    pub kind: FailureKind,
    /// The numeric or string code found with the message (`803000`, `1800608`), if any.
    pub code: Option<String>,
    /// The error message as found (`token中无scope权限`), clipped to 200 characters for display;
    /// empty if none. Never kept as is: the store keeps only kind, code and names.
    pub message: String,
    /// How many failing records this stands for.
    #[serde(default = "one")]
    pub count: u64,
}

fn one() -> u64 {
    1
}
