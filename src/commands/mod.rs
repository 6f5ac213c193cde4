//! One module per subcommand's orchestration; main.rs only dispatches to them.

pub mod audit;
pub mod audit_report;
pub mod config;
pub mod lock;
pub mod pull;
pub mod push;
pub mod render;
pub mod render_kustomize;
