//! Where the machine-read reports say a finding is. Code scanning, merge-request widgets
//! and test reports resolve a path against the checkout, not against the directory paved
//! ran in: they get the file's path within its git repository, whatever path was typed
//! (absolute, relative, with a trailing slash, from another directory). A file outside any
//! repository has no such path: SARIF names it by an absolute `file://` URI, the other
//! formats as it was shown.

use std::borrow::Cow;
use std::path::Path;

use super::escape::uri_path;
use crate::finding::Location;
use crate::lint::RunError;

/// The base SARIF consumers resolve repository-relative URIs against: the checkout.
pub const SOURCE_ROOT: &str = "%SRCROOT%";

/// The path a report names: within the repository when the file is in one (`.` for the
/// repository itself), else the displayed path.
pub fn relative(location: &Location) -> Cow<'_, str> {
    match &location.repository {
        Some(repository) if repository.in_git && repository.path.is_empty() => ".".into(),
        Some(repository) if repository.in_git => repository.path.as_str().into(),
        _ => location.file.as_str().into(),
    }
}

/// Where a run error is: its file, within its repository when known.
pub fn of_error(error: &RunError) -> Location {
    let mut location = Location::file_only(error.file.clone());
    location.repository = error.repository.clone();
    location
}

/// A SARIF artifact location: a percent-encoded URI and the base it is relative to.
pub fn uri(location: &Location) -> (String, Option<&'static str>) {
    match &location.repository {
        Some(repository) if !repository.in_git => (file_uri(&location.file), None),
        _ => (uri_path(&relative(location)), Some(SOURCE_ROOT)),
    }
}

/// `file:///...` for a displayed path, made absolute against the working directory (the
/// one the path was typed in).
fn file_uri(shown: &str) -> String {
    let absolute = std::path::absolute(Path::new(shown))
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_else(|_| shown.to_string());
    let encoded = uri_path(&absolute);
    // A Windows path (`C:/...`) needs the slash an absolute URI path starts with.
    let separator = if encoded.starts_with('/') { "" } else { "/" };
    format!("file://{separator}{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::RepositoryPath;

    fn at(file: &str, path: &str, in_git: bool) -> Location {
        let mut location = Location::file_only(file);
        location.repository = Some(RepositoryPath {
            path: path.to_string(),
            in_git,
        });
        location
    }

    #[test]
    fn files_in_a_repository_are_named_within_it() {
        let location = at("/builds/org/repo/k8s/a b.yaml", "k8s/a b.yaml", true);
        assert_eq!(relative(&location), "k8s/a b.yaml");
        assert_eq!(
            uri(&location),
            ("k8s/a%20b.yaml".to_string(), Some("%SRCROOT%"))
        );
        let root = at("/builds/org/repo/", "", true);
        assert_eq!(relative(&root), ".");
        assert_eq!(uri(&root), (".".to_string(), Some("%SRCROOT%")));
    }

    #[test]
    fn files_outside_a_repository_are_absolute_file_uris() {
        let location = at("/tmp/scan/a#b.yaml", "a#b.yaml", false);
        assert_eq!(relative(&location), "/tmp/scan/a#b.yaml");
        assert_eq!(
            uri(&location),
            ("file:///tmp/scan/a%23b.yaml".to_string(), None)
        );
        let here = std::env::current_dir().unwrap().join("x.yaml");
        let (relative_typed, base) = uri(&at("x.yaml", "x.yaml", false));
        assert_eq!(
            relative_typed,
            format!("file://{}", uri_path(&here.to_string_lossy()))
        );
        assert_eq!(base, None);
    }

    #[test]
    fn locations_without_a_repository_path_keep_the_shown_path() {
        let location = Location::file_only("sub/x.yaml");
        assert_eq!(relative(&location), "sub/x.yaml");
        assert_eq!(
            uri(&location),
            ("sub/x.yaml".to_string(), Some("%SRCROOT%"))
        );
    }
}
