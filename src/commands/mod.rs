//! One module per subcommand's orchestration; main.rs only dispatches to them.

pub mod audit;
pub mod audit_report;
pub mod config;
pub mod render;
pub mod render_kustomize;
