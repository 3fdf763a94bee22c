//! In-process tests of the core (issue 17): observations built by hand, evaluated by
//! `evaluate`, snapshotted as the JSON report; and the `Io`-dependent behaviour of the CLI
//! (colour, width, quiet) through a fake `Io`. No binary, no HTTP.

mod build;
mod scenario;

mod access;
mod coverage;
mod excess;
mod fields;
mod guide;
mod io;
mod lifecycle;
mod policy;
mod tables_docs;
mod timeoff;
