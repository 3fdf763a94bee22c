//! hibob-audit: audits a HiBob service user's permissions for an integration.
//!
//! Data flows one way, and the modules show it:
//! `credentials` → `client` → `probes` → `observations` → `evaluate(rules)` → `report` → `render`.
//! Only `client::http`, `credentials` and `cli` touch the outside world; `evaluate` is pure.
//! Beside it, `compare` turns two JSON reports into what changed (`hibob-audit diff`).
#![warn(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

pub mod audit;
pub mod cli;
pub mod client;
pub mod compare;
pub mod credentials;
pub mod date;
pub mod demo;
pub mod evaluate;
pub mod exit;
pub mod explain;
pub mod observations;
pub mod permissions;
pub mod policy;
pub mod probes;
pub mod record;
pub mod render;
pub mod report;
pub mod rules;
pub mod sanitize;
pub mod sensitive;
