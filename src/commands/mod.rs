//! One file per subcommand's orchestration; main.rs only dispatches.

pub mod audit_report;

use crate::cli::{AuditArgs, AuditCommand};

/// `paved audit ...`: the exit code of the audit subcommand.
pub fn audit(args: AuditArgs) -> anyhow::Result<u8> {
    match args.command {
        AuditCommand::Report(args) => audit_report::run(args),
    }
}
