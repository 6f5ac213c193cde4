//! Source strings, as written in `-p` and `paved.toml`: a local path, `oci://…`,
//! `git::…` or an `https://` tarball. Parsing is pure (no I/O), so a mistyped source is an
//! error before anything is fetched.

use std::path::PathBuf;

use super::SourceError;

/// Where a policy bundle comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A directory, a file, or a `.tar.gz` bundle on disk.
    Local(PathBuf),
    Oci(OciRef),
    Git(GitRef),
    /// A `.tar.gz` bundle served over https (plain http on the loopback only).
    Tarball(String),
}

/// `oci://registry/repository:tag` or `oci://registry/repository@sha256:…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OciRef {
    /// `host` or `host:port`.
    pub registry: String,
    pub repository: String,
    /// A tag, or a digest `sha256:<hex>`.
    pub reference: String,
}

impl OciRef {
    pub fn is_digest(&self) -> bool {
        self.reference.starts_with("sha256:")
    }
}

/// `git::URL[//SUBDIR][?ref=REF]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GitRef {
    pub url: String,
    pub subdir: Option<String>,
    pub reference: Option<String>,
}

impl Source {
    /// Reads a source string; anything with a scheme paved does not know is an error, not a
    /// local path that happens not to exist.
    pub fn parse(text: &str) -> Result<Source, SourceError> {
        let invalid = |why: &str| SourceError::Invalid {
            spec: text.to_string(),
            why: why.to_string(),
        };
        if let Some(rest) = text.strip_prefix("oci://") {
            return parse_oci(rest)
                .map(Source::Oci)
                .map_err(|why| invalid(&why));
        }
        if let Some(rest) = text.strip_prefix("git::") {
            return parse_git(rest)
                .map(Source::Git)
                .map_err(|why| invalid(&why));
        }
        if text.starts_with("https://") || text.starts_with("http://") {
            plain_http_allowed(text).map_err(|why| invalid(&why))?;
            return Ok(Source::Tarball(text.to_string()));
        }
        if let Some(scheme) = scheme_of(text) {
            return Err(invalid(&format!(
                "unknown scheme `{scheme}`: use a local path, oci://, git:: or https://"
            )));
        }
        Ok(Source::Local(PathBuf::from(text)))
    }

    pub fn is_remote(&self) -> bool {
        !matches!(self, Source::Local(_))
    }
}

/// Whether a string names a remote source (what config paths must not be joined to).
pub fn is_remote(text: &str) -> bool {
    text.starts_with("oci://")
        || text.starts_with("git::")
        || text.starts_with("https://")
        || text.starts_with("http://")
}

/// `s3::…` or `ftp://…`: something that looks like a scheme, not a path.
fn scheme_of(text: &str) -> Option<&str> {
    let end = [text.find("://"), text.find("::")]
        .into_iter()
        .flatten()
        .min()?;
    let scheme = &text[..end];
    let is_scheme = !scheme.is_empty()
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme.then_some(scheme)
}

/// Plain http carries credentials and bundles in the clear: only to this machine.
pub fn plain_http_allowed(url: &str) -> Result<(), String> {
    let Some(rest) = url.strip_prefix("http://") else {
        return Ok(());
    };
    let host = rest.split(['/', '?']).next().unwrap_or_default();
    if is_loopback(host) {
        Ok(())
    } else {
        Err("plain http is only allowed to localhost; use https".into())
    }
}

/// `localhost`, `127.0.0.1` or `[::1]`, with or without a port.
pub fn is_loopback(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or_default(),
        None => host.split(':').next().unwrap_or_default(),
    };
    matches!(name, "localhost" | "127.0.0.1" | "::1")
}

fn parse_oci(rest: &str) -> Result<OciRef, String> {
    let (registry, path) = rest
        .split_once('/')
        .ok_or("expected oci://REGISTRY/REPOSITORY[:TAG|@sha256:DIGEST]")?;
    if registry.is_empty() {
        return Err("the registry is empty".into());
    }
    let (repository, reference) = if let Some((repo, digest)) = path.split_once('@') {
        let hex = digest
            .strip_prefix("sha256:")
            .ok_or("only sha256 digests are supported")?;
        if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err("a sha256 digest is 64 hexadecimal digits".into());
        }
        (repo, digest.to_ascii_lowercase())
    } else {
        match path.rsplit_once(':') {
            Some((repo, tag)) if !tag.contains('/') => (repo, tag.to_string()),
            _ => (path, "latest".to_string()),
        }
    };
    let valid_component = |c: &str| {
        !c.is_empty()
            && c.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
    };
    if !repository.split('/').all(valid_component) {
        return Err(format!(
            "`{repository}` is not a repository name (lower-case letters, digits, `._-`, `/`)"
        ));
    }
    let valid_tag = !reference.is_empty()
        && reference.len() <= 128
        && reference
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-:".contains(&b));
    if !valid_tag {
        return Err(format!("`{reference}` is not a tag"));
    }
    Ok(OciRef {
        registry: registry.to_string(),
        repository: repository.to_string(),
        reference,
    })
}

fn parse_git(rest: &str) -> Result<GitRef, String> {
    let (location, query) = match rest.split_once('?') {
        Some((location, query)) => (location, Some(query)),
        None => (rest, None),
    };
    let mut reference = None;
    for pair in query.into_iter().flat_map(|q| q.split('&')) {
        match pair.split_once('=') {
            Some(("ref", value)) if !value.is_empty() && !value.starts_with('-') => {
                reference = Some(value.to_string())
            }
            _ => return Err(format!("unknown or empty query `{pair}` (only ref=)")),
        }
    }
    let (scheme, after) = location
        .split_once("://")
        .ok_or("expected git::SCHEME://HOST/REPO[//SUBDIR][?ref=REF]")?;
    if !matches!(scheme, "https" | "http" | "ssh" | "git" | "file") {
        return Err(format!("git over `{scheme}` is not supported"));
    }
    plain_http_allowed(location)?;
    // `file:///repo//sub`: the path itself starts with `/`, so look past it.
    let skip = usize::from(after.starts_with('/'));
    let (url, subdir) = match after[skip..].find("//") {
        Some(at) => {
            let at = at + skip;
            let subdir = after[at + 2..].trim_matches('/');
            let safe = !subdir.is_empty() && !subdir.split('/').any(|p| p == ".." || p.is_empty());
            if !safe {
                return Err(format!(
                    "`{subdir}` is not a directory inside the repository"
                ));
            }
            (
                format!("{scheme}://{}", &after[..at]),
                Some(subdir.to_string()),
            )
        }
        None => (location.to_string(), None),
    };
    Ok(GitRef {
        url,
        subdir,
        reference,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oci(registry: &str, repository: &str, reference: &str) -> Source {
        Source::Oci(OciRef {
            registry: registry.into(),
            repository: repository.into(),
            reference: reference.into(),
        })
    }

    #[test]
    fn reads_every_form() {
        assert_eq!(
            Source::parse("policy").unwrap(),
            Source::Local("policy".into())
        );
        assert_eq!(
            Source::parse("oci://127.0.0.1:5000/org/policy:v1").unwrap(),
            oci("127.0.0.1:5000", "org/policy", "v1")
        );
        assert_eq!(
            Source::parse("oci://ghcr.io/org/policy").unwrap(),
            oci("ghcr.io", "org/policy", "latest")
        );
        let digest = format!("sha256:{}", "a".repeat(64));
        assert_eq!(
            Source::parse(&format!("oci://ghcr.io/org/policy@{digest}")).unwrap(),
            oci("ghcr.io", "org/policy", &digest)
        );
        assert_eq!(
            Source::parse("git::https://example.com/org/repo.git//policies/k8s?ref=v1.2.0")
                .unwrap(),
            Source::Git(GitRef {
                url: "https://example.com/org/repo.git".into(),
                subdir: Some("policies/k8s".into()),
                reference: Some("v1.2.0".into()),
            })
        );
        assert_eq!(
            Source::parse("git::file:///srv/repo//sub?ref=v1").unwrap(),
            Source::Git(GitRef {
                url: "file:///srv/repo".into(),
                subdir: Some("sub".into()),
                reference: Some("v1".into()),
            })
        );
        assert_eq!(
            Source::parse("git::file:///srv/repo").unwrap(),
            Source::Git(GitRef {
                url: "file:///srv/repo".into(),
                subdir: None,
                reference: None,
            })
        );
        assert_eq!(
            Source::parse("https://example.com/b.tar.gz").unwrap(),
            Source::Tarball("https://example.com/b.tar.gz".into())
        );
    }

    #[test]
    fn refuses_what_it_cannot_read_safely() {
        let why = |text: &str| match Source::parse(text).unwrap_err() {
            SourceError::Invalid { why, .. } => why,
            other => panic!("{other}"),
        };
        assert_eq!(
            why("s3::https://bucket/x"),
            "unknown scheme `s3`: use a local path, oci://, git:: or https://"
        );
        assert_eq!(
            why("ftp://example.com/x.tar.gz"),
            "unknown scheme `ftp`: use a local path, oci://, git:: or https://"
        );
        assert_eq!(
            why("http://example.com/x.tar.gz"),
            "plain http is only allowed to localhost; use https"
        );
        assert_eq!(
            why("git::file:///srv/repo//../etc"),
            "`../etc` is not a directory inside the repository"
        );
        assert_eq!(
            why("git::file:///srv/repo?ref=--upload-pack=x"),
            "unknown or empty query `ref=--upload-pack=x` (only ref=)"
        );
        assert_eq!(
            why("oci://ghcr.io/Org/policy:v1"),
            "`Org/policy` is not a repository name (lower-case letters, digits, `._-`, `/`)"
        );
        assert_eq!(
            why("oci://ghcr.io/org/policy@sha256:abc"),
            "a sha256 digest is 64 hexadecimal digits"
        );
        assert!(Source::parse("http://127.0.0.1:8080/b.tar.gz").is_ok());
        assert!(Source::parse("http://localhost/b.tar.gz").is_ok());
    }
}
