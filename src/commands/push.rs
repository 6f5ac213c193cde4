//! `paved push DIR oci://…`: a bundle directory uploaded in conftest's layout.

use std::io::Write;

use crate::cli::PushArgs;
use crate::sources::{oci, Source, SourceError};

pub fn run(args: &PushArgs) -> anyhow::Result<u8> {
    let Source::Oci(reference) = Source::parse(&args.reference)? else {
        return Err(SourceError::Invalid {
            spec: args.reference.clone(),
            why: "paved pushes to OCI registries only: oci://REGISTRY/REPOSITORY[:TAG]".into(),
        }
        .into());
    };
    let digest = oci::push(&args.dir, &reference).map_err(|why| SourceError::Fetch {
        spec: args.reference.clone(),
        why,
    })?;
    writeln!(
        crate::report::stdout(),
        "pushed {} to {}: {digest}",
        args.dir.display(),
        args.reference
    )?;
    Ok(0)
}
