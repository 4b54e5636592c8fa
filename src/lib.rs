//! Scope Doctor: finds the permission package (权限包) behind `token中无scope权限` on the
//! Kuaishou e-commerce open platform, says who must act, and builds the authorization link.
//!
//! Data flows one way: a page becomes a [`snapshot::Snapshot`], a reader in [`read`] turns it
//! into a [`read::Reading`], [`failure`] turns pasted errors into failing calls, [`diagnose`]
//! combines both with the [`catalog`] into findings, and [`link`] builds the link. [`store`]
//! keeps what was learned between pages. The records they pass along (apps, packages,
//! statuses, users, failing calls) are defined once, in [`model`]. The browser extension runs
//! all of it as wasm ([`wasm`]); the `scope-doctor` binary runs it natively on saved files.

pub mod catalog;
#[cfg(feature = "native")]
pub mod cli;
pub mod diagnose;
pub mod evidence;
pub mod failure;
pub mod link;
pub mod link_check;
pub mod message;
pub mod model;
pub mod names;
pub mod read;
pub mod secrets;
pub mod snapshot;
pub mod store;
pub mod text;
pub mod values;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod wasm;
