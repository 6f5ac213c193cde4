//! Rendering: inputs that are not deployed as written (a Helm chart) become the manifests
//! they deploy, each line mapped back to the template line that made it.

pub mod helm;
