//! Integration tests: the real binary and HTTP client against a fake HiBob on 127.0.0.1.

mod support;

mod access;
mod architecture;
mod categories;
mod ci_output;
mod cli_usage;
mod demo;
mod docs;
mod excess;
mod faults;
mod guide;
mod help;
mod hostile;
mod layout;
mod lifecycle;
mod privacy;
mod profiles;
mod properties;
mod recording;
mod report_diff;
mod requests;
mod schema;
mod support_tools;
mod tables_docs;
mod timeoff;
