//! `hibob-audit rules list|show|validate|init|diff`.

use std::path::Path;

use super::{CliError, Io, RulesCommand, emit, files, find_profile, load_profile, load_rules_file};
use crate::exit::Exit;
use crate::rules::{self, Rules, profiles};

/// A profile name, or a path when a file exists there.
fn load_either(name: &str) -> Result<Rules, CliError> {
    let path = Path::new(name);
    if path.is_file() {
        return load_rules_file(path);
    }
    load_profile(name)
}

pub(super) fn run(cmd: &RulesCommand, io: &mut Io) -> Result<Exit, CliError> {
    match cmd {
        RulesCommand::List => {
            let mut text = String::new();
            for p in profiles::PROFILES {
                let r = profiles::load(p).map_err(CliError::usage)?;
                text.push_str(&format!("{:<10} {}\n", p.name, r.title));
                if let Some(source) = &r.source {
                    text.push_str(&format!(
                        "{:<10} source: {source}{}\n",
                        "",
                        r.read
                            .as_deref()
                            .map_or_else(String::new, |d| format!(" (read {d})"))
                    ));
                }
            }
            emit(io, &text)?;
        }
        RulesCommand::Show { name, toml: true } => {
            let path = Path::new(name);
            if path.is_file() {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    CliError::usage(anyhow::anyhow!("cannot read {}: {e}", path.display()))
                })?;
                emit(io, &crate::sanitize::terminal_text(&text))?;
            } else {
                emit(io, find_profile(name)?.text)?;
            }
        }
        RulesCommand::Show { name, toml: false } => {
            let r = load_either(name)?;
            emit(
                io,
                &crate::sanitize::terminal_text(&rules::show::render(&r, name)),
            )?;
        }
        RulesCommand::Validate { path } => {
            let r = load_rules_file(path)?;
            emit(
                io,
                &format!(
                    "{}: valid rules `{}`: {} field(s), {} whole categor(ies), {} lifecycle status(es), {} time-off capability(ies), {} section histor(ies), {} docs folder(s), {} to confirm by hand{}\n",
                    path.display(),
                    crate::sanitize::terminal(&r.name),
                    r.fields.len(),
                    r.categories.len(),
                    r.lifecycle.as_ref().map_or(0, |l| l.statuses.len()),
                    r.timeoff.as_ref().map_or(0, |t| t.require.len()),
                    r.histories.len(),
                    r.docs.as_ref().map_or(0, |d| d.folders.len()),
                    r.manual.len(),
                    if r.guide_lines.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; every one of its {} guide line(s) is answered",
                            r.guide_lines.len()
                        )
                    }
                ),
            )?;
        }
        RulesCommand::Init { path: None, .. } => emit(io, rules::TEMPLATE)?,
        RulesCommand::Init {
            path: Some(path),
            force,
        } => {
            if path.exists() && !force {
                return Err(CliError::usage(anyhow::anyhow!(
                    "{} exists: pass --force to overwrite it",
                    path.display()
                )));
            }
            files::OutputFile::prepare(path)?
                .write(rules::TEMPLATE.as_bytes())
                .map_err(|e| {
                    CliError::usage(anyhow::anyhow!("cannot write {}: {e}", path.display()))
                })?;
            emit(
                io,
                &format!(
                    "wrote a rules template to {}: edit it, then `hibob-audit rules validate {}`\n",
                    path.display(),
                    path.display()
                ),
            )?;
        }
        RulesCommand::Diff { a, b } => {
            let (ra, rb) = (load_either(a)?, load_either(b)?);
            let diff = rules::diff::compare(&ra, &rb);
            emit(io, &crate::sanitize::terminal_text(&diff.text))?;
            // Like diff(1): 0 for the same rules, 1 for different ones.
            if !diff.identical {
                return Ok(Exit::Findings);
            }
        }
    }
    Ok(Exit::Ok)
}
