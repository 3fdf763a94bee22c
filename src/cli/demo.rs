//! `hibob-audit demo`: the audit on the embedded sample tenant.

use super::{CliError, DemoArgs, Format, Io, Outputs, audit, deliver, load_profile};
use crate::demo::SampleTenant;
use crate::exit::Exit;
use crate::probes::Limits;
use crate::render::Context;

pub(super) fn run(args: &DemoArgs, io: &mut Io) -> Result<Exit, CliError> {
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
    let next = closing_text(&rules.name, usize::from(super::width(io)));
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

/// What to run next, wrapped to `max` columns; the commands wrap with ` \\` so that they
/// still run when pasted.
fn closing_text(profile: &str, max: usize) -> String {
    use crate::render::wrap::{command, hanging};
    let say = |text: &str| hanging("", "", text, max);
    format!(
        "\n{}\n{}\n{}\n{}\n{}\n",
        say("This was the embedded sample tenant: no credentials, no network."),
        say("To audit your own tenant, with the service user's token in a file only you can read:"),
        command(
            "  ",
            &format!("export {}=<service-user-ID>", crate::credentials::ENV_ID),
            max
        ),
        command(
            "  ",
            &format!("hibob-audit check --profile {profile} --token-file <token-file>"),
            max
        ),
        say(&format!(
            "(or set {} instead of --token-file; see README.md)",
            crate::credentials::ENV_TOKEN
        )),
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_closing_text_fits_and_its_commands_still_run() {
        for max in [40, 60, 100] {
            let text = super::closing_text("activtrak", max);
            for line in text.lines() {
                // A word longer than the line (`NAME=<value>`) stays whole, on its own line.
                let one_word = line.trim_end_matches(" \\").split_whitespace().count() == 1;
                assert!(
                    crate::render::wrap::width(line) <= max || one_word,
                    "{max}: {line:?}"
                );
            }
            let joined = text.replace(" \\\n", " ");
            let words: Vec<&str> = joined.split_whitespace().collect();
            let at = words
                .iter()
                .position(|w| *w == "hibob-audit")
                .expect("the command");
            assert_eq!(
                words[at..at + 6],
                [
                    "hibob-audit",
                    "check",
                    "--profile",
                    "activtrak",
                    "--token-file",
                    "<token-file>"
                ],
                "{text}"
            );
        }
    }
}
