//! Maps a function over a slice on every core (scoped threads taking items one at a time),
//! results in the order of the items; one thread when there is one core or one item.
//!
//! The whole process shares one budget of helper threads (the cores less one): a call takes
//! the helpers that are free and gives them back when it ends, and a call made inside a
//! mapped function — or while the budget is spent — runs on its own thread, so nested or
//! concurrent maps never run more threads than there are cores.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Helper threads in use in the whole process.
static BUSY: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Set on the threads of a running map (its caller included).
    static MAPPING: Cell<bool> = const { Cell::new(false) };
}

/// Takes up to `wanted` helpers from the budget; gives them back when dropped.
struct Helpers(usize);

impl Helpers {
    fn take(wanted: usize) -> Helpers {
        let budget = threads().saturating_sub(1);
        let mut busy = BUSY.load(Ordering::Relaxed);
        loop {
            let n = wanted.min(budget.saturating_sub(busy));
            if n == 0 {
                return Helpers(0);
            }
            match BUSY.compare_exchange_weak(busy, busy + n, Ordering::AcqRel, Ordering::Relaxed) {
                Ok(_) => return Helpers(n),
                Err(now) => busy = now,
            }
        }
    }
}

impl Drop for Helpers {
    fn drop(&mut self) {
        BUSY.fetch_sub(self.0, Ordering::AcqRel);
    }
}

/// Marks the current thread as mapping while alive.
struct Mapping(bool);

impl Mapping {
    fn enter() -> Mapping {
        Mapping(MAPPING.with(|m| m.replace(true)))
    }
}

impl Drop for Mapping {
    fn drop(&mut self) {
        MAPPING.with(|m| m.set(self.0));
    }
}

/// Threads used: the cores the process may run on.
pub fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get)
}

fn work<T: Sync, R>(
    next: &AtomicUsize,
    items: &[T],
    f: &(impl Fn(&T) -> R + Sync),
) -> Vec<(usize, R)> {
    let _mapping = Mapping::enter();
    let mut done = Vec::new();
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        let Some(item) = items.get(i) else {
            return done;
        };
        done.push((i, f(item)));
    }
}

/// `items.iter().map(f).collect()`, spread over the cores. A panic in `f` is passed on.
pub fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let nested = MAPPING.with(Cell::get);
    let helpers = if nested || items.len() <= 1 {
        Helpers(0)
    } else {
        Helpers::take(items.len() - 1)
    };
    if helpers.0 == 0 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let parts: Vec<Vec<(usize, R)>> = std::thread::scope(|scope| {
        let others: Vec<_> = (0..helpers.0)
            .map(|_| scope.spawn(|| work(&next, items, &f)))
            .collect();
        let mut parts = vec![work(&next, items, &f)];
        for other in others {
            match other.join() {
                Ok(part) => parts.push(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        parts
    });
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    for (i, r) in parts.into_iter().flatten() {
        slots[i] = Some(r);
    }
    slots
        .into_iter()
        .map(|r| r.expect("every item is mapped once"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_keep_the_order_of_the_items() {
        let items: Vec<u64> = (0..1000).collect();
        let squares = map(&items, |n| n * n);
        assert_eq!(squares, items.iter().map(|n| n * n).collect::<Vec<_>>());
        assert!(map(&[] as &[u8], |b| *b).is_empty());
    }

    /// A map inside a mapped function, and maps on several threads at once, never run more
    /// threads than the budget.
    #[test]
    fn nested_and_concurrent_maps_stay_within_the_cores() {
        use std::sync::atomic::AtomicUsize;
        static RUNNING: AtomicUsize = AtomicUsize::new(0);
        static MOST: AtomicUsize = AtomicUsize::new(0);
        let inner = |n: &u64| {
            let now = RUNNING.fetch_add(1, Ordering::SeqCst) + 1;
            MOST.fetch_max(now, Ordering::SeqCst);
            std::thread::yield_now();
            RUNNING.fetch_sub(1, Ordering::SeqCst);
            n + 1
        };
        let outer: Vec<u64> = (0..16).collect();
        std::thread::scope(|scope| {
            for _ in 0..3 {
                scope.spawn(|| {
                    let sums = map(&outer, |n| {
                        let items: Vec<u64> = (0..*n).collect();
                        map(&items, inner).iter().sum::<u64>()
                    });
                    assert_eq!(sums[4], 1 + 2 + 3 + 4);
                });
            }
        });
        // Three callers, each with at most the budget's helpers in all.
        assert!(
            MOST.load(Ordering::SeqCst) <= 3 + threads().saturating_sub(1),
            "{} at once",
            MOST.load(Ordering::SeqCst)
        );
    }

    #[test]
    #[should_panic(expected = "boom")]
    fn a_panic_reaches_the_caller() {
        let items: Vec<u32> = (0..100).collect();
        map(&items, |n| if *n == 57 { panic!("boom") } else { *n });
    }
}
