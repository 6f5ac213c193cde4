//! The units of an audited repository: its root, and in a monorepo each service directory
//! (see the repository model), each with its owning team and its own share of findings.

use serde_json::Value;

use crate::lint::UnitSummary;

/// The CODEOWNERS files in the order GitHub looks for them: the first one present counts.
const CODEOWNERS_ORDER: [&str; 4] = [
    ".github/CODEOWNERS",
    "CODEOWNERS",
    "docs/CODEOWNERS",
    ".gitlab/CODEOWNERS",
];

/// A unit as its line shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct Unit {
    /// Its directory in the repository; `"."` for the root.
    pub root: String,
    pub kinds: Vec<String>,
    pub owner: Option<String>,
}

/// The repository's root unit and its service units, from the summaries `lint` returns.
pub fn of(summaries: &[UnitSummary]) -> (Unit, Vec<Unit>) {
    let root_summary = summaries.iter().find(|s| s["path"] == ".");
    let repository_owner = root_summary.and_then(|s| owner(s, "."));
    let root = Unit {
        root: ".".into(),
        kinds: root_summary.map(kinds).unwrap_or_default(),
        owner: repository_owner.clone(),
    };
    let mut services: Vec<Unit> = summaries
        .iter()
        .filter_map(|summary| {
            let path = summary["path"].as_str().filter(|p| *p != ".")?;
            let kinds = kinds(summary);
            kinds.iter().any(|k| k == "service").then(|| Unit {
                root: path.to_string(),
                owner: owner(summary, path).or_else(|| repository_owner.clone()),
                kinds,
            })
        })
        .collect();
    services.sort_by(|a, b| a.root.cmp(&b.root));
    (root, services)
}

fn kinds(summary: &Value) -> Vec<String> {
    summary["kinds"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|k| k.as_str().map(str::to_string))
        .collect()
}

/// The unit's owner: the CODEOWNERS entry for its directory (`*` for the root; the last
/// matching entry wins, as on GitHub), else its catalog entity's `spec.owner`.
fn owner(summary: &Value, unit: &str) -> Option<String> {
    let entries = summary["codeowners"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let in_effect = CODEOWNERS_ORDER
        .iter()
        .find(|file| entries.iter().any(|e| e["file"] == **file));
    let from_codeowners = in_effect.and_then(|file| {
        entries
            .iter()
            .filter(|e| e["file"] == *file)
            .filter(|e| e["pattern"].as_str().is_some_and(|p| names_unit(p, unit)))
            .filter_map(|e| e["owners"][0].as_str())
            .next_back()
    });
    from_codeowners
        .or_else(|| summary["catalog_owners"][0].as_str())
        .map(str::to_string)
}

/// Whether a CODEOWNERS pattern is the one for a whole unit: `*` for the root, the unit's
/// directory (`/services/api/`, `services/api/**`) for a service.
fn names_unit(pattern: &str, unit: &str) -> bool {
    if unit == "." {
        return pattern == "*" || pattern == "/**" || pattern == "**";
    }
    let directory = pattern
        .trim_start_matches('/')
        .trim_end_matches("/**")
        .trim_end_matches("/*")
        .trim_end_matches('/');
    directory == unit
}

/// The unit a repository path belongs to: the deepest service unit holding it, else `"."`.
pub fn unit_of<'a>(services: &'a [Unit], path: &str) -> &'a str {
    services
        .iter()
        .filter(|u| path == u.root || path.starts_with(&format!("{}/", u.root)))
        .max_by_key(|u| u.root.len())
        .map_or(".", |u| u.root.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn owners_come_from_codeowners_then_the_catalog() {
        let codeowners = json!([
            {"file": ".github/CODEOWNERS", "pattern": "*", "owners": ["@org/first"]},
            {"file": ".github/CODEOWNERS", "pattern": "*", "owners": ["@org/platform", "@x"]},
            {"file": ".github/CODEOWNERS", "pattern": "/services/api/", "owners": ["@org/api"]},
            // Shadowed: GitHub reads only .github/CODEOWNERS when it is there.
            {"file": "CODEOWNERS", "pattern": "*", "owners": ["@org/shadowed"]},
        ]);
        let summaries = [
            json!({"path": ".", "kinds": ["library"], "codeowners": codeowners, "catalog_owners": []}),
            json!({"path": "services/api", "kinds": ["service"], "codeowners": codeowners,
                   "catalog_owners": ["group:payments"]}),
            json!({"path": "services/web", "kinds": ["service"], "codeowners": codeowners,
                   "catalog_owners": ["group:web"]}),
            json!({"path": "tools", "kinds": ["library"], "codeowners": codeowners,
                   "catalog_owners": []}),
        ];
        let (root, services) = of(&summaries);
        assert_eq!(root.owner.as_deref(), Some("@org/platform"));
        assert_eq!(root.kinds, ["library"]);
        let owners: Vec<(&str, Option<&str>)> = services
            .iter()
            .map(|u| (u.root.as_str(), u.owner.as_deref()))
            .collect();
        assert_eq!(
            owners,
            [
                ("services/api", Some("@org/api")),
                ("services/web", Some("group:web"))
            ]
        );
        let bare =
            [json!({"path": ".", "kinds": [], "codeowners": [], "catalog_owners": ["team-a"]})];
        assert_eq!(of(&bare).0.owner.as_deref(), Some("team-a"));
    }

    #[test]
    fn findings_belong_to_the_deepest_unit_holding_them() {
        let unit = |root: &str| Unit {
            root: root.into(),
            kinds: vec!["service".into()],
            owner: None,
        };
        let services = [unit("services/api"), unit("services/api/worker")];
        assert_eq!(unit_of(&services, "services/api/k8s.yaml"), "services/api");
        assert_eq!(
            unit_of(&services, "services/api/worker/Dockerfile"),
            "services/api/worker"
        );
        assert_eq!(unit_of(&services, "services/api-old/x"), ".");
        assert_eq!(unit_of(&services, "README.md"), ".");
    }
}
