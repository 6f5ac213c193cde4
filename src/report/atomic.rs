//! Files paved writes for others to read (reports, the baseline, paved.toml) appear whole
//! or not at all: a CI step must never upload a report cut short by a full disk or an
//! error. Each is written to a temporary file beside the target and renamed over it.

use std::io::{BufWriter, Write};
use std::path::Path;

/// Writes `path` through `write` into a temporary file in the same directory, then renames
/// it over `path`. On any error the temporary file is removed and `path` is untouched.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let directory = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".paved-").suffix(".tmp");
    // The file the user asked for gets the usual permissions (0666 less the umask), not
    // the private 0600 of a temporary file.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut temporary = builder.tempfile_in(directory)?;
    let mut out = BufWriter::new(temporary.as_file_mut());
    write(&mut out)?;
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    temporary.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leftovers(directory: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(directory)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replaces_the_target_whole() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("report.json");
        std::fs::write(&path, "old and longer").unwrap();
        write_atomically(&path, |out| out.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(leftovers(directory.path()), ["report.json"]);
    }

    #[test]
    fn a_failed_write_leaves_the_target_and_no_temporary_file() {
        let directory = tempfile::tempdir().unwrap();
        let path = directory.path().join("report.json");
        std::fs::write(&path, "old").unwrap();
        let error = write_atomically(&path, |out| {
            out.write_all(b"half")?;
            Err(std::io::Error::other("disk full"))
        })
        .unwrap_err();
        assert_eq!(error.to_string(), "disk full");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(leftovers(directory.path()), ["report.json"]);
    }

    #[cfg(unix)]
    #[test]
    fn the_file_gets_the_permissions_of_an_ordinary_one() {
        use std::os::unix::fs::PermissionsExt;
        let directory = tempfile::tempdir().unwrap();
        let mode = |name: &str| {
            let metadata = std::fs::metadata(directory.path().join(name)).unwrap();
            metadata.permissions().mode()
        };
        std::fs::write(directory.path().join("ordinary"), "{}").unwrap();
        write_atomically(&directory.path().join("report.json"), |out| {
            out.write_all(b"{}")
        })
        .unwrap();
        assert_eq!(mode("report.json"), mode("ordinary"));
    }
}
