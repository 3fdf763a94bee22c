//! `hibob-audit rules list|show`.

use super::{CliError, Io, RulesCommand, emit, find_profile};
use crate::exit::Exit;
use crate::rules::profiles;

pub fn run(cmd: &RulesCommand, io: &mut Io) -> Result<Exit, CliError> {
    match cmd {
        RulesCommand::List => {
            let mut text = String::new();
            for p in profiles::PROFILES {
                text.push_str(&format!("{:<10} {}\n", p.name, p.summary));
            }
            emit(io, &text)?;
        }
        RulesCommand::Show { name } => {
            emit(io, find_profile(name)?.text)?;
        }
    }
    Ok(Exit::Ok)
}
