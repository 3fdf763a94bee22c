//! hibob-audit: audits a HiBob service user's permissions for an integration.
//!
//! Data flows one way, and the modules show it:
//! `credentials` → `client` → `probes` → `observations` → `evaluate(rules)` → `report` → `render`,
//! with `audit` running the middle of it as one call. Only `client::http`, `credentials`,
//! `record` (which reads a recording file) and `cli` touch the outside world; `evaluate` is
//! pure. Beside it, `compare` turns two JSON reports into what changed (`hibob-audit diff`).
//! docs/architecture.md has one line per module and where new things go.
#![warn(
    clippy::print_stdout,
    clippy::print_stderr,
    clippy::unwrap_used,
    unreachable_pub
)]

pub mod audit;
pub mod cli;
pub mod client;
pub(crate) mod compare;
pub mod credentials;
pub mod date;
pub(crate) mod demo;
pub mod evaluate;
pub mod exit;
pub(crate) mod explain;
pub mod observations;
pub(crate) mod permissions;
pub mod policy;
pub mod probes;
pub mod record;
pub mod render;
pub mod report;
pub mod rules;
pub mod sanitize;
pub mod sensitive;
