//! Registry credentials from where docker, oras and conftest keep them: the Docker config
//! (`$DOCKER_CONFIG/config.json` or `~/.docker/config.json`: `auths`, `credHelpers`,
//! `credsStore`), then `GITHUB_TOKEN` for ghcr.io. A credential is never printed: its
//! `Debug` hides the secret and no error message includes it.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde::Deserialize;

#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub username: String,
    secret: String,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Credential {{ username: {:?}, secret: <hidden> }}",
            self.username
        )
    }
}

impl Credential {
    /// `Authorization: Basic …`.
    pub fn basic(&self) -> String {
        let pair = format!("{}:{}", self.username, self.secret);
        format!("Basic {}", data_encoding::BASE64.encode(pair.as_bytes()))
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct DockerConfig {
    #[serde(default)]
    auths: std::collections::BTreeMap<String, AuthEntry>,
    #[serde(default)]
    cred_helpers: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    creds_store: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct AuthEntry {
    #[serde(default)]
    auth: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct HelperAnswer {
    username: String,
    secret: String,
}

fn docker_config_path() -> Option<PathBuf> {
    match std::env::var_os("DOCKER_CONFIG").filter(|d| !d.is_empty()) {
        Some(dir) => Some(PathBuf::from(dir).join("config.json")),
        None => dirs::home_dir().map(|h| h.join(".docker").join("config.json")),
    }
}

/// The credential for a registry host (`host` or `host:port`), if any is configured.
pub fn for_registry(registry: &str) -> Option<Credential> {
    let config: DockerConfig = docker_config_path()
        .and_then(|path| std::fs::read(path).ok())
        .and_then(|bytes| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default();
    if let Some(helper) = config.cred_helpers.get(registry) {
        return from_helper(helper, registry);
    }
    let from_auths = config
        .auths
        .iter()
        .find(|(key, _)| host_of(key) == registry)
        .and_then(|(_, entry)| entry.auth.as_deref())
        .and_then(decode_auth);
    if from_auths.is_some() {
        return from_auths;
    }
    if let Some(store) = &config.creds_store {
        if let Some(credential) = from_helper(store, registry) {
            return Some(credential);
        }
    }
    if registry == "ghcr.io" {
        if let Some(token) = std::env::var("GITHUB_TOKEN").ok().filter(|t| !t.is_empty()) {
            return Some(Credential {
                username: "x-access-token".into(),
                secret: token,
            });
        }
    }
    None
}

/// `https://index.docker.io/v1/` and `registry:5000` alike → the host (and port).
fn host_of(key: &str) -> &str {
    let rest = key.split_once("://").map_or(key, |(_, rest)| rest);
    rest.split('/').next().unwrap_or(rest)
}

/// `auth` is base64 of `user:secret`.
fn decode_auth(auth: &str) -> Option<Credential> {
    let bytes = data_encoding::BASE64.decode(auth.trim().as_bytes()).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (username, secret) = text.split_once(':')?;
    Some(Credential {
        username: username.to_string(),
        secret: secret.to_string(),
    })
}

/// Asks `docker-credential-<helper> get`, as docker does: the host on standard input,
/// JSON `{Username, Secret}` on standard output. A helper that fails gives no credential.
fn from_helper(helper: &str, registry: &str) -> Option<Credential> {
    if !helper
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        return None;
    }
    let mut child = Command::new(format!("docker-credential-{helper}"))
        .arg("get")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(registry.as_bytes()).ok()?;
    let output = child.wait_with_output().ok()?;
    if !output.status.success() {
        return None;
    }
    let answer: HelperAnswer = serde_json::from_slice(&output.stdout).ok()?;
    Some(Credential {
        username: answer.username,
        secret: answer.secret,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_docker_auth_entries() {
        let credential = decode_auth("dXNlcjpzM2NyM3Q=").unwrap();
        assert_eq!(credential.username, "user");
        assert_eq!(credential.basic(), "Basic dXNlcjpzM2NyM3Q=");
        assert_eq!(
            format!("{credential:?}"),
            "Credential { username: \"user\", secret: <hidden> }"
        );
        assert_eq!(host_of("https://index.docker.io/v1/"), "index.docker.io");
        assert_eq!(host_of("127.0.0.1:5000"), "127.0.0.1:5000");
    }
}
