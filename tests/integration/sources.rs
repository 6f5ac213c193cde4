//! Policy sources from elsewhere, against real components started on free localhost ports:
//! Debian's `docker-registry` (the CNCF distribution registry), local git repositories over
//! `file://` and `git daemon`, and a small HTTP server for tarballs and credential checks.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;
use sha2::Digest;

use crate::common::{concise, git, paved, tree};

const POLICY: &str = "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.kind == \"Pod\"\n\tmsg := sprintf(\"pod %s is not allowed\", [input.metadata.name])\n}\n";
const CHANGED: &str = "package main\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.kind == \"Pod\"\n\tmsg := sprintf(\"pod %s changed\", [input.metadata.name])\n}\n";
const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n";
/// What POLICY finds in POD.
const FOUND: &str = "k8s/pod.yaml:2:1: error [main/deny] pod web is not allowed";

/// (exit code, stdout, stderr) of paved in `dir`, outside CI unless `env` says otherwise.
fn run_env(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let mut command = paved();
    command
        .current_dir(dir)
        .env_remove("CI")
        .env_remove("DOCKER_CONFIG");
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.args(args).output().expect("paved runs");
    (
        output.status.code().expect("an exit code"),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    run_env(dir, args, &[])
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Waits until something listens on `port` (the child started and bound it).
fn wait_for(port: u16, child: &mut Child) {
    for _ in 0..600 {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the server exited before listening: {status}");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    panic!("nothing listens on port {port}");
}

/// A process killed when the test ends, however it ends.
struct Server {
    child: Child,
    port: u16,
    _dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The distribution registry with its storage in a temporary directory.
fn registry() -> Server {
    let binary = Path::new("/usr/bin/docker-registry");
    assert!(
        binary.exists(),
        "these tests need the registry: apt-get install -y docker-registry (.ci/run does)"
    );
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let config = format!(
        "version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: {}\nhttp:\n  addr: 127.0.0.1:{port}\n",
        dir.path().join("storage").display()
    );
    std::fs::write(dir.path().join("config.yml"), config).unwrap();
    let mut child = Command::new(binary)
        .arg("serve")
        .arg(dir.path().join("config.yml"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(port, &mut child);
    Server {
        child,
        port,
        _dir: dir,
    }
}

/// A plain HTTP/1.1 GET on the loopback: (status, body).
fn http_get(port: u16, path: &str, accept: &str) -> (u16, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: {accept}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&response[..split]).to_string();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, response[split + 4..].to_vec())
}

/// A fixed answer: path (empty for any), status, extra headers, body.
type Route = (&'static str, u16, Vec<String>, Vec<u8>);

/// Serves fixed answers on a free port, forever (the thread ends with the test process).
/// With a guard `(authorization, challenge)`, a request without exactly that
/// `Authorization` gets 401 and `WWW-Authenticate: <challenge>`.
fn http_server(routes: Vec<Route>, guard: Option<(String, String)>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request_line = String::new();
            if reader.read_line(&mut request_line).is_err() {
                continue;
            }
            let mut length = 0;
            let mut authorization = String::new();
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let (name, value) = line.split_once(':').unwrap_or((&line, ""));
                match name.to_ascii_lowercase().as_str() {
                    "content-length" => length = value.trim().parse().unwrap_or(0),
                    "authorization" => authorization = value.trim().to_string(),
                    _ => {}
                }
            }
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body);
            let path = request_line.split(' ').nth(1).unwrap_or("/").to_string();
            let path = path.split('?').next().unwrap_or("/").to_string();
            let refused = guard
                .as_ref()
                .filter(|(needed, _)| *needed != authorization);
            let (status, headers, content) = match refused {
                Some((_, challenge)) => (
                    401,
                    vec![format!("WWW-Authenticate: {challenge}")],
                    Vec::new(),
                ),
                None => routes
                    .iter()
                    .find(|(route, ..)| *route == path || route.is_empty())
                    .map(|(_, s, h, c)| (*s, h.clone(), c.clone()))
                    .unwrap_or((404, Vec::new(), Vec::new())),
            };
            let mut stream = stream;
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                content.len()
            );
            for header in headers {
                head.push_str(&format!("{header}\r\n"));
            }
            head.push_str("\r\n");
            let _ = stream.write_all(head.as_bytes());
            let _ = stream.write_all(&content);
        }
    });
    port
}

fn bundle(policy: &str) -> tempfile::TempDir {
    tree(&[
        ("deny.rego", policy.as_bytes()),
        (
            "lib/names.rego",
            b"package lib.names\n\nimport rego.v1\n\nweb := \"web\"\n",
        ),
        ("data.json", b"{\"owners\": [\"platform\"]}\n"),
        ("README.md", b"not part of the bundle\n"),
    ])
}

fn workspace() -> tempfile::TempDir {
    tree(&[("k8s/pod.yaml", POD.as_bytes())])
}

fn text(path: &Path) -> String {
    path.to_str().expect("a UTF-8 temporary path").to_string()
}

fn lint(dir: &Path, source: &str, cache: &Path) -> (i32, String, String) {
    run(
        dir,
        &[
            "lint",
            "--no-builtin",
            "-p",
            source,
            "--cache-dir",
            &text(cache),
            "-f",
            "concise",
            "k8s",
        ],
    )
}

fn push(dir: &Path, reference: &str) -> String {
    let (code, stdout, stderr) = run(dir, &["push", &text(dir), reference]);
    assert_eq!(code, 0, "{stderr}");
    let digest = stdout.trim().rsplit(' ').next().unwrap().to_string();
    assert_eq!(
        stdout,
        format!("pushed {} to {reference}: {digest}\n", dir.display())
    );
    digest
}

fn files_of(dir: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir).unwrap().display().to_string();
                files.push((relative, std::fs::read_to_string(&path).unwrap()));
            }
        }
    }
    files.sort();
    files
}

#[test]
fn oci_push_then_pull_round_trips_in_conftest_layout() {
    let registry = registry();
    let source = bundle(POLICY);
    let reference = format!("oci://127.0.0.1:{}/org/policy:v1", registry.port);
    let digest = push(source.path(), &reference);

    // The manifest is conftest's: its config media type, one layer per file named by title.
    let (status, body) = http_get(
        registry.port,
        "/v2/org/policy/manifests/v1",
        "application/vnd.oci.image.manifest.v1+json",
    );
    assert_eq!(status, 200);
    let manifest: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(format!("sha256:{:x}", sha2::Sha256::digest(&body)), digest);
    assert_eq!(
        manifest["config"]["mediaType"],
        "application/vnd.cncf.openpolicyagent.config.v1+json"
    );
    let layers: Vec<(&str, &str)> = manifest["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["mediaType"].as_str().unwrap(),
                l["annotations"]["org.opencontainers.image.title"]
                    .as_str()
                    .unwrap(),
            )
        })
        .collect();
    assert_eq!(
        layers,
        [
            (
                "application/vnd.cncf.openpolicyagent.data.layer.v1+json",
                "data.json"
            ),
            (
                "application/vnd.cncf.openpolicyagent.policy.layer.v1+rego",
                "deny.rego"
            ),
            (
                "application/vnd.cncf.openpolicyagent.policy.layer.v1+rego",
                "lib/names.rego"
            ),
        ]
    );

    let out = tempfile::tempdir().unwrap();
    let cache = tempfile::tempdir().unwrap();
    let target = out.path().join("policy");
    let (code, stdout, stderr) = run(
        out.path(),
        &[
            "pull",
            &reference,
            &text(&target),
            "--cache-dir",
            &text(cache.path()),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        format!(
            "pulled {reference} ({digest}): 3 files into {}\n",
            target.display()
        )
    );
    let mut expected = files_of(source.path());
    expected.retain(|(name, _)| name != "README.md");
    assert_eq!(files_of(&target), expected);
}

#[test]
fn lint_with_an_oci_source_finds_what_the_local_directory_finds() {
    let registry = registry();
    let source = bundle(POLICY);
    let reference = format!("oci://127.0.0.1:{}/org/policy:v1", registry.port);
    let digest = push(source.path(), &reference);
    let work = workspace();
    let cache = tempfile::tempdir().unwrap();
    let local = lint(work.path(), &text(source.path()), cache.path());
    let remote = lint(work.path(), &reference, cache.path());
    assert_eq!(local.0, 1, "{}", local.2);
    assert_eq!(concise(&local.1), [FOUND]);
    assert_eq!((remote.0, concise(&remote.1)), (local.0, concise(&local.1)));
    // No lock and not in CI: fetched, with a warning naming what to pin.
    assert_eq!(
        remote.2,
        format!("warning: policy source `{reference}` is not pinned in paved.lock: run `paved lock` to pin it to {digest}\n")
    );
    // In CI an unpinned source is an error, before any fetch.
    let (code, _, stderr) = run_env(
        work.path(),
        &[
            "lint",
            "--no-builtin",
            "-p",
            &reference,
            "--cache-dir",
            &text(cache.path()),
            "k8s",
        ],
        &[("CI", "true")],
    );
    assert_eq!(code, 2);
    assert_eq!(
        stderr,
        format!("error: policy source `{reference}` is not pinned in paved.lock: run `paved lock` to pin it\n")
    );
}

/// A repository whose paved.toml names `source`, locked.
fn locked_workspace(source: &str) -> tempfile::TempDir {
    let work = workspace();
    std::fs::write(
        work.path().join("paved.toml"),
        format!("builtin = false\npolicies = [\"{source}\"]\n"),
    )
    .unwrap();
    work
}

fn lock(work: &Path, cache: &Path) -> String {
    let (code, stdout, stderr) = run(work, &["lock", "--cache-dir", &text(cache)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.ends_with("wrote paved.lock (1 sources)\n"),
        "{stdout}"
    );
    std::fs::read_to_string(work.join("paved.lock")).unwrap()
}

fn lint_locked(work: &Path, cache: &Path) -> (i32, String, String) {
    run(
        work,
        &["lint", "--cache-dir", &text(cache), "-f", "concise", "k8s"],
    )
}

#[test]
fn a_tag_moved_since_the_lock_is_refused() {
    let registry = registry();
    let reference = format!("oci://127.0.0.1:{}/org/policy:v1", registry.port);
    let first = push(bundle(POLICY).path(), &reference);
    let work = locked_workspace(&reference);
    let cache = tempfile::tempdir().unwrap();
    let locked = lock(work.path(), cache.path());
    assert!(
        locked.ends_with(&format!("[sources]\n\"{reference}\" = \"{first}\"\n")),
        "{locked}"
    );
    let (code, stdout, stderr) = lint_locked(work.path(), cache.path());
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(concise(&stdout), [FOUND]);

    let second = push(bundle(CHANGED).path(), &reference);
    assert_ne!(first, second);
    let fresh = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = lint_locked(work.path(), fresh.path());
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        format!("error: policy source `{reference}` does not match paved.lock: locked {first}, found {second}; if the change is intended, run `paved lock`\n")
    );
    // Re-locking accepts the change.
    lock(work.path(), fresh.path());
    let (code, stdout, _) = lint_locked(work.path(), fresh.path());
    assert_eq!(code, 1);
    assert_eq!(
        concise(&stdout),
        ["k8s/pod.yaml:2:1: error [main/deny] pod web changed"]
    );
}

#[test]
fn a_locked_source_in_the_cache_runs_with_the_registry_stopped() {
    let registry = registry();
    let reference = format!("oci://127.0.0.1:{}/org/policy:v1", registry.port);
    push(bundle(POLICY).path(), &reference);
    let work = locked_workspace(&reference);
    let cache = tempfile::tempdir().unwrap();
    lock(work.path(), cache.path());
    let (code, stdout, stderr) = lint_locked(work.path(), cache.path());
    assert_eq!(
        (code, concise(&stdout), stderr.as_str()),
        (1, vec![FOUND], "")
    );
    drop(registry);
    let (code, stdout, stderr) = lint_locked(work.path(), cache.path());
    assert_eq!(
        (code, concise(&stdout), stderr.as_str()),
        (1, vec![FOUND], "")
    );
    // The registry is really gone: an empty cache cannot fetch.
    let empty = tempfile::tempdir().unwrap();
    let (code, _, stderr) = lint_locked(work.path(), empty.path());
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with(&format!(
            "error: policy source `{reference}`: cannot reach the registry"
        )),
        "{stderr}"
    );
}

/// A git repository (`<dir>/policy-repo`) whose tag v1 has POLICY in `policies/`, and
/// whose HEAD has CHANGED; and v1's commit.
fn policy_repository() -> (tempfile::TempDir, PathBuf, String) {
    let dir = tree(&[
        ("policy-repo/policies/deny.rego", POLICY.as_bytes()),
        ("policy-repo/README.md", b"x\n"),
    ]);
    let repo = dir.path().join("policy-repo");
    git(&repo, &["init", "--quiet", "--initial-branch=main"]);
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "--quiet", "-m", "v1"]);
    git(&repo, &["tag", "v1"]);
    let commit = String::from_utf8(
        Command::new("git")
            .current_dir(&repo)
            .args(["rev-parse", "v1^{commit}"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap()
    .trim()
    .to_string();
    std::fs::write(repo.join("policies/deny.rego"), CHANGED).unwrap();
    git(&repo, &["commit", "--quiet", "-am", "v2"]);
    (dir, repo, commit)
}

fn assert_git_source(source: &str, commit: &str) {
    let work = locked_workspace(source);
    let cache = tempfile::tempdir().unwrap();
    let locked = lock(work.path(), cache.path());
    assert!(
        locked.ends_with(&format!("\"{source}\" = \"{commit}\"\n")),
        "{locked}"
    );
    let (code, stdout, stderr) = lint_locked(work.path(), cache.path());
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(concise(&stdout), [FOUND]);
}

#[test]
fn git_file_sources_take_the_ref_and_the_subdirectory() {
    let (_dir, repo, commit) = policy_repository();
    let source = format!("git::file://{}//policies?ref=v1", repo.display());
    assert_git_source(&source, &commit);
    // Every command that loads policies takes sources: `rules` lists the bundle's rule.
    let cache = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(
        &repo,
        &[
            "rules",
            "--no-builtin",
            "-p",
            &source,
            "--cache-dir",
            &text(cache.path()),
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let rules: Value = serde_json::from_str(&stdout).unwrap();
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"main/deny"), "{ids:?}");
    assert!(rules
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["id"] != "main/deny"
            || r["file"].as_str().unwrap().starts_with(&text(cache.path()))));
    // A commit id is fetched as it is.
    let by_commit = format!("git::file://{}//policies?ref={commit}", repo.display());
    assert_git_source(&by_commit, &commit);
}

#[test]
fn git_daemon_sources_are_cloned_over_the_git_protocol() {
    let (dir, _repo, commit) = policy_repository();
    let base = dir.path().to_path_buf();
    let port = free_port();
    let mut child = Command::new("git")
        .args([
            "daemon",
            "--export-all",
            "--reuseaddr",
            "--listen=127.0.0.1",
            &format!("--port={port}"),
            &format!("--base-path={}", base.display()),
        ])
        .arg(&base)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for(port, &mut child);
    let daemon = Server {
        child,
        port,
        _dir: tempfile::tempdir().unwrap(),
    };
    let source = format!(
        "git::git://127.0.0.1:{}/policy-repo//policies?ref=v1",
        daemon.port
    );
    assert_git_source(&source, &commit);
}

#[test]
fn paved_test_takes_sources_and_update_pulls_them() {
    let (_dir, repo, _) = policy_repository();
    let source = format!("git::file://{}//policies?ref=v1", repo.display());
    let work = workspace();
    let cache = tempfile::tempdir().unwrap();
    let expected = "FAIL - k8s/pod.yaml - main - pod web is not allowed\n\n\
                    1 test, 0 passed, 0 warnings, 1 failure, 0 exceptions\n";
    let (code, stdout, _) = run(
        work.path(),
        &[
            "test",
            "-p",
            &source,
            "--cache-dir",
            &text(cache.path()),
            "k8s/pod.yaml",
        ],
    );
    assert_eq!((code, stdout.as_str()), (1, expected));
    // --update pulls into the policy directory (`policy` by default), then tests with it.
    let (code, stdout, stderr) = run(
        work.path(),
        &[
            "test",
            "--update",
            &source,
            "--cache-dir",
            &text(cache.path()),
            "k8s/pod.yaml",
        ],
    );
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (1, expected, ""));
    assert_eq!(
        std::fs::read_to_string(work.path().join("policy/deny.rego")).unwrap(),
        POLICY
    );
}

/// An OPA bundle archive, as `opa build` writes it (entries from `/`).
fn opa_bundle() -> Vec<u8> {
    let policy = "package k8s.images\n\nimport rego.v1\n\ndeny contains msg if {\n\tinput.kind == \"Pod\"\n\tnot input.metadata.name in data.k8s.allowed.names\n\tmsg := sprintf(\"pod %s is not in %v\", [input.metadata.name, data.k8s.allowed.names])\n}\n";
    let entries: [(&str, &str); 3] = [
        ("/.manifest", "{\"revision\": \"7\", \"roots\": [\"k8s\"]}"),
        ("/k8s/images.rego", policy),
        ("/k8s/allowed/data.json", "{\"names\": [\"api\"]}"),
    ];
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(encoder);
    for (path, content) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(content.len() as u64);
        header.set_mode(0o644);
        let name = header.as_old_mut().name.as_mut();
        name[..path.len()].copy_from_slice(path.as_bytes());
        header.set_cksum();
        builder.append(&header, content.as_bytes()).unwrap();
    }
    builder.into_inner().unwrap().finish().unwrap()
}

#[test]
fn https_tarballs_are_opa_bundles_pinned_by_sha256() {
    let archive = opa_bundle();
    let digest = format!("sha256:{:x}", sha2::Sha256::digest(&archive));
    let port = http_server(
        vec![("/bundle.tar.gz", 200, Vec::new(), archive.clone())],
        None,
    );
    let source = format!("http://127.0.0.1:{port}/bundle.tar.gz");
    let work = locked_workspace(&source);
    let cache = tempfile::tempdir().unwrap();
    let locked = lock(work.path(), cache.path());
    assert!(
        locked.ends_with(&format!("\"{source}\" = \"{digest}\"\n")),
        "{locked}"
    );
    let expected = ["k8s/pod.yaml:2:1: error [k8s.images/deny] pod web is not in [\"api\"]"];
    let (code, stdout, stderr) = lint_locked(work.path(), cache.path());
    assert_eq!((code, stderr.as_str()), (1, ""));
    assert_eq!(concise(&stdout), expected);
    // The same archive on disk reads the same (the OPA bundle format for local paths).
    let local = work.path().join("bundle.tar.gz");
    std::fs::write(&local, &archive).unwrap();
    let (code, stdout, stderr) = lint(work.path(), &text(&local), cache.path());
    assert_eq!(
        (code, concise(&stdout), stderr.as_str()),
        (1, expected.to_vec(), "")
    );
}

#[test]
fn credentials_are_never_printed() {
    const SECRET: &str = "s3cr3t-Pa55word";
    let auth = data_encoding::BASE64.encode(format!("robot:{SECRET}").as_bytes());
    let docker = tree(&[]);
    // Every request is refused, whatever credentials come with it.
    let basic = http_server(
        vec![(
            "",
            401,
            vec!["WWW-Authenticate: Basic realm=\"registry\"".into()],
            b"{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".to_vec(),
        )],
        None,
    );
    let bearer = http_server(
        vec![(
            "",
            401,
            vec![format!("WWW-Authenticate: Bearer realm=\"http://127.0.0.1:{basic}/token\",service=\"registry\",scope=\"repository:org/p:push,pull\"")],
            Vec::new(),
        )],
        None,
    );
    let config = format!(
        "{{\"auths\": {{\"127.0.0.1:{basic}\": {{\"auth\": \"{auth}\"}}, \"https://127.0.0.1:{bearer}\": {{\"auth\": \"{auth}\"}}}}}}"
    );
    std::fs::write(docker.path().join("config.json"), config).unwrap();
    let source = bundle(POLICY);
    for port in [basic, bearer] {
        let reference = format!("oci://127.0.0.1:{port}/org/p:v1");
        let (code, stdout, stderr) = run_env(
            source.path(),
            &["push", &text(source.path()), &reference],
            &[("DOCKER_CONFIG", &text(docker.path()))],
        );
        assert_eq!(code, 2);
        assert_eq!(
            stderr,
            format!("error: policy source `{reference}`: 127.0.0.1:{port} refused the credentials of `robot` (from the Docker config or GITHUB_TOKEN)\n")
        );
        for output in [&stdout, &stderr] {
            assert!(
                !output.contains(SECRET) && !output.contains(&auth),
                "{output}"
            );
        }
    }
}

#[test]
fn a_bearer_challenge_is_answered_with_a_token_from_the_realm() {
    const SECRET: &str = "t0ken-s3cret";
    let basic = format!(
        "Basic {}",
        data_encoding::BASE64.encode(format!("robot:{SECRET}").as_bytes())
    );
    // The token service wants the Docker config's credential; the registry, its token.
    let tokens = http_server(
        vec![(
            "/token",
            200,
            Vec::new(),
            b"{\"token\": \"issued-token\"}".to_vec(),
        )],
        Some((basic.clone(), "Basic realm=\"tokens\"".into())),
    );
    let layer = POLICY.as_bytes().to_vec();
    let layer_digest = format!("sha256:{:x}", sha2::Sha256::digest(&layer));
    let manifest = serde_json::to_vec(&serde_json::json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.cncf.openpolicyagent.config.v1+json",
                   "digest": format!("sha256:{:x}", sha2::Sha256::digest(b"{}")), "size": 2},
        "layers": [{"mediaType": "application/vnd.cncf.openpolicyagent.policy.layer.v1+rego",
                    "digest": layer_digest, "size": layer.len(),
                    "annotations": {"org.opencontainers.image.title": "policy/deny.rego"}}],
    }))
    .unwrap();
    let blob_path: &'static str = format!("/v2/org/p/blobs/{layer_digest}").leak();
    let registry = http_server(
        vec![
            ("/v2/org/p/manifests/v1", 200, Vec::new(), manifest),
            (blob_path, 200, Vec::new(), layer),
        ],
        Some((
            "Bearer issued-token".into(),
            format!("Bearer realm=\"http://127.0.0.1:{tokens}/token\",service=\"registry\",scope=\"repository:org/p:pull\""),
        )),
    );
    let docker = tree(&[]);
    std::fs::write(
        docker.path().join("config.json"),
        format!(
            "{{\"auths\": {{\"127.0.0.1:{registry}\": {{\"auth\": \"{}\"}}}}}}",
            &basic[6..]
        ),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let reference = format!("oci://127.0.0.1:{registry}/org/p:v1");
    let (code, stdout, stderr) = run_env(
        out.path(),
        &[
            "pull",
            &reference,
            "--cache-dir",
            &text(&out.path().join("cache")),
        ],
        &[("DOCKER_CONFIG", &text(docker.path()))],
    );
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.ends_with(": 1 files into policy\n"), "{stdout}");
    assert!(!stdout.contains(SECRET) && !stdout.contains("issued-token"));
    assert_eq!(
        std::fs::read_to_string(out.path().join("policy/policy/deny.rego")).unwrap(),
        POLICY
    );
}

#[test]
fn unknown_schemes_are_errors_not_missing_paths() {
    let work = workspace();
    let (code, stdout, stderr) = run(
        work.path(),
        &[
            "lint",
            "--no-builtin",
            "-p",
            "s3::https://bucket/policy",
            "k8s",
        ],
    );
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert_eq!(
        stderr,
        "error: policy source `s3::https://bucket/policy`: unknown scheme `s3`: use a local path, oci://, git:: or https://\n"
    );
}

#[test]
fn an_organisations_configuration_extended_from_git_is_pinned_and_composed() {
    let dir = tree(&[
        (
            "org/config/paved.toml",
            b"builtin = false\npolicies = [\"../policies\"]\nrequired = [\"main/*\"]\n",
        ),
        ("org/policies/deny.rego", POLICY.as_bytes()),
        ("work/k8s/pod.yaml", POD.as_bytes()),
    ]);
    let org = dir.path().join("org");
    git(&org, &["init", "--quiet", "--initial-branch=main"]);
    git(&org, &["add", "."]);
    git(&org, &["commit", "--quiet", "-m", "v1"]);
    git(&org, &["tag", "v1"]);
    let work = dir.path().join("work");
    let source = format!("git::file://{}//config?ref=v1", org.display());
    std::fs::write(
        work.join("paved.toml"),
        format!("extends = [\"{source}\"]\n"),
    )
    .unwrap();
    let cache = dir.path().join("cache");
    let env = [
        ("PAVED_CACHE_DIR", text(&cache)),
        ("CI", "true".to_string()),
    ];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    // In CI an unpinned configuration is not fetched; `paved lock` pins it.
    let (code, _, stderr) = run_env(&work, &["lint", "--format", "concise"], &env);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not pinned in paved.lock"), "{stderr}");
    let (code, stdout, stderr) = run_env(&work, &["lock"], &env);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with(&format!("{source} ")), "{stdout}");

    // The organisation's policies, named relative to its paved.toml, run in the repository.
    let (code, stdout, stderr) = run_env(&work, &["lint", "--format", "concise"], &env);
    assert_eq!((code, concise(&stdout)), (1, vec![FOUND]), "{stderr}");

    // Its required rules cannot be turned off by the repository.
    std::fs::write(
        work.join("paved.toml"),
        format!("extends = [\"{source}\"]\n\n[rules]\nignore = [\"main/deny\"]\n"),
    )
    .unwrap();
    let (code, _, stderr) = run_env(&work, &["lint"], &env);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("forbidden opt-out: `main/deny`"),
        "{stderr}"
    );

    // The tag moved: the lock refuses what it now names.
    std::fs::write(
        work.join("paved.toml"),
        format!("extends = [\"{source}\"]\n"),
    )
    .unwrap();
    std::fs::write(org.join("policies/deny.rego"), CHANGED).unwrap();
    git(&org, &["commit", "--quiet", "-am", "v2"]);
    git(&org, &["tag", "--force", "v1"]);
    std::fs::remove_dir_all(&cache).unwrap();
    let (code, _, stderr) = run_env(&work, &["lint"], &env);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("does not match"), "{stderr}");
}
