//! The message for the merchant: what the developer sends along with the link — the app's name,
//! which packages to tick as the authorization page names them, the link, and what happens
//! next; for `add-user`, what the merchant must tell the developer first (their user ID).

use crate::catalog;
use crate::diagnose::{Explanation, Finding, Verdict};
use crate::model::App;
use crate::text::joined;

/// The message for a finding that carries a link; none for every other verdict.
pub fn for_finding(finding: &Finding, app: Option<&App>) -> Option<Explanation> {
    let link = finding.auth_link.as_deref()?;
    let app = app?;
    let name = app.app_name.clone().unwrap_or_else(|| app.app_key.clone());
    let owned = app.owned_scopes();
    // The authorization page lists packages by their Chinese names.
    let packages_zh = joined(&owned.iter().map(|s| format!("「{}」", catalog::chinese_name(s))).collect::<Vec<_>>(), "");
    let packages_en = joined(&owned.iter().map(|s| format!("\u{201c}{}\u{201d}", catalog::chinese_name(s))).collect::<Vec<_>>(), ", ");
    let (zh, en) = match finding.verdict {
        Verdict::AddUser => (
            format!(
                "您好，为了让「{name}」能访问您的店铺，请先把您的快手用户 ID 发给我们，我们把它加入应用的授权名单。收到确认后，请用电脑打开下面的链接，勾选{packages_zh}并点击「授权」：\n{link}\n授权完成后我们这边即可正常调用，无需您再做其他操作。"
            ),
            format!(
                "Hello! So that {name} can work with your shop, please first send us your Kuaishou user ID so we can add it to the app's authorized users. Once we confirm, open the link below on a computer, tick {packages_en} and click 授权 (Authorize):\n{link}\nAfter that everything works on our side; nothing more is needed from you."
            ),
        ),
        _ => (
            format!(
                "您好，「{name}」需要您重新授权才能继续使用。请用电脑打开下面的链接，确认勾选{packages_zh}，然后点击「授权」：\n{link}\n授权完成后我们这边即可恢复，无需您再做其他操作。"
            ),
            format!(
                "Hello! {name} needs you to authorize it again to keep working. Please open the link below on a computer, make sure {packages_en} are ticked, and click 授权 (Authorize):\n{link}\nAfter that everything works again on our side; nothing more is needed from you."
            ),
        ),
    };
    Some(Explanation { zh, en })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnose::{decide, Knowledge};
    use crate::model::{Failure, FailureKind, Package, Status};

    fn app() -> App {
        App {
            app_key: "ks100".into(),
            app_name: Some("小店助手".into()),
            callback: Some("https://cb.example/x".into()),
            app_type: None,
            packages: vec![
                Package { scope: "user_info".into(), status: Status::Owned, anchor: None, name: None },
                Package { scope: "merchant_item".into(), status: Status::Owned, anchor: None, name: None },
                Package { scope: "merchant_order".into(), status: Status::Missing, anchor: None, name: None },
            ],
        }
    }

    fn finding(api: Option<&str>, kind: FailureKind) -> Finding {
        let app = app();
        let failure = Failure { api: api.map(String::from), merchant: None, kind, code: None, message: String::new(), count: 1 };
        decide(&failure, Knowledge { app: Some(&app), ..Default::default() })
    }

    #[test]
    fn names_the_app_the_packages_as_the_page_shows_them_and_the_link() {
        let f = finding(Some("open.item.get"), FailureKind::MissingScope);
        let message = for_finding(&f, Some(&app())).unwrap_or_else(|| panic!("a reauthorize finding has a message"));
        let link = f.auth_link.as_deref().unwrap_or_default();
        assert!(
            message.zh.contains("「小店助手」") && message.zh.contains("「用户基本信息」「商品信息」") && message.zh.contains(link),
            "{}",
            message.zh
        );
        assert!(!message.zh.contains("订单"), "only held packages are ticked");
        assert!(message.en.contains(link) && message.en.contains("\u{201c}商品信息\u{201d}"), "{}", message.en);
    }

    #[test]
    fn add_user_asks_for_the_user_id_first() {
        let message = for_finding(&finding(None, FailureKind::NotAppUser), Some(&app())).unwrap_or_else(|| panic!("add-user has a link"));
        assert!(message.zh.contains("用户 ID") && message.en.contains("user ID"));
    }

    #[test]
    fn no_message_without_a_link() {
        assert_eq!(for_finding(&finding(Some("open.order.cursor.list"), FailureKind::MissingScope), Some(&app())), None);
        assert_eq!(for_finding(&finding(Some("open.item.get"), FailureKind::ExpiredToken), Some(&app())), None);
    }
}
