//! Failure text: logs, JSON responses and SDK exceptions → the failing calls in them.
//! (Being written; see the interface below.)

use serde::{Deserialize, Serialize};

/// What kind of error a failing call got (platform.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FailureKind {
    /// `token中无scope权限` and its variants: the token lacks the API's package.
    MissingScope,
    /// `鉴权失败` (803000) alone: an expired token, a missing package or a revoked grant (FAQ K0004).
    AuthFailed,
    /// `TOKEN过期`, `access_token expired`.
    ExpiredToken,
    /// `AUTHORIZATION_REVOKED` (result 24), `refreshToken.revokedAuthorization`.
    RevokedGrant,
    /// QPS (1016) or daily quota (1017) limits.
    Quota,
    /// A business error, e.g. `1800608 暂无站外分销推广权限` (NOT a missing scope).
    Business,
    /// An API was named but no error text could be tied to it.
    Unknown,
}

impl FailureKind {
    /// Whether a missing package could explain this failure.
    pub fn may_be_scope(self) -> bool {
        matches!(self, FailureKind::MissingScope | FailureKind::AuthFailed | FailureKind::Unknown)
    }
}

/// One failing call found in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The method name (`open.item.get`), when the text names one.
    pub api: Option<String>,
    pub kind: FailureKind,
    /// The numeric or string code found with the message (`803000`, `1800608`), if any.
    pub code: Option<String>,
    /// The error message as found (`token中无scope权限`), clipped to 200 characters; empty if none.
    pub message: String,
}

/// Every failing call in `text`, one per distinct API in order of first appearance, plus at most
/// one entry with `api: None` for an error that names no API.
pub fn parse(_text: &str) -> Vec<Failure> {
    Vec::new()
}
