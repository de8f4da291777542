use super::*;
use crate::db::Access;
use crate::db_test;
use crate::testing::TestDb;

fn mail(to: &str) -> Mail {
    templates::verify_email(
        &Email::parse(to).unwrap(),
        "Ann",
        "http://localhost/verify-email?token=t",
    )
}

async fn queue(db: &TestDb, to: &str) {
    let mut tx = db.begin(Access::Write).await.unwrap();
    outbox::enqueue(&mut tx, &mail(to)).await.unwrap();
    tx.commit().await.unwrap();
}

db_test! {
    async fn queued_mail_is_delivered_once_to_the_local_mailbox(db: TestDb) {
        // A rolled-back change sends nothing.
        let mut tx = db.begin(Access::Write).await.unwrap();
        outbox::enqueue(&mut tx, &mail("lost@example.com")).await.unwrap();
        tx.rollback().await.unwrap();
        queue(&db, "ann@example.com").await;

        let dir = tempfile::tempdir().unwrap();
        let from = crate::config::DEFAULT_MAIL_FROM.parse().unwrap();
        let transport = Transport::Mailbox { dir: dir.path().join("mailbox"), from };
        worker::deliver_due(&db, &transport).await;
        worker::deliver_due(&db, &transport).await;

        let files: Vec<_> = std::fs::read_dir(dir.path().join("mailbox")).unwrap().collect();
        assert_eq!(files.len(), 1, "delivered exactly once");
        let raw = std::fs::read_to_string(files[0].as_ref().unwrap().path()).unwrap();
        assert!(raw.contains("To: ann@example.com"), "{raw}");
        assert!(raw.contains("Content-Type: text/html"), "{raw}");
        assert_eq!(outbox_counts(&db).await.unwrap(), [("sent".to_owned(), 1)]);
        // The mailbox page reads it back: headers and the plain-text part.
        let letter = super::mailbox::letter(&files[0].as_ref().unwrap().path()).unwrap();
        assert_eq!((letter.to.as_str(), letter.subject.as_str()), ("ann@example.com", mail("x@y.z").subject.as_str()));
        assert_eq!(letter.text.trim(), mail("x@y.z").text.trim());
    }
}

db_test! {
    async fn a_failed_delivery_is_retried_later_not_lost(db: TestDb) {
        queue(&db, "ann@example.com").await;
        // Nothing listens on this port: the SMTP connection is refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let smtp = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(port)
            .build();
        let transport = Transport::Smtp { smtp, from: crate::config::DEFAULT_MAIL_FROM.parse().unwrap() };
        worker::deliver_due(&db, &transport).await;
        assert_eq!(outbox_counts(&db).await.unwrap(), [("pending".to_owned(), 1)]);
        let mut tx = db.begin(Access::Read).await.unwrap();
        let (attempts, next, error): (i64, i64, Option<String>) = crate::db::query::optional!(
            tx, "SELECT attempts, next_attempt_at, last_error FROM outbox"
        ).unwrap().unwrap();
        assert_eq!(attempts, 1);
        assert!(next > chrono::Utc::now().timestamp() + 20, "backs off");
        assert!(error.unwrap().contains("SMTP"));
        // Not due yet: a second pass leaves it alone.
        drop(tx);
        worker::deliver_due(&db, &transport).await;
        assert_eq!(outbox_counts(&db).await.unwrap(), [("pending".to_owned(), 1)]);
    }
}

db_test! {
    async fn the_operator_sees_unsent_mail_and_retries_a_failed_message(db: TestDb) {
        queue(&db, "ann@example.com").await;
        queue(&db, "bob@example.com").await;
        let admin = crate::tenancy::AdminScope::resolve(&crate::testing::fixtures::super_admin(&db).await).unwrap();
        let mut tx = db.begin(Access::Write).await.unwrap();
        let sql = "UPDATE outbox SET status = 'failed', attempts = 8, last_error = 'SMTP 550'
                    WHERE recipient = 'bob@example.com'";
        crate::db::query::execute!(tx, sql).unwrap();
        tx.commit().await.unwrap();

        let unsent = outbox::unsent(&db, &admin, 10).await.unwrap();
        let listed: Vec<(&str, &str)> = unsent.iter().map(|m| (m.recipient.as_str(), m.status.as_str())).collect();
        assert_eq!(listed, [("bob@example.com", "failed"), ("ann@example.com", "pending")], "failed first");
        assert_eq!(unsent[0].last_error.as_deref(), Some("SMTP 550"));
        assert!(matches!(outbox::retry(&db, &admin, unsent[1].id).await, Err(crate::Error::NotFound)), "not failed");
        outbox::retry(&db, &admin, unsent[0].id).await.unwrap();

        let dir = tempfile::tempdir().unwrap();
        let from = crate::config::DEFAULT_MAIL_FROM.parse().unwrap();
        let transport = Transport::Mailbox { dir: dir.path().join("mailbox"), from };
        worker::deliver_due(&db, &transport).await;
        assert!(outbox::unsent(&db, &admin, 10).await.unwrap().is_empty());
        assert_eq!(outbox_counts(&db).await.unwrap(), [("sent".to_owned(), 2)]);
    }
}
