//! `hibob-audit demo`: the audit on the embedded sample tenant.

use super::{CliError, DemoArgs, Format, Io, Outputs, audit, deliver, load_profile};
use crate::demo::SampleTenant;
use crate::exit::Exit;
use crate::probes::Limits;
use crate::render::Context;

pub fn run(args: &DemoArgs, io: &mut Io) -> Result<Exit, CliError> {
    let rules = load_profile(&args.profile)?;
    let outputs = Outputs::prepare(&args.output, None)?;
    let tenant = SampleTenant::new().map_err(|e| CliError {
        exit: Exit::Incomplete,
        error: e.into(),
    })?;
    let limits = Limits {
        waits: false,
        ..Limits::default()
    };
    let policy = rules.policy();
    let needs = crate::probes::Needs::of(&rules);
    let setup = crate::audit::Audit {
        api: &tenant,
        rules: &rules,
        needs: &needs,
        policy: &policy,
        limits,
        today: io.today,
        clock: io.clock,
    };
    let report = audit(&setup, false, args.output.quiet, io);
    let ctx = Context {
        profile: rules.name.clone(),
        title: rules.title.clone(),
        target: crate::client::HiBobApi::target(&tenant),
        color: false,
        width: super::width(io),
        rerun: format!("hibob-audit check --profile {}", rules.name),
        verbose: false,
    };
    deliver(&report, ctx, &args.output, outputs, io)?;
    let next = format!(
        "\nThis was the embedded sample tenant: no credentials, no network.\nTo audit your own tenant:\n\
         \x20 export {}=<service-user ID>\n\
         \x20 hibob-audit check --profile {} --token-file <file holding the token>\n\
         (or set {}; see README.md)\n",
        crate::credentials::ENV_ID,
        rules.name,
        crate::credentials::ENV_TOKEN
    );
    // Keep stdout one document when JSON or Markdown was asked for.
    if args.output.quiet {
        // Nothing on stdout.
    } else if args.output.format == Format::Table {
        super::emit(io, &next)?;
    } else {
        let _ = io.stderr.write_all(next.as_bytes());
    }
    Ok(Exit::Ok)
}
