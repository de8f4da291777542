//! The transaction lifecycle under cancellation: a request whose client hangs up drops its
//! futures at any await, and the pooled connection must come back clean.

use std::future::Future;
use std::task::Poll;

use super::{query, Access, Db};
use crate::db_test;
use crate::testing::TestDb;

const ROUNDS: usize = 20;

/// Polls `begin` at most `polls` times, letting the runtime run in between, and drops it if
/// it has not finished. Whether it finished.
async fn begin_cut_short(db: &Db, access: Access, polls: usize) -> bool {
    let mut begin = std::pin::pin!(db.begin(access));
    for _ in 0..polls {
        let poll = std::future::poll_fn(|cx| Poll::Ready(begin.as_mut().poll(cx))).await;
        if poll.is_ready() {
            return true;
        }
        tokio::task::yield_now().await;
    }
    false
}

/// A write, then a read that must see it.
async fn write_then_read(db: &Db, hits: i64) {
    let mut tx = db.begin(Access::Write).await.unwrap();
    query::execute!(
        tx,
        "INSERT INTO rate_limits (key, window_start, hits) VALUES ('cancel', 0, $1)
         ON CONFLICT (key) DO UPDATE SET hits = excluded.hits",
        hits
    )
    .unwrap_or_else(|e| panic!("a write after a cancelled begin: {e}"));
    tx.commit().await.unwrap();
    let mut tx = db.begin(Access::Read).await.unwrap();
    let seen: i64 =
        query::scalar!(tx, "SELECT hits FROM rate_limits WHERE key = 'cancel'").unwrap();
    assert_eq!(
        seen, hits,
        "a read after a cancelled begin sees the last commit"
    );
    tx.rollback().await.unwrap();
}

db_test! {
    /// Cuts a begin short after one poll, then two, and so on until one finishes, many
    /// times over: some cuts fall after `BEGIN` went out and before its answer was read.
    async fn a_cancelled_begin_leaves_no_transaction_behind(db: TestDb) {
        let mut hits = 0;
        for access in [Access::Read, Access::Write].repeat(ROUNDS) {
            let mut polls = 1;
            while !begin_cut_short(&db, access, polls).await {
                hits += 1;
                write_then_read(&db, hits).await;
                polls += 1;
            }
        }
    }
}
