//! The render stage: inputs that are not deployed as written (a kustomization's overlays,
//! a Helm chart's templates) become what they deploy.

pub mod helm;
pub mod kustomize;
