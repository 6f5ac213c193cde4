//! `.tar.gz` bundles over https (and on disk): fetched with a bounded size, addressed by
//! the sha256 of their bytes, unpacked with the checks the chart archive reader makes.

use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::cache::{inside_bundle, Cache, Kind};

/// No policy bundle is this big; a response that is gets refused, not buffered.
pub const MAX_DOWNLOAD_BYTES: u64 = 64 * 1024 * 1024;

/// The HTTP client every fetch uses: statuses are answers to read, not errors, and a
/// server that stalls does not stall the run forever.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .user_agent(concat!("paved/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// Whether a local path is a bundle archive rather than a directory of policies.
pub fn is_tarball(path: &Path) -> bool {
    let name = path.to_string_lossy();
    name.ends_with(".tar.gz") || name.ends_with(".tgz")
}

pub fn sha256(bytes: &[u8]) -> String {
    format!(
        "sha256:{}",
        data_encoding::HEXLOWER.encode(&Sha256::digest(bytes))
    )
}

/// Reads a response body, refusing one larger than the bound.
pub fn body(response: &mut ureq::http::Response<ureq::Body>) -> Result<Vec<u8>, String> {
    response
        .body_mut()
        .with_config()
        .limit(MAX_DOWNLOAD_BYTES)
        .read_to_vec()
        .map_err(|e| format!("cannot read the response: {e}"))
}

/// Downloads and unpacks a tarball; its digest is the sha256 of the bytes.
pub fn fetch(url: &str, cache: &Cache) -> Result<(PathBuf, String), String> {
    let mut response = agent()
        .get(url)
        .call()
        .map_err(|e| format!("cannot download: {e}"))?;
    if !response.status().is_success() {
        return Err(format!("the server answered {}", response.status()));
    }
    let bytes = body(&mut response)?;
    unpack(&bytes, cache)
}

/// Unpacks a bundle archive into the cache (once per content).
pub fn unpack(bytes: &[u8], cache: &Cache) -> Result<(PathBuf, String), String> {
    let digest = sha256(bytes);
    if let Some(dir) = cache.get(Kind::Archive, &digest) {
        return Ok((dir, digest));
    }
    let files = crate::render::helm::archive::unpack_with(
        bytes,
        inside_bundle,
        "leaves the bundle (`..` or a backslash)",
    )?;
    let staged = cache.staging().map_err(|e| e.to_string())?;
    super::write_tree(staged.path(), &files).map_err(|e| e.to_string())?;
    let dir = cache
        .store(Kind::Archive, &digest, staged)
        .map_err(|e| e.to_string())?;
    Ok((dir, digest))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::helm::archive::tests::tgz;

    #[test]
    fn unpacks_opa_bundles_once_and_refuses_escapes() {
        let root = tempfile::tempdir().unwrap();
        let cache = Cache::new(root.path().to_path_buf());
        let bytes = tgz(&[("/.manifest", "{}"), ("./k8s/deny.rego", "package k8s\n")]);
        let (dir, digest) = unpack(&bytes, &cache).unwrap();
        assert_eq!(digest, sha256(&bytes));
        assert_eq!(dir, cache.get(Kind::Archive, &digest).unwrap());
        assert_eq!(
            std::fs::read_to_string(dir.join("k8s/deny.rego")).unwrap(),
            "package k8s\n"
        );
        assert_eq!(
            std::fs::read_to_string(dir.join(".manifest")).unwrap(),
            "{}"
        );
        assert_eq!(unpack(&bytes, &cache).unwrap(), (dir, digest));
        let error = unpack(&tgz(&[("k8s/../../escape.rego", "x")]), &cache).unwrap_err();
        assert_eq!(
            error,
            "the archive entry `k8s/../../escape.rego` leaves the bundle (`..` or a backslash)"
        );
        assert!(is_tarball(Path::new("dist/b.tar.gz")) && is_tarball(Path::new("b.tgz")));
        assert!(!is_tarball(Path::new("policy")));
    }
}
