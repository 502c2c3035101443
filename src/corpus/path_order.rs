//! Sorting the corpus's files in `Path` order at a fraction of its cost: `Path`'s `Ord`
//! splits both paths into components at every comparison, which made sorting 10k files a
//! visible part of a cold index. Each path is turned once into bytes that compare as its
//! components do.

use std::path::{Component, Path, PathBuf};

/// Sorts `files` as `files.sort()` would.
pub fn sort_paths(files: &mut [PathBuf]) {
    files.sort_by_cached_key(|path| order_key(path));
}

/// Bytes whose order is the order of `path`'s components: each component is a kind byte
/// (in `Component`'s order), its bytes for a prefix or a name, and a 0 that ends it. No
/// component holds a 0 byte, so a component that is a prefix of another sorts first, as it
/// does in `Path`'s order.
fn order_key(path: &Path) -> Vec<u8> {
    let mut key = Vec::with_capacity(path.as_os_str().len() + 8);
    for component in path.components() {
        let (kind, bytes): (u8, &[u8]) = match component {
            Component::Prefix(prefix) => (1, prefix.as_os_str().as_encoded_bytes()),
            Component::RootDir => (2, &[]),
            Component::CurDir => (3, &[]),
            Component::ParentDir => (4, &[]),
            Component::Normal(name) => (5, name.as_encoded_bytes()),
        };
        key.push(kind);
        key.extend_from_slice(bytes);
        key.push(0);
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn paths() -> impl Strategy<Value = Vec<PathBuf>> {
        let path = "(/|\\./|\\.\\./)?([a-c.-]{1,3}/{1,2}){0,3}[a-c.-]{0,3}".prop_map(PathBuf::from);
        prop::collection::vec(path, 0..24)
    }

    proptest! {
        #[test]
        fn sorts_as_path_order_does(mut files in paths()) {
            let mut expected = files.clone();
            expected.sort();
            sort_paths(&mut files);
            prop_assert_eq!(files, expected);
        }
    }

    #[test]
    fn a_name_sorts_before_the_longer_names_it_begins() {
        let mut files = vec![
            PathBuf::from("/c/a-b/x"),
            PathBuf::from("/c/a/y"),
            PathBuf::from("/c/a.md"),
        ];
        sort_paths(&mut files);
        let expected = ["/c/a/y", "/c/a-b/x", "/c/a.md"].map(PathBuf::from);
        assert_eq!(files, expected);
    }
}
