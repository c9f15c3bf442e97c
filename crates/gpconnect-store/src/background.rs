//! Work that may wait for a command: the CPU-heavy part of a search (reading and decoding
//! thousands of slots, encoding a bundle of megabytes) runs on a few threads of their own at
//! a lower scheduling priority (nice 5 on Linux).
//!
//! SPEC 2.14 gives commands (a booking, a cancellation) 250 ms and queries 3 s. When both
//! compete for the cores, the operating system then runs a command's thread first whenever
//! it is ready, instead of sharing the core evenly with a search that has tens of milliseconds
//! of work left; searches take the cores the commands leave, which under any load short of
//! saturation is nearly all of them.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::sync::{Arc, Mutex, OnceLock};

use thread_priority::{ThreadPriority, ThreadPriorityValue};
use tokio::sync::oneshot;

/// The cross-platform priority given to the threads: nice 5 on Linux (0 is the default,
/// 19 the lowest), so a thread at the default priority gets about three times their share.
const PRIORITY: u8 = 35;

/// Why background work gave no result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("background work failed: {0}")]
pub struct BackgroundError(String);

type Job = Box<dyn FnOnce() + Send>;

struct Pool {
    jobs: mpsc::Sender<Job>,
}

/// Runs `work` on one of the background threads and returns its result.
pub async fn run<T, F>(work: F) -> Result<T, BackgroundError>
where
    T: Send + 'static,
    F: FnOnce() -> T + Send + 'static,
{
    let (reply, answer) = oneshot::channel();
    let job: Job = Box::new(move || {
        let out = std::panic::catch_unwind(AssertUnwindSafe(work))
            .map_err(|_| BackgroundError("it stopped unexpectedly".to_owned()));
        // The caller may have gone (its request timed out).
        let _ = reply.send(out);
    });
    pool()?
        .jobs
        .send(job)
        .map_err(|_| BackgroundError("no background thread is running".to_owned()))?;
    answer
        .await
        .map_err(|_| BackgroundError("the background thread stopped".to_owned()))?
}

fn pool() -> Result<&'static Pool, BackgroundError> {
    static POOL: OnceLock<Result<Pool, BackgroundError>> = OnceLock::new();
    POOL.get_or_init(start).as_ref().map_err(Clone::clone)
}

/// One thread per core: the work is CPU-bound, and callers bound how much of it they start.
fn start() -> Result<Pool, BackgroundError> {
    let (jobs, queue) = mpsc::channel::<Job>();
    let queue = Arc::new(Mutex::new(queue));
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    for i in 0..threads {
        let queue = queue.clone();
        std::thread::Builder::new()
            .name(format!("background-{i}"))
            .spawn(move || serve(&queue))
            .map_err(|e| BackgroundError(format!("cannot start a background thread: {e}")))?;
    }
    Ok(Pool { jobs })
}

fn serve(queue: &Mutex<mpsc::Receiver<Job>>) {
    lower_priority();
    loop {
        // The lock is held only while taking a job, not while running it.
        let next = match queue.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        match next {
            Ok(job) => job(),
            Err(_) => return,
        }
    }
}

/// Lowers the calling thread's priority. Where that is refused, the thread runs at the
/// default priority, as any other: slower commands under load, never wrong answers.
fn lower_priority() {
    let Ok(value) = ThreadPriorityValue::try_from(PRIORITY) else {
        return;
    };
    if let Err(e) =
        thread_priority::set_current_thread_priority(ThreadPriority::Crossplatform(value))
    {
        tracing::debug!(error = ?e, "background threads run at the default priority");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_runs_and_a_panic_is_an_error() {
        assert_eq!(run(|| 6 * 7).await, Ok(42));
        let failed = run(|| -> u8 { panic!("a bug in background work") }).await;
        assert!(failed.is_err());
        // The threads go on after a panic.
        for i in 0..16 {
            assert_eq!(run(move || i * 2).await, Ok(i * 2));
        }
    }

    /// The nice value of the calling thread (field 19 of /proc/thread-self/stat).
    #[cfg(target_os = "linux")]
    fn nice() -> i64 {
        let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("stat");
        // The command name (field 2) is in parentheses and may hold spaces.
        let after_name = &stat[stat.rfind(')').expect("name") + 2..];
        after_name
            .split(' ')
            .nth(16)
            .and_then(|n| n.parse().ok())
            .expect("nice")
    }

    /// On Linux the background threads run below the default priority.
    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn the_threads_run_below_the_default_priority() {
        let theirs = run(nice).await.expect("run");
        // Nice 5 (or the caller's own, if that is lower still): below the default of 0.
        assert!(theirs >= 5, "background nice {theirs}, caller {}", nice());
    }
}
