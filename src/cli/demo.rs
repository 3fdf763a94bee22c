//! `hibob-audit demo`: the audit on the embedded sample tenant.

use super::{CliError, DemoArgs, Format, Io, audit, load_profile};
use crate::demo::SampleTenant;
use crate::exit::Exit;
use crate::probes::Limits;

pub fn run(args: &DemoArgs, io: &mut Io) -> Result<Exit, CliError> {
    let rules = load_profile(&args.profile)?;
    audit(
        &SampleTenant::new(),
        &rules,
        Limits::default(),
        &args.output,
        false,
        io,
    )?;
    let next = format!(
        "\nThis was the embedded sample tenant: no credentials, no network. To audit your own tenant:\n\
         \x20 export {}=<service-user ID>\n\
         \x20 hibob-audit check --profile {} --token-file <file holding the token>\n\
         (or set {}; see README.md)\n",
        crate::credentials::ENV_ID,
        rules.name,
        crate::credentials::ENV_TOKEN
    );
    // Keep stdout one JSON document when JSON was asked for.
    if args.output.format == Format::Json {
        let _ = io.stderr.write_all(next.as_bytes());
    } else {
        super::emit(io, &next)?;
    }
    Ok(Exit::Ok)
}
