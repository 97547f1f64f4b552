//! Measuring the front-end: every stage (lexing, parsing, dropping the tree,
//! resolving, code generation, and all of `check` at once) under every
//! allocation strategy, with allocation counts, and the table and chart that
//! `bumplox bench` prints. The criterion benchmarks in `benches/` use the same
//! stages, so both measure the same thing.
//!
//! This crate does no input or output and starts no process: the driver reads
//! files, runs one worker process per allocator and prints what this crate
//! renders. It installs no global allocator; callers pass the counting
//! allocator they installed.

mod chart;
mod count;
mod report;
mod stages;

pub use chart::render_svg;
pub use count::{count_nodes, NodeCount};
pub use report::{render_table, Accounting, Report, Row, Stage, Subject};
pub use stages::{
    account, check, lex, measure, run_subject, session, Measured, Strategy, Task, Timed,
};
