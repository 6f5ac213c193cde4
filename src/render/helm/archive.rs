//! A subchart vendored as a `.tgz` in `charts/`: untrusted, so every entry is checked
//! (no absolute paths, no `..`, no links or devices) and the unpacked size is bounded.

use std::io::Read;

use super::chart::FileTree;

/// No real chart archive unpacks to more than this.
pub const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;
/// Nor holds more entries.
pub const MAX_ENTRIES: usize = 10_000;

/// The files of a chart archive, relative to its top directory (`mychart/values.yaml` is
/// `values.yaml`), as Helm's loader reads them.
pub fn unpack(bytes: &[u8]) -> Result<FileTree, String> {
    unpack_with(
        bytes,
        inside_top_directory,
        "leaves the chart (absolute, `..`, or not in a directory)",
    )
}

/// The files of any untrusted archive (policy bundles too), each entry's name mapped by
/// `name_of` to where it lands, or refused with `refusal` when it maps to nothing.
pub fn unpack_with(
    bytes: &[u8],
    name_of: fn(&str) -> Option<String>,
    refusal: &str,
) -> Result<FileTree, String> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let mut files = FileTree::new();
    let mut budget = MAX_UNPACKED_BYTES;
    let entries = archive
        .entries()
        .map_err(|e| format!("not a gzipped tar archive: {e}"))?;
    for (count, entry) in entries.enumerate() {
        if count >= MAX_ENTRIES {
            return Err(format!("the archive holds more than {MAX_ENTRIES} entries"));
        }
        let entry = entry.map_err(|e| format!("not a gzipped tar archive: {e}"))?;
        let raw = entry.path_bytes().into_owned();
        let name = String::from_utf8_lossy(&raw).into_owned();
        let kind = entry.header().entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() || kind.is_pax_local_extensions() {
            continue;
        }
        let Some(relative) = name_of(&name) else {
            return Err(format!("the archive entry `{name}` {refusal}"));
        };
        if !kind.is_file() {
            return Err(format!(
                "the archive entry `{name}` is a link or device, not a file"
            ));
        }
        let mut content = Vec::new();
        entry
            .take(budget + 1)
            .read_to_end(&mut content)
            .map_err(|e| format!("cannot unpack `{name}`: {e}"))?;
        budget = budget.checked_sub(content.len() as u64).ok_or_else(|| {
            format!(
                "the archive unpacks to more than {} MiB",
                MAX_UNPACKED_BYTES >> 20
            )
        })?;
        files.insert(relative, content);
    }
    Ok(files)
}

/// `chart/templates/a.yaml` → `templates/a.yaml`; `None` for paths that are absolute, hold
/// `..` or sit beside the top directory.
fn inside_top_directory(name: &str) -> Option<String> {
    if name.starts_with('/') || name.contains('\\') {
        return None;
    }
    let mut parts = name.split('/').filter(|p| !p.is_empty() && *p != ".");
    parts.next()?;
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() || rest.contains(&"..") {
        return None;
    }
    Some(rest.join("/"))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A gzipped tar archive of `(path, content)` entries, written as `tar czf` would.
    pub(crate) fn tgz(entries: &[(&str, &str)]) -> Vec<u8> {
        let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        let mut builder = tar::Builder::new(encoder);
        for (path, content) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(content.len() as u64);
            header.set_mode(0o644);
            // `set_path` refuses `..`: write the name bytes as an attacker would.
            let name = header.as_old_mut().name.as_mut();
            name[..path.len()].copy_from_slice(path.as_bytes());
            header.set_cksum();
            builder.append(&header, content.as_bytes()).unwrap();
        }
        builder.into_inner().unwrap().finish().unwrap()
    }

    #[test]
    fn unpacks_below_the_top_directory() {
        let files = unpack(&tgz(&[
            ("db/Chart.yaml", "name: db\n"),
            ("db/templates/svc.yaml", "kind: Service\n"),
        ]))
        .unwrap();
        let names: Vec<&str> = files.keys().map(String::as_str).collect();
        assert_eq!(names, ["Chart.yaml", "templates/svc.yaml"]);
        assert_eq!(files["Chart.yaml"], b"name: db\n");
    }

    #[test]
    fn refuses_entries_that_leave_the_chart() {
        for bad in ["db/../../etc/passwd", "/etc/passwd", "loose.yaml"] {
            let error = unpack(&tgz(&[(bad, "x")])).unwrap_err();
            assert_eq!(
                error,
                format!("the archive entry `{bad}` leaves the chart (absolute, `..`, or not in a directory)")
            );
        }
    }

    #[test]
    fn refuses_what_is_not_an_archive() {
        assert!(unpack(b"plain text")
            .unwrap_err()
            .starts_with("not a gzipped tar archive"));
    }
}
