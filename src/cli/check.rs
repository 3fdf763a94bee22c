//! `hibob-audit check`: credentials, target and rules from the command line, then the audit;
//! or its plan (`--plan`), or its replay from a recording (`--replay`).

use std::time::Duration;

use super::{CheckArgs, CliError, Format, Io, Outputs, audit, deliver, emit, files, load_rules};
use crate::client::HiBobApi;
use crate::client::http::HttpClient;
use crate::client::url::{BaseUrl, PRODUCTION, SANDBOX};
use crate::credentials::{self, TokenSource};
use crate::exit::Exit;
use crate::probes::{AnswerLimits, Excess, Limits, Needs};
use crate::record::{self, Recorder, Replay};
use crate::render::{Context, plan};

/// The command that runs this audit again, live, without secrets.
fn rerun(args: &CheckArgs) -> String {
    let mut cmd = String::from("hibob-audit check");
    match (&args.rules.profile, &args.rules.rules) {
        (Some(p), _) => cmd.push_str(&format!(" --profile {p}")),
        (None, Some(path)) => cmd.push_str(&format!(" --rules {}", path.display())),
        (None, None) => {}
    }
    if args.excess {
        cmd.push_str(" --excess");
    }
    if args.sandbox {
        cmd.push_str(" --sandbox");
    } else if args.base_url != PRODUCTION {
        cmd.push_str(&format!(" --base-url {}", args.base_url));
    }
    cmd
}

pub fn run(args: &CheckArgs, io: &mut Io) -> Result<Exit, CliError> {
    // Everything the user typed is checked before any traffic.
    let rules = load_rules(&args.rules)?;
    let base = BaseUrl::parse(if args.sandbox {
        SANDBOX
    } else {
        &args.base_url
    })
    .map_err(CliError::usage)?;
    // A recording asks for what every shipped profile needs, so that it replays under any.
    let mut needs = if args.record.is_some() {
        Needs::for_recording(&rules)
    } else {
        Needs::of(&rules)
    };
    // With --excess a recording asks for one field of every category, so that it replays
    // with --excess under any profile.
    needs.excess = match (args.excess, args.record.is_some()) {
        (false, _) => Excess::Off,
        (true, false) => Excess::Unneeded,
        (true, true) => Excess::Every,
    };
    if args.plan {
        let plan = crate::probes::plan(&needs, io.today);
        let text = match args.output.format {
            Format::Json => plan::json(&plan, &rules.name, base.as_str())?,
            _ => plan::text(&plan, &rules.name, base.as_str()),
        };
        if !args.output.quiet {
            emit(io, &text)?;
        }
        return Ok(Exit::Ok);
    }
    let outputs = Outputs::prepare(&args.output, args.record.as_deref())?;
    let limits = Limits {
        timeout: Duration::from_secs(args.timeout),
        deadline: Duration::from_secs(args.deadline),
        waits: args.replay.is_none(),
        answers: args
            .max_answer_size
            .iter()
            .fold(AnswerLimits::default(), |limits, setting| {
                limits.with(*setting)
            }),
    };

    if let Some(path) = &args.replay {
        let recording = record::load(path).map_err(CliError::usage)?;
        let _ = writeln!(
            io.stderr,
            "hibob-audit: replaying {} (recorded on {} against {} with rules `{}`): no network, no credentials",
            path.display(),
            crate::sanitize::terminal(&recording.recorded_on),
            crate::sanitize::terminal(&recording.base_url),
            crate::sanitize::terminal(&recording.rules),
        );
        let replay = Replay::new(recording);
        return finish(&replay, args, &rules, &needs, limits, outputs, io);
    }

    let source = match (&args.token_file, args.token_stdin) {
        (Some(path), _) => TokenSource::File(path.clone()),
        (None, true) => TokenSource::Stdin,
        (None, false) => TokenSource::Environment,
    };
    let stdin = credentials::Stdin {
        reader: io
            .stdin
            .take()
            .unwrap_or_else(|| Box::new(std::io::empty())),
        is_terminal: io.stdin_is_terminal,
        wait: Duration::from_secs(args.deadline),
    };
    let creds = credentials::resolve(args.service_user_id.as_deref(), &source, io.env, stdin)
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

    let Some(path) = &args.record else {
        return finish(&client, args, &rules, &needs, limits, outputs, io);
    };
    let file = files::OutputFile::prepare(path)?;
    let recorder = Recorder::new(&client);
    let exit = finish(&recorder, args, &rules, &needs, limits, outputs, io);
    let recording = recorder.finish(&rules.name, &io.today.to_string());
    let text = serde_json::to_string_pretty(&recording).map_err(|e| CliError {
        exit: Exit::Incomplete,
        error: anyhow::anyhow!(
            "cannot serialise the recording ({e}); nothing was written to {}",
            path.display()
        ),
    })?;
    match file.write(format!("{text}\n").as_bytes()) {
        Ok(()) => {
            let _ = writeln!(
                io.stderr,
                "hibob-audit: wrote a redacted recording of {} call(s) to {}; read it before you send it",
                recording.calls.len(),
                path.display()
            );
        }
        Err(e) => {
            return Err(CliError {
                exit: Exit::Incomplete,
                error: anyhow::anyhow!("cannot write the recording {}: {e}", path.display()),
            });
        }
    }
    exit
}

/// Audits through `api`, then renders everywhere asked.
fn finish(
    api: &dyn HiBobApi,
    args: &CheckArgs,
    rules: &crate::rules::Rules,
    needs: &Needs,
    limits: Limits,
    outputs: Outputs,
    io: &mut Io,
) -> Result<Exit, CliError> {
    let ctx = Context {
        profile: rules.name.clone(),
        title: rules.title.clone(),
        target: api.target(),
        color: false,
        width: super::width(io),
        rerun: rerun(args),
        verbose: args.verbose,
    };
    if let Some(interval) = args.watch {
        return super::watch::run(api, args, rules, needs, limits, outputs, interval, ctx, io);
    }
    let policy = super::policy(rules, &args.severity);
    let setup = crate::audit::Audit {
        api,
        rules,
        needs,
        policy: &policy,
        limits,
        today: io.today,
        clock: io.clock,
    };
    let report = audit(&setup, args.verbose, args.output.quiet, io);
    deliver(&report, ctx, &args.output, outputs, io)?;
    Ok(Exit::from_outcome(report.outcome()))
}
