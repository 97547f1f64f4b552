//! `bumplox lsp`: a language server for Lox over stdio, on `lsp-server` and
//! `lsp-types`.
//!
//! Diagnostics come from the caller's check (the driver passes the very
//! front-end `bumplox check` runs), so they cannot differ from the command's.
//! Everything else reads an analysis of the text (`analysis.rs`): the names the
//! resolver recorded (`bumplox_resolver::resolve_names`), the outline, and the
//! lexer's tokens. A request is handled under `catch_unwind`: a panic answers
//! that request with an error and the server goes on with its documents.
//!
//! Adding a request is one handler in `handlers.rs` (`fn(&Documents, Params)
//! -> Result<Result, Refusal>`), one arm in `Server::request` and one
//! capability in `server::capabilities`.

mod analysis;
mod diagnostics;
mod document;
mod handlers;
mod server;
mod tokens;
mod transport;

use bumplox_diagnostics::Diagnostic;
use bumplox_source::SourceFile;

pub use server::capabilities;

/// The check whose diagnostics the server publishes for a document.
pub type Check<'c> = dyn Fn(&SourceFile) -> Vec<Diagnostic> + 'c;

/// Why a session ended without the client's `shutdown` first: the protocol
/// asks the server to exit with code 1 then.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbnormalEnd {
    /// The client sent `exit` without `shutdown`.
    ExitBeforeShutdown,
    /// The input ended (or stopped being framed messages) before `shutdown`.
    ClosedBeforeShutdown,
}

impl std::fmt::Display for AbnormalEnd {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            AbnormalEnd::ExitBeforeShutdown => "the client sent `exit` before `shutdown`",
            AbnormalEnd::ClosedBeforeShutdown => "the client closed the connection before shutdown",
        })
    }
}

/// Serves the protocol on standard input and output until the client says
/// `exit` or closes the input. `Ok` when `shutdown` came first.
pub fn serve_stdio(check: &Check<'_>) -> Result<(), AbnormalEnd> {
    let (connection, threads) = transport::stdio();
    let outcome = server::Server::new(connection, check).run();
    // The writer ends once the server's side of the channel is dropped (in
    // `run`), after sending what is queued, so the last answer is not lost.
    // The reader may be blocked on input that never comes; it is left behind.
    let [_reader, writer] = threads;
    let _ = writer.join();
    outcome
}
