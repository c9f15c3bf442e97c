//! Test cases and how a run executes them: concurrently up to a bound, each case on its own
//! task, results reported in the order the cases are defined, then the teardown.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use crate::context::{Ctx, Teardown};
use crate::report::CaseResult;
use crate::verdict::{Check, Failure};
use crate::Feature;

type CaseFuture = Pin<Box<dyn Future<Output = Check> + Send>>;
type CaseBody = Box<dyn FnOnce(Arc<Ctx>) -> CaseFuture + Send>;

/// One test case: a scenario, or one row of a scenario outline.
pub(crate) struct Case {
    pub(crate) feature: Feature,
    pub(crate) scenario: &'static str,
    pub(crate) row: Option<String>,
    body: CaseBody,
}

impl Case {
    /// `Feature scenario [row]`.
    pub(crate) fn name(&self) -> String {
        crate::report::case_name(self.feature, self.scenario, self.row.as_deref())
    }
}

impl std::fmt::Debug for Case {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name())
    }
}

/// The cases of one feature, in definition order.
#[derive(Debug)]
pub(crate) struct Cases {
    feature: Feature,
    pub(crate) list: Vec<Case>,
}

impl Cases {
    pub(crate) fn new(feature: Feature) -> Self {
        Self {
            feature,
            list: Vec::new(),
        }
    }

    /// A scenario.
    pub(crate) fn scenario<F, Fut>(&mut self, scenario: &'static str, body: F)
    where
        F: FnOnce(Arc<Ctx>) -> Fut + Send + 'static,
        Fut: Future<Output = Check> + Send + 'static,
    {
        self.push(scenario, None, body);
    }

    /// One row of a scenario outline.
    pub(crate) fn row<F, Fut>(&mut self, scenario: &'static str, row: impl Into<String>, body: F)
    where
        F: FnOnce(Arc<Ctx>) -> Fut + Send + 'static,
        Fut: Future<Output = Check> + Send + 'static,
    {
        self.push(scenario, Some(row.into()), body);
    }

    fn push<F, Fut>(&mut self, scenario: &'static str, row: Option<String>, body: F)
    where
        F: FnOnce(Arc<Ctx>) -> Fut + Send + 'static,
        Fut: Future<Output = Check> + Send + 'static,
    {
        self.list.push(Case {
            feature: self.feature,
            scenario,
            row,
            body: Box::new(move |ctx| Box::pin(body(ctx))),
        });
    }
}

/// Runs `cases` with at most `concurrency` at once; `on_result` sees each result in
/// definition order as soon as it and every case before it have finished. Then cancels what
/// the run booked.
pub(crate) async fn execute(
    ctx: Arc<Ctx>,
    cases: Vec<Case>,
    concurrency: usize,
    case_timeout: Duration,
    mut on_result: impl FnMut(&CaseResult),
) -> (Vec<CaseResult>, Teardown) {
    let permits = Arc::new(Semaphore::new(concurrency.max(1)));
    let mut names = Vec::with_capacity(cases.len());
    let mut tasks = JoinSet::new();
    for (index, case) in cases.into_iter().enumerate() {
        names.push((case.feature, case.scenario, case.row.clone()));
        let (ctx, permits) = (ctx.clone(), permits.clone());
        tasks.spawn(async move {
            let _permit = permits.acquire_owned().await;
            let started = Instant::now();
            let outcome = match tokio::time::timeout(case_timeout, (case.body)(ctx)).await {
                Ok(outcome) => outcome,
                Err(_) => Err(Failure::new(format!(
                    "did not finish within {} s",
                    case_timeout.as_secs()
                ))),
            };
            (index, outcome, started.elapsed())
        });
    }
    let mut results: Vec<Option<CaseResult>> = names.iter().map(|_| None).collect();
    let mut next = 0;
    while let Some(joined) = tasks.join_next().await {
        let (index, outcome, duration) = match joined {
            Ok(done) => done,
            // A case that panicked has no index to report against; it shows up below as the
            // case without a result.
            Err(_) => continue,
        };
        let (feature, scenario, row) = names[index].clone();
        results[index] = Some(CaseResult {
            feature,
            scenario: scenario.to_owned(),
            row,
            failure: outcome.err(),
            duration,
        });
        while let Some(Some(result)) = results.get(next) {
            on_result(result);
            next += 1;
        }
    }
    let mut out = Vec::with_capacity(results.len());
    for (index, (result, (feature, scenario, row))) in results.into_iter().zip(names).enumerate() {
        let result = result.unwrap_or_else(|| CaseResult {
            feature,
            scenario: scenario.to_owned(),
            row,
            failure: Some(Failure::new("the case stopped unexpectedly")),
            duration: Duration::ZERO,
        });
        if index >= next {
            on_result(&result);
        }
        out.push(result);
    }
    let teardown = ctx.teardown().await;
    (out, teardown)
}
