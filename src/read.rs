//! Reading files of an untrusted repository. A repository can hold a symlink to
//! `/proc/self/environ`, a FIFO named `CODEOWNERS` or a link to `/dev/zero`: paved opens a
//! file only when its real path stays inside the directory being scanned (the boundary),
//! only when what it opened is a regular file (checked on the open descriptor, so a file
//! swapped for a FIFO after discovery neither hangs nor gets read), and never reads more
//! than a limit.

use std::collections::HashMap;
use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::{LazyLock, Mutex};

/// Files larger than this are reported, not read: no real configuration file is this big.
pub const MAX_FILE_BYTES: u64 = 32 * 1024 * 1024;

/// Why a file was not read.
#[derive(Debug)]
pub enum ReadError {
    /// Its real path leaves the boundary: a symlink out of the repository (`link`), or a
    /// path that climbs out or goes through a linked directory.
    Outside {
        target: PathBuf,
        link: bool,
    },
    /// A FIFO, socket, device or directory.
    NotRegular {
        what: &'static str,
    },
    TooLarge,
    Io(std::io::Error),
}

impl ReadError {
    /// Whether the file is unsafe to read, as opposed to merely unreadable: the finding
    /// `paved/unsafe-file` reports these.
    pub fn is_unsafe(&self) -> bool {
        matches!(
            self,
            ReadError::Outside { .. } | ReadError::NotRegular { .. }
        )
    }

    /// A symlink to a directory inside the boundary: the walk does not follow it, and
    /// finds its files where they really are.
    pub fn is_directory(&self) -> bool {
        matches!(self, ReadError::NotRegular { what: "directory" })
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Outside { target, link: true } => write!(
                f,
                "this file is a symlink to {}, outside the scanned directory; paved does not follow it",
                target.display()
            ),
            ReadError::Outside { target, link: false } => write!(
                f,
                "this path resolves to {}, outside the scanned directory; paved does not read it",
                target.display()
            ),
            ReadError::NotRegular { what } => {
                write!(f, "this file is a {what}, not a regular file; paved does not read it")
            }
            ReadError::TooLarge => write!(
                f,
                "file is larger than {} MiB; paved does not read it",
                MAX_FILE_BYTES / (1024 * 1024)
            ),
            ReadError::Io(e) => write!(f, "cannot read: {e}"),
        }
    }
}

impl From<std::io::Error> for ReadError {
    fn from(e: std::io::Error) -> Self {
        ReadError::Io(e)
    }
}

/// The directory a file named on the command line may not leave: its git repository (the
/// nearest directory above it with `.git`), else the directory it is in.
pub fn boundary_of(file: &Path) -> PathBuf {
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
    boundary_of_dir(absolute.parent().unwrap_or(Path::new("/")))
}

/// The directory nothing read from a walk of `dir` may leave: the repository holding `dir`
/// (a symlink to a sibling directory of the repository is fine), else `dir`.
pub fn boundary_of_dir(dir: &Path) -> PathBuf {
    // A pre-commit hook names hundreds of files in a few directories: each would otherwise
    // climb to its repository's root again, reading every paved.toml on the way.
    static FOUND: LazyLock<Mutex<HashMap<PathBuf, PathBuf>>> = LazyLock::new(Mutex::default);
    let key = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    if let Some(found) = FOUND.lock().ok().and_then(|f| f.get(&key).cloned()) {
        return found;
    }
    let real = dir.canonicalize();
    let start = real.as_deref().unwrap_or(dir);
    let found = start
        .ancestors()
        .find(|a| is_repository_root(a))
        .unwrap_or(start)
        .to_path_buf();
    // A directory that is not there (yet) is not remembered.
    if let (Ok(_), Ok(mut known)) = (real, FOUND.lock()) {
        known.insert(key, found.clone());
    }
    found
}

/// A repository's root: a directory with `.git`, or one whose paved.toml says `root = true`
/// (a fixture or vendored repository kept inside another one).
pub fn is_repository_root(dir: &Path) -> bool {
    dir.join(".git").exists() || declares_root(dir)
}

fn declares_root(dir: &Path) -> bool {
    ["paved.toml", ".paved.toml"].iter().any(|name| {
        read_text_if_present(&dir.join(name), dir)
            .and_then(Result::ok)
            .and_then(|text| text.parse::<toml::Table>().ok())
            .is_some_and(|table| table.get("root") == Some(&toml::Value::Boolean(true)))
    })
}

/// `path` without `.` and `dir/..` parts, without asking the file system: a `..` stays only
/// where it climbs above where the path starts (`../org/paved.toml`).
pub fn tidy(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A directory's real path, or the path itself when it cannot be resolved (then nothing
/// resolves inside it, and nothing is read: the safe side).
pub fn canonical_dir(dir: &Path) -> PathBuf {
    dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf())
}

/// Reads `path` if its real path is inside `boundary` (a canonical directory) and it is a
/// regular file of at most [`MAX_FILE_BYTES`].
pub fn read(path: &Path, boundary: &Path) -> Result<Vec<u8>, ReadError> {
    let (file, length) = open(path, boundary)?;
    read_bounded(file, length)
}

/// Reads a file the walk found as a regular file below its boundary. The walk follows no
/// symlinks, so its path is already real: resolving it again (a `readlink` per component
/// of every file) was a sixth of a large run. The open still follows no symlink swapped in
/// for the file and refuses anything but a regular file.
pub fn read_found(path: &Path) -> Result<Vec<u8>, ReadError> {
    let (file, length) = open_regular(path)?;
    read_bounded(file, length)
}

/// Reads `path` as text if it exists: a regular file as [`read_found`] does, anything else
/// (a symlink, a FIFO) with every check of [`read`]. For files most directories lack
/// (`.gitignore`, `paved.toml`), so looking for them costs one `lstat`.
pub fn read_text_if_present(path: &Path, boundary: &Path) -> Option<Result<String, ReadError>> {
    let metadata = std::fs::symlink_metadata(path).ok()?;
    let read = if metadata.is_file() {
        read_found(path)
    } else {
        read(path, boundary)
    };
    Some(read.map(|bytes| match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    }))
}

/// Like [`read`], as text (invalid UTF-8 replaced): for files read as lines.
pub fn read_text(path: &Path, boundary: &Path) -> Result<String, ReadError> {
    read(path, boundary).map(|bytes| match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    })
}

/// Checks, without reading, what [`read`] would refuse: for files paved lists but does not
/// read, so a symlink out of the repository is reported whatever its name.
pub fn check(path: &Path, boundary: &Path) -> Result<(), ReadError> {
    open(path, boundary).map(|_| ())
}

/// Reads a file named on the command line: a pipe (`<(helm template ...)`) as the stream
/// it is, anything else as [`read`] does within [`boundary_of`] the file.
pub fn read_named(path: &Path) -> Result<Vec<u8>, ReadError> {
    if is_pipe(path) {
        return read_stream(File::open(path)?);
    }
    read(path, &boundary_of(path))
}

#[cfg(unix)]
fn is_pipe(path: &Path) -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo())
}

#[cfg(not(unix))]
fn is_pipe(_: &Path) -> bool {
    false
}

/// Reads a stream the user named (a pipe from `<(...)`, standard input) up to the limit.
pub fn read_stream(stream: impl Read) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    stream.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

fn open(path: &Path, boundary: &Path) -> Result<(File, u64), ReadError> {
    let real = path.canonicalize()?;
    if !real.starts_with(boundary) {
        return Err(match std::fs::read_link(path) {
            Ok(target) => ReadError::Outside { target, link: true },
            Err(_) => ReadError::Outside {
                target: real,
                link: false,
            },
        });
    }
    open_regular(&real)
}

/// Opens a path that is to be a regular file of at most the limit, judged on the open
/// descriptor: what was checked is what is read.
fn open_regular(path: &Path) -> Result<(File, u64), ReadError> {
    let file = open_no_wait(path)?;
    let metadata = file.metadata()?;
    if !metadata.is_file() {
        return Err(ReadError::NotRegular {
            what: file_type_name(&metadata.file_type()),
        });
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok((file, metadata.len()))
}

/// Opens without blocking on a FIFO and without following a symlink swapped in at the
/// last component after the path was resolved.
#[cfg(unix)]
fn open_no_wait(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW | libc::O_NOCTTY)
        .open(path)
}

#[cfg(not(unix))]
fn open_no_wait(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

/// Reads at most the limit, whatever the size said: files in `/proc` say 0.
fn read_bounded(file: File, length: u64) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::with_capacity(length as usize);
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

pub fn file_type_name(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "FIFO";
        }
        if file_type.is_socket() {
            return "socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "device";
        }
    }
    if file_type.is_dir() {
        "directory"
    } else if file_type.is_symlink() {
        "symlink"
    } else {
        "special file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tidy_removes_dots_and_keeps_only_the_climbs_above_the_start() {
        let tidy = |p: &str| tidy(Path::new(p)).display().to_string();
        assert_eq!(tidy("a/./b/../c"), "a/c");
        assert_eq!(tidy("./repo/../org/paved.toml"), "org/paved.toml");
        assert_eq!(tidy("repo/../../org/paved.toml"), "../org/paved.toml");
        assert_eq!(tidy("/srv/../.."), "/..");
        assert_eq!(
            crate::render::kustomize::normalise(Path::new("base/../../x")),
            None
        );
        assert_eq!(
            crate::render::kustomize::normalise(Path::new("overlays/prod/../../base")),
            Some(PathBuf::from("base"))
        );
    }

    fn boundary(dir: &tempfile::TempDir) -> PathBuf {
        canonical_dir(dir.path())
    }

    #[test]
    fn reads_regular_files_and_symlinks_that_stay_inside() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.yaml"), "a: 1\n").unwrap();
        std::os::unix::fs::symlink("a.yaml", dir.path().join("link.yaml")).unwrap();
        let inside = boundary(&dir);
        assert_eq!(
            read(&dir.path().join("a.yaml"), &inside).unwrap(),
            b"a: 1\n"
        );
        assert_eq!(
            read(&dir.path().join("link.yaml"), &inside).unwrap(),
            b"a: 1\n"
        );
    }

    #[test]
    fn symlinks_out_of_the_boundary_are_not_read() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("CODEOWNERS");
        std::os::unix::fs::symlink("/etc/passwd", &link).unwrap();
        let error = read(&link, &boundary(&dir)).unwrap_err();
        assert!(error.is_unsafe());
        assert_eq!(
            error.to_string(),
            "this file is a symlink to /etc/passwd, outside the scanned directory; paved does not follow it"
        );
        // A path that climbs out, or leads through a linked directory, is no symlink itself.
        std::os::unix::fs::symlink("/etc", dir.path().join("etc")).unwrap();
        for path in [
            dir.path().join("etc/passwd"),
            dir.path().join("../../../etc/passwd"),
        ] {
            let error = read(&path, &boundary(&dir)).unwrap_err();
            assert!(error.is_unsafe());
            assert_eq!(
                error.to_string(),
                "this path resolves to /etc/passwd, outside the scanned directory; paved does not read it"
            );
        }
    }

    #[test]
    fn fifos_and_devices_are_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo.yaml");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let error = read(&fifo, &boundary(&dir)).unwrap_err();
        assert_eq!(
            error.to_string(),
            "this file is a FIFO, not a regular file; paved does not read it"
        );
        let zero = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
        let error = read(&zero, Path::new("/")).unwrap_err();
        assert!(matches!(error, ReadError::NotRegular { what: "device" }));
    }

    #[test]
    fn files_the_walk_found_are_opened_without_following_a_link_swapped_in() {
        let dir = tempfile::tempdir().unwrap();
        let found = dir.path().join("found.yaml");
        std::fs::write(&found, "a: 1\n").unwrap();
        assert_eq!(read_found(&found).unwrap(), b"a: 1\n");
        std::fs::remove_file(&found).unwrap();
        std::os::unix::fs::symlink("/etc/passwd", &found).unwrap();
        assert!(matches!(read_found(&found), Err(ReadError::Io(_))));
        let fifo = dir.path().join(".gitignore");
        assert!(std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success());
        let error = read_text_if_present(&fifo, &boundary(&dir))
            .unwrap()
            .unwrap_err();
        assert!(matches!(error, ReadError::NotRegular { what: "FIFO" }));
        assert!(read_text_if_present(&dir.path().join(".ignore"), &boundary(&dir)).is_none());
    }

    #[test]
    fn proc_files_stop_at_the_limit_even_when_they_say_they_are_empty() {
        // `/proc/self/environ` is a "regular file" of size 0; inside `/` it is allowed,
        // and reading it is still bounded.
        assert!(read(Path::new("/proc/self/environ"), Path::new("/")).is_ok());
        assert!(read(Path::new("/proc/self/environ"), Path::new("/tmp")).is_err());
    }

    #[test]
    fn a_named_file_is_bounded_by_its_repository() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("repo/.git")).unwrap();
        std::fs::create_dir_all(dir.path().join("repo/k8s")).unwrap();
        let file = dir.path().join("repo/k8s/a.yaml");
        assert_eq!(boundary_of(&file), boundary(&dir).join("repo"));
        let loose = dir.path().join("b.yaml");
        assert_eq!(boundary_of(&loose), boundary(&dir));
    }
}
