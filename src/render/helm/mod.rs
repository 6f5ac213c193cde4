//! Helm charts rendered in-process, the way `helm template` does, with no `helm` binary.

pub mod archive;
pub mod chart;
pub mod dependencies;
pub mod ignore;
pub mod render;
pub mod run;
pub mod scenario;
pub mod set;
pub mod template;
pub mod value_sources;
pub mod values;
