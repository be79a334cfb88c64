//! Heavy CPU work (decoding photos, rendering badge sheets, building a directory) runs on
//! the blocking pool, a bounded number at once per kind: a burst waits in a short line, and
//! beyond it is answered 503 with `Retry-After` at once instead of taking every core and
//! every async worker with it.

use crate::error::AppError;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};
use tokio::sync::Semaphore;

/// Slots for one kind of work.
pub struct Slots {
    running: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

impl Slots {
    /// One slot per core, and `max_waiting` in line.
    pub fn per_core(max_waiting: usize) -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            running: Arc::new(Semaphore::new(cores)),
            waiting: AtomicUsize::new(0),
            max_waiting,
        }
    }

    /// Runs `work` on the blocking pool once a slot is free; `Unavailable` when the line is
    /// full. The slot goes with the work: a request dropped meanwhile does not free it early.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let in_line = InLine(&self.waiting);
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            return Err(AppError::Unavailable);
        }
        let permit = self
            .running
            .clone()
            .acquire_owned()
            .await
            .map_err(AppError::internal)?;
        drop(in_line);
        tokio::task::spawn_blocking(move || {
            let _permit = permit;
            work()
        })
        .await
        .map_err(AppError::internal)
    }
}

/// One request in line; counted out however the wait ends (a client that hangs up drops it).
struct InLine<'a>(&'a AtomicUsize);

impl Drop for InLine<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// Photo decoding (tens of milliseconds and up to 160 MB each).
pub static PHOTOS: LazyLock<Slots> = LazyLock::new(|| Slots::per_core(16));
/// Badge sheets (a second or more for a large event's PDF).
pub static BADGES: LazyLock<Slots> = LazyLock::new(|| Slots::per_core(8));
/// Building an event's directory index, and searching a large one.
pub static DIRECTORY: LazyLock<Slots> = LazyLock::new(|| Slots::per_core(64));

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn beyond_the_line_the_answer_is_unavailable_at_once() {
        let slots = Arc::new(Slots::per_core(2));
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let (release, released) = std::sync::mpsc::channel::<()>();
        let released = Arc::new(std::sync::Mutex::new(released));
        let mut busy = Vec::new();
        for _ in 0..cores + 2 {
            let (slots, released) = (slots.clone(), released.clone());
            busy.push(tokio::spawn(async move {
                slots
                    .run(move || {
                        let _ = released.lock().unwrap().recv();
                    })
                    .await
            }));
        }
        // Wait until every slot is taken and the line is full.
        while slots.waiting.load(Ordering::SeqCst) < 2 {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        assert_eq!(slots.run(|| ()).await, Err(AppError::Unavailable));
        for _ in 0..cores + 2 {
            release.send(()).unwrap();
        }
        for task in busy {
            assert_eq!(task.await.unwrap(), Ok(()));
        }
        assert_eq!(slots.run(|| 7).await, Ok(7));
    }
}
