//! One file per subcommand's orchestration, so main.rs stays a dispatcher.

pub mod render;
