//! OCI registries, through the distribution HTTP API: pull a policy bundle (conftest's
//! layout: one layer per file, named by its `org.opencontainers.image.title` annotation, or
//! OPA's single `.tar.gz` bundle layer) and push one the way `conftest push` does, so either
//! tool reads what the other wrote. Token (Bearer realm) and basic authentication.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_json::json;
use ureq::http::Response;
use ureq::Body;

use super::cache::{inside_bundle, Cache, Kind};
use super::credentials::{self, Credential};
use super::https::{agent, body, sha256};
use super::spec::{is_loopback, OciRef};

pub const CONFIG_MEDIA_TYPE: &str = "application/vnd.cncf.openpolicyagent.config.v1+json";
pub const POLICY_LAYER: &str = "application/vnd.cncf.openpolicyagent.policy.layer.v1+rego";
pub const DATA_LAYER: &str = "application/vnd.cncf.openpolicyagent.data.layer.v1+json";
pub const MANIFEST_LAYER: &str = "application/vnd.cncf.openpolicyagent.manifest.layer.v1+json";
const OCI_MANIFEST: &str = "application/vnd.oci.image.manifest.v1+json";
const DOCKER_MANIFEST: &str = "application/vnd.docker.distribution.manifest.v2+json";
/// What `opa build` bundles are pushed as: one gzipped tar of the whole bundle.
const TAR_LAYERS: [&str; 3] = [
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.cncf.openpolicyagent.layer.v1.tar+gzip",
    "application/tar+gzip",
];
pub const TITLE: &str = "org.opencontainers.image.title";
/// A bundle of more layers than this is not a policy bundle.
const MAX_LAYERS: usize = 10_000;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    #[serde(default)]
    media_type: Option<String>,
    #[serde(default)]
    layers: Vec<Descriptor>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    media_type: String,
    digest: String,
    #[serde(default)]
    annotations: BTreeMap<String, String>,
}

/// One repository of one registry, with the authorization its last challenge asked for.
struct Registry {
    base: String,
    host: String,
    repository: String,
    agent: ureq::Agent,
    credential: Option<Credential>,
    authorization: Option<String>,
}

fn network(e: ureq::Error) -> String {
    format!("cannot reach the registry: {e}")
}

/// `errors[].code` of a registry's error body: what went wrong, without echoing anything
/// the request carried.
fn refusal(what: &str, response: &mut Response<Body>) -> String {
    let status = response.status();
    let codes: Vec<String> = body(response)
        .ok()
        .and_then(|b| serde_json::from_slice::<serde_json::Value>(&b).ok())
        .and_then(|v| v.get("errors").and_then(|e| e.as_array()).cloned())
        .unwrap_or_default()
        .iter()
        .filter_map(|e| e.get("code").and_then(|c| c.as_str()))
        .filter(|c| c.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'))
        .map(str::to_string)
        .collect();
    let codes = if codes.is_empty() {
        String::new()
    } else {
        format!(" ({})", codes.join(", "))
    };
    format!("{what}: the registry answered {status}{codes}")
}

/// `%XX` for everything but unreserved characters (a token request's query).
fn query_escape(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// `Bearer realm="…",service="…",scope="…"` → (scheme, parameters).
fn challenge(header: &str) -> (String, BTreeMap<String, String>) {
    let (scheme, rest) = header.trim().split_once(' ').unwrap_or((header.trim(), ""));
    let mut parameters = BTreeMap::new();
    let mut rest = rest.trim();
    while let Some((key, after)) = rest.split_once('=') {
        let key = key
            .trim()
            .trim_start_matches(',')
            .trim()
            .to_ascii_lowercase();
        let (value, next) = match after.strip_prefix('"') {
            Some(quoted) => quoted.split_once('"').unwrap_or((quoted, "")),
            None => after.split_once(',').unwrap_or((after, "")),
        };
        parameters.insert(key, value.to_string());
        rest = next.trim_start_matches(',').trim();
    }
    (scheme.to_ascii_lowercase(), parameters)
}

impl Registry {
    fn new(reference: &OciRef) -> Registry {
        // Plain http carries bundles and credentials in the clear: this machine only.
        let scheme = if is_loopback(&reference.registry) {
            "http"
        } else {
            "https"
        };
        Registry {
            base: format!("{scheme}://{}", reference.registry),
            host: reference.registry.clone(),
            repository: reference.repository.clone(),
            agent: agent(),
            credential: credentials::for_registry(&reference.registry),
            authorization: None,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/v2/{}/{path}", self.base, self.repository)
    }

    /// Sends a request; on 401, answers the challenge once and sends it again.
    fn send(
        &mut self,
        request: impl Fn(&ureq::Agent, Option<&str>) -> Result<Response<Body>, ureq::Error>,
    ) -> Result<Response<Body>, String> {
        let response = request(&self.agent, self.authorization.as_deref()).map_err(network)?;
        if response.status() != 401 {
            return Ok(response);
        }
        let header = response
            .headers()
            .get("www-authenticate")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        self.authorization = Some(self.authorize(&header)?);
        let response = request(&self.agent, self.authorization.as_deref()).map_err(network)?;
        if response.status() == 401 {
            return Err(self.denied());
        }
        Ok(response)
    }

    fn denied(&self) -> String {
        match &self.credential {
            Some(c) => format!(
                "{} refused the credentials of `{}` (from the Docker config or GITHUB_TOKEN)",
                self.host, c.username
            ),
            None => format!(
                "{} asks for credentials and none are configured (docker login {0})",
                self.host
            ),
        }
    }

    fn authorize(&self, header: &str) -> Result<String, String> {
        let (scheme, parameters) = challenge(header);
        match scheme.as_str() {
            "basic" => self
                .credential
                .as_ref()
                .map(Credential::basic)
                .ok_or_else(|| self.denied()),
            "bearer" => {
                let realm = parameters
                    .get("realm")
                    .ok_or_else(|| format!("{}: a Bearer challenge without a realm", self.host))?;
                let query: Vec<String> = ["service", "scope"]
                    .iter()
                    .filter_map(|k| {
                        parameters
                            .get(*k)
                            .map(|v| format!("{k}={}", query_escape(v)))
                    })
                    .collect();
                let url = if query.is_empty() {
                    realm.clone()
                } else {
                    format!("{realm}?{}", query.join("&"))
                };
                super::spec::plain_http_allowed(&url)
                    .map_err(|why| format!("{}: token service: {why}", self.host))?;
                let mut request = self.agent.get(&url);
                if let Some(credential) = &self.credential {
                    request = request.header("Authorization", credential.basic());
                }
                let mut response = request.call().map_err(network)?;
                if !response.status().is_success() {
                    return Err(if response.status() == 401 || response.status() == 403 {
                        self.denied()
                    } else {
                        refusal("token request", &mut response)
                    });
                }
                let answer: serde_json::Value = serde_json::from_slice(&body(&mut response)?)
                    .map_err(|_| format!("{}: the token service did not answer JSON", self.host))?;
                let token = answer
                    .get("token")
                    .or_else(|| answer.get("access_token"))
                    .and_then(|t| t.as_str())
                    .ok_or_else(|| format!("{}: the token service gave no token", self.host))?;
                Ok(format!("Bearer {token}"))
            }
            _ => Err(self.denied()),
        }
    }

    fn manifest(&mut self, reference: &str) -> Result<Vec<u8>, String> {
        let url = self.url(&format!("manifests/{reference}"));
        let accept = format!("{OCI_MANIFEST}, {DOCKER_MANIFEST}");
        let mut response = self.send(|agent, auth| {
            let mut request = agent.get(&url).header("Accept", &accept);
            if let Some(auth) = auth {
                request = request.header("Authorization", auth);
            }
            request.call()
        })?;
        if !response.status().is_success() {
            return Err(refusal(&format!("manifest {reference}"), &mut response));
        }
        body(&mut response)
    }

    /// A blob, checked against its digest.
    fn blob(&mut self, digest: &str) -> Result<Vec<u8>, String> {
        let url = self.url(&format!("blobs/{digest}"));
        let mut response = self.send(|agent, auth| {
            let mut request = agent.get(&url);
            if let Some(auth) = auth {
                request = request.header("Authorization", auth);
            }
            request.call()
        })?;
        if !response.status().is_success() {
            return Err(refusal(&format!("blob {digest}"), &mut response));
        }
        let bytes = body(&mut response)?;
        let found = sha256(&bytes);
        if found != digest {
            return Err(format!("blob {digest} arrived as {found}"));
        }
        Ok(bytes)
    }

    fn upload(&mut self, bytes: &[u8]) -> Result<String, String> {
        let digest = sha256(bytes);
        let url = self.url(&format!("blobs/{digest}"));
        let exists = self.send(|agent, auth| {
            let mut request = agent.head(&url);
            if let Some(auth) = auth {
                request = request.header("Authorization", auth);
            }
            request.call()
        })?;
        if exists.status().is_success() {
            return Ok(digest);
        }
        let start = self.url("blobs/uploads/");
        let mut started = self.send(|agent, auth| {
            let mut request = agent.post(&start);
            if let Some(auth) = auth {
                request = request.header("Authorization", auth);
            }
            request.send_empty()
        })?;
        if started.status() != 202 {
            return Err(refusal("starting an upload", &mut started));
        }
        let location = started
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .ok_or("the registry started an upload without a Location")?;
        let location = if location.starts_with('/') {
            format!("{}{location}", self.base)
        } else {
            location.to_string()
        };
        let separator = if location.contains('?') { '&' } else { '?' };
        let put = format!("{location}{separator}digest={}", query_escape(&digest));
        let mut done = self.send(|agent, auth| {
            let mut request = agent
                .put(&put)
                .header("Content-Type", "application/octet-stream");
            if let Some(auth) = auth {
                request = request.header("Authorization", auth);
            }
            request.send(bytes)
        })?;
        if done.status() != 201 {
            return Err(refusal(&format!("uploading {digest}"), &mut done));
        }
        Ok(digest)
    }
}

/// Pulls a bundle into the cache, keyed by the manifest's digest.
pub fn pull(reference: &OciRef, cache: &Cache) -> Result<(PathBuf, String), String> {
    let mut registry = Registry::new(reference);
    let bytes = registry.manifest(&reference.reference)?;
    let digest = sha256(&bytes);
    if reference.is_digest() && digest != reference.reference {
        return Err(format!(
            "the registry answered manifest {digest} for {}",
            reference.reference
        ));
    }
    if let Some(dir) = cache.get(Kind::Oci, &digest) {
        return Ok((dir, digest));
    }
    let manifest: Manifest =
        serde_json::from_slice(&bytes).map_err(|e| format!("not an OCI manifest: {e}"))?;
    if let Some(media_type) = manifest
        .media_type
        .as_deref()
        .filter(|m| *m != OCI_MANIFEST && *m != DOCKER_MANIFEST)
    {
        return Err(format!("a {media_type}, not a bundle's manifest"));
    }
    if manifest.layers.len() > MAX_LAYERS {
        return Err(format!("more than {MAX_LAYERS} layers"));
    }
    let mut files = BTreeMap::new();
    for layer in &manifest.layers {
        let blob = registry.blob(&layer.digest)?;
        if TAR_LAYERS.contains(&layer.media_type.as_str()) {
            files.extend(crate::render::helm::archive::unpack_with(
                &blob,
                inside_bundle,
                "leaves the bundle (`..` or a backslash)",
            )?);
            continue;
        }
        let title = layer.annotations.get(TITLE).ok_or_else(|| {
            format!(
                "layer {} ({}) has no {TITLE}",
                layer.digest, layer.media_type
            )
        })?;
        let name = inside_bundle(title)
            .ok_or_else(|| format!("layer title `{title}` leaves the bundle"))?;
        files.insert(name, blob);
    }
    let staged = cache.staging().map_err(|e| e.to_string())?;
    super::write_tree(staged.path(), &files).map_err(|e| e.to_string())?;
    let dir = cache
        .store(Kind::Oci, &digest, staged)
        .map_err(|e| e.to_string())?;
    Ok((dir, digest))
}

/// The layer a bundle file becomes, by its name, as conftest lays them out.
fn media_type_of(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.ends_with(".rego") {
        Some(POLICY_LAYER)
    } else if name == ".manifest" {
        Some(MANIFEST_LAYER)
    } else if [".json", ".yaml", ".yml"].iter().any(|e| name.ends_with(e)) {
        Some(DATA_LAYER)
    } else {
        None
    }
}

/// The files of a bundle directory that are pushed: Rego, data and `.manifest`, by
/// relative path, in order. Symlinks are not followed.
pub fn bundle_files(dir: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let mut files = BTreeMap::new();
    for entry in ignore::WalkBuilder::new(dir)
        .standard_filters(false)
        .build()
    {
        let entry = entry.map_err(|e| format!("cannot walk {}: {e}", dir.display()))?;
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let relative = entry
            .path()
            .strip_prefix(dir)
            .map_err(|e| e.to_string())?
            .to_string_lossy()
            .replace('\\', "/");
        if media_type_of(&relative).is_some() {
            let bytes = std::fs::read(entry.path())
                .map_err(|e| format!("{}: {e}", entry.path().display()))?;
            files.insert(relative, bytes);
        }
    }
    if !files.keys().any(|name| name.ends_with(".rego")) {
        return Err(format!("{} holds no .rego file to push", dir.display()));
    }
    Ok(files)
}

/// Pushes a bundle directory as conftest does; returns the manifest's digest.
pub fn push(dir: &Path, reference: &OciRef) -> Result<String, String> {
    let files = bundle_files(dir)?;
    let mut registry = Registry::new(reference);
    let config = b"{}";
    let config_digest = registry.upload(config)?;
    let mut layers = Vec::new();
    for (name, bytes) in &files {
        let digest = registry.upload(bytes)?;
        let mut annotations = serde_json::Map::new();
        annotations.insert(TITLE.into(), name.as_str().into());
        layers.push(json!({
            "mediaType": media_type_of(name),
            "digest": digest,
            "size": bytes.len(),
            "annotations": annotations,
        }));
    }
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": {
            "mediaType": CONFIG_MEDIA_TYPE,
            "digest": config_digest,
            "size": config.len(),
        },
        "layers": layers,
    });
    let bytes = serde_json::to_vec(&manifest).map_err(|e| e.to_string())?;
    let url = registry.url(&format!("manifests/{}", reference.reference));
    let mut response = registry.send(|agent, auth| {
        let mut request = agent.put(&url).header("Content-Type", OCI_MANIFEST);
        if let Some(auth) = auth {
            request = request.header("Authorization", auth);
        }
        request.send(&bytes[..])
    })?;
    if response.status() != 201 {
        return Err(refusal("pushing the manifest", &mut response));
    }
    Ok(sha256(&bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_challenges() {
        let (scheme, parameters) = challenge(
            r#"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:org/p:pull""#,
        );
        assert_eq!(scheme, "bearer");
        assert_eq!(parameters["realm"], "https://auth.example.com/token");
        assert_eq!(parameters["service"], "registry.example.com");
        assert_eq!(parameters["scope"], "repository:org/p:pull");
        let (scheme, parameters) = challenge(r#"Basic realm="Registry""#);
        assert_eq!(scheme, "basic");
        assert_eq!(parameters["realm"], "Registry");
    }

    #[test]
    fn files_become_conftest_layers() {
        assert_eq!(media_type_of("k8s/deny.rego"), Some(POLICY_LAYER));
        assert_eq!(media_type_of("k8s/data.json"), Some(DATA_LAYER));
        assert_eq!(media_type_of("data.yaml"), Some(DATA_LAYER));
        assert_eq!(media_type_of(".manifest"), Some(MANIFEST_LAYER));
        assert_eq!(media_type_of("README.md"), None);
        assert_eq!(
            query_escape("repository:org/p:pull"),
            "repository%3Aorg%2Fp%3Apull"
        );
    }
}
