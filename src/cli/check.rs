//! `hibob-audit check`: credentials, target and rules from the command line, then the audit.

use std::time::Duration;

use super::{CheckArgs, CliError, Format, Io, audit, emit, load_rules};
use crate::client::http::HttpClient;
use crate::client::url::{BaseUrl, SANDBOX};
use crate::credentials::{self, TokenSource};
use crate::exit::Exit;
use crate::probes::Limits;
use crate::render::plan;

pub fn run(args: &CheckArgs, io: &mut Io) -> Result<Exit, CliError> {
    // Everything the user typed is checked before any traffic.
    let rules = load_rules(&args.rules)?;
    let base = BaseUrl::parse(if args.sandbox {
        SANDBOX
    } else {
        &args.base_url
    })
    .map_err(CliError::usage)?;
    if args.plan {
        let plan = crate::probes::plan(&rules, io.today);
        let text = match args.output.format {
            Format::Json => plan::json(&plan, &rules.name, base.as_str()),
            Format::Table => plan::text(&plan, &rules.name, base.as_str()),
        };
        emit(io, &text)?;
        return Ok(Exit::Ok);
    }
    let source = match (&args.token_file, args.token_stdin) {
        (Some(path), _) => TokenSource::File(path.clone()),
        (None, true) => TokenSource::Stdin,
        (None, false) => TokenSource::Environment,
    };
    let creds = credentials::resolve(args.service_user_id.as_deref(), &source, io.env, io.stdin)
        .map_err(CliError::usage)?;
    if let TokenSource::File(path) = &source
        && credentials::readable_by_others(path)
    {
        let _ = writeln!(
            io.stderr,
            "hibob-audit: warning: the token file {} can be read by group or others: chmod 600 it",
            path.display()
        );
    }

    let client = HttpClient::new(base, &creds);
    let limits = Limits {
        timeout: Duration::from_secs(args.timeout),
        deadline: Duration::from_secs(args.deadline),
    };
    let report = audit(&client, &rules, limits, &args.output, args.verbose, io)?;
    Ok(Exit::from_outcome(report.outcome()))
}
