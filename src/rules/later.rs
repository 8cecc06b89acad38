//! A value made now or at its first use, shared by every thread: how the built-in rules put
//! off work that a run may never need (a rule's automaton, a whole language's rules).
//!
//! `std::sync::LazyLock` would do, but for two things it lacks: the recipe is a boxed closure
//! chosen at run time (or no recipe at all: a value made now), and a recipe that panicked
//! leaves `None` for later callers instead of poisoning every one of them.

use std::sync::{Mutex, OnceLock};

/// What a deferred value is made from.
type Recipe<T> = Box<dyn FnOnce() -> Option<T> + Send>;

pub struct Later<T> {
    made: OnceLock<Option<T>>,
    recipe: Mutex<Option<Recipe<T>>>,
}

impl<T> Later<T> {
    /// A value made already.
    pub fn now(value: T) -> Later<T> {
        Later {
            made: OnceLock::from(Some(value)),
            recipe: Mutex::new(None),
        }
    }

    /// A value `recipe` makes at the first [`Later::get`] (`None`: it could not be made).
    pub fn deferred(recipe: impl FnOnce() -> Option<T> + Send + 'static) -> Later<T> {
        Later {
            made: OnceLock::new(),
            recipe: Mutex::new(Some(Box::new(recipe))),
        }
    }

    /// The value, made on the first call when deferred; `None` when it could not be made, or
    /// when its recipe panicked on an earlier call (the recipe is used up either way). Threads
    /// that ask while another makes it wait for it. The recipe must not ask for its own value.
    pub fn get(&self) -> Option<&T> {
        self.made
            .get_or_init(|| {
                let recipe = self.recipe.lock().ok()?.take()?;
                recipe()
            })
            .as_ref()
    }

    /// Whether the value has been made (`Some(false)`: it could not be), without making it.
    pub fn made(&self) -> Option<bool> {
        self.made.get().map(Option::is_some)
    }
}

impl<T> std::fmt::Debug for Later<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Later").field("made", &self.made()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    #[test]
    fn a_deferred_value_is_made_once_at_the_first_get_whatever_the_threads() {
        let runs = Arc::new(AtomicUsize::new(0));
        let r = runs.clone();
        let later = Later::deferred(move || {
            r.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(20));
            Some(42)
        });
        assert_eq!(later.made(), None, "made before it was asked for");
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| assert_eq!(later.get(), Some(&42)));
            }
        });
        assert_eq!(
            runs.load(Ordering::SeqCst),
            1,
            "the recipe ran more than once"
        );
        assert_eq!(later.made(), Some(true));
        assert_eq!(Later::now(7).get(), Some(&7));
    }

    #[test]
    fn a_recipe_that_fails_or_panics_leaves_none_for_every_later_caller() {
        let failed: Later<u8> = Later::deferred(|| None);
        assert_eq!(failed.get(), None);
        assert_eq!(failed.made(), Some(false));
        let panicked: Later<u8> = Later::deferred(|| panic!("a recipe with a bug"));
        let first = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| panicked.get()));
        assert!(first.is_err(), "the panic reaches the first caller");
        assert_eq!(
            panicked.get(),
            None,
            "later callers get nothing, not a panic"
        );
    }
}
