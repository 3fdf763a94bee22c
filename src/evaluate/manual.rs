//! What a read-only audit cannot prove: one `manual` check per `[[manual]]` entry, after the
//! judged checks. They never change the outcome.

use super::Sink;
use crate::report::{Check, CheckStatus};
use crate::rules::Rules;

pub(super) fn evaluate(rules: &Rules, sink: &mut Sink) {
    for m in &rules.manual {
        let mut c = Check::new(
            format!("manual:{}", m.id),
            CheckStatus::Manual,
            m.permission.clone(),
        )
        .sourced(&m.source);
        c.category = m.category.clone();
        c.permission = Some(m.permission.clone());
        c.evidence = "confirm by hand".into();
        c.reason = m.reason.clone();
        sink.check(c);
    }
}
