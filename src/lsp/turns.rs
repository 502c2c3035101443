//! One diagnosis of a document at a time. Each pause in typing asks for one; while one is
//! under way a newer request does not start a second beside it but asks the one under way
//! to go again when it ends (for the document's latest version, whichever that is by then).
//! A large brief takes a second or more to check: without turns, every pause started a
//! check of its own, and they overlapped on every core while the editor waited on hovers.

use std::collections::HashMap;
use std::sync::Mutex;

use tower_lsp_server::ls_types::Uri;

use super::state::lock;

#[derive(Default)]
pub struct Turns {
    /// The documents being diagnosed, each with whether a newer request came meanwhile.
    under_way: Mutex<HashMap<Uri, bool>>,
}

impl Turns {
    /// Whether the caller may diagnose `uri` now. If not, the diagnosis under way is asked
    /// to go again when it ends (`go_again`).
    pub fn start(&self, uri: &Uri) -> bool {
        let mut under_way = lock(&self.under_way);
        match under_way.get_mut(uri) {
            Some(asked_again) => {
                *asked_again = true;
                false
            }
            None => {
                under_way.insert(uri.clone(), false);
                true
            }
        }
    }

    /// Called when a diagnosis of `uri` ends: whether to diagnose it again, because a newer
    /// request came meanwhile. When not, the turn ends.
    pub fn go_again(&self, uri: &Uri) -> bool {
        let mut under_way = lock(&self.under_way);
        match under_way.get_mut(uri) {
            Some(asked_again) if *asked_again => {
                *asked_again = false;
                true
            }
            _ => {
                under_way.remove(uri);
                false
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(name: &str) -> Uri {
        format!("file:///briefs/{name}.md")
            .parse()
            .expect("a file URI")
    }

    #[test]
    fn a_request_during_a_diagnosis_makes_it_go_again_once() {
        let turns = Turns::default();
        let brief = uri("brief");
        assert!(turns.start(&brief));
        assert!(!turns.start(&brief), "a second diagnosis beside the first");
        assert!(!turns.start(&brief));
        assert!(
            turns.go_again(&brief),
            "the requests made meanwhile are served"
        );
        assert!(!turns.go_again(&brief), "once, for the latest version");
        assert!(
            turns.start(&brief),
            "the turn ended: the next request starts one"
        );
    }

    #[test]
    fn documents_take_turns_each_on_their_own() {
        let turns = Turns::default();
        let (first, second) = (uri("first"), uri("second"));
        assert!(turns.start(&first));
        assert!(turns.start(&second));
        assert!(!turns.go_again(&first));
        assert!(!turns.start(&second));
        assert!(turns.go_again(&second));
    }
}
