//! The server's loop: the lifecycle (`initialize`, `shutdown`, `exit`), the
//! open documents, the dispatch of requests and notifications to their
//! handlers, each under `catch_unwind`, and the diagnostics published after
//! every burst of changes.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Exit, Notification as _,
    PublishDiagnostics,
};
use lsp_types::request::{
    DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, Initialize, References,
    Rename, Request as _, SelectionRangeRequest, SemanticTokensFullRequest, Shutdown,
};
use lsp_types::{
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    HoverProviderCapability, InitializeResult, OneOf, PublishDiagnosticsParams,
    SelectionRangeProviderCapability, SemanticTokensFullOptions, SemanticTokensOptions,
    SemanticTokensServerCapabilities, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, Uri,
};

use crate::document::Document;
use crate::{diagnostics, handlers, tokens, AbnormalEnd, Check};

/// The open documents, by URI (as text: `Uri` caches parts of itself inside,
/// which makes it a poor hash key).
pub type Documents = HashMap<String, Document>;

/// Why a request was not answered with a result.
#[derive(Debug)]
pub struct Refusal {
    pub code: ErrorCode,
    pub message: String,
}

impl Refusal {
    /// A request that cannot be carried out as asked (a rename into a
    /// clash, a name that is no identifier).
    pub fn invalid(message: impl Into<String>) -> Refusal {
        Refusal {
            code: ErrorCode::InvalidParams,
            message: message.into(),
        }
    }
}

/// A request handler: reads the documents, answers or refuses.
type Handler<R> = fn(
    &Documents,
    <R as lsp_types::request::Request>::Params,
) -> Result<<R as lsp_types::request::Request>::Result, Refusal>;

/// The name of a request that panics on purpose, answered only when
/// `BUMPLOX_LSP_PANIC_REQUEST` is set, so that a test can check that a panic
/// in one request leaves the server running.
const PANIC_METHOD: &str = "bumplox/panic";

/// What the server can do, as told to the client in its reply to `initialize`.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        rename_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        selection_range_provider: Some(SelectionRangeProviderCapability::Simple(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                work_done_progress_options: Default::default(),
            },
        )),
        ..ServerCapabilities::default()
    }
}

/// Where a session stands in the protocol's lifecycle.
#[derive(Clone, Copy)]
enum Phase {
    /// Waiting for `initialize`.
    Uninitialized,
    /// Serving requests and notifications.
    Running,
    /// `shutdown` answered: waiting for `exit`.
    ShuttingDown,
}

pub struct Server<'c> {
    connection: Connection,
    documents: Documents,
    check: &'c Check<'c>,
    /// A message read while gathering a burst of changes that was not a
    /// change: it is the next to handle.
    held: Option<Message>,
}

impl<'c> Server<'c> {
    pub fn new(connection: Connection, check: &'c Check<'c>) -> Server<'c> {
        Server {
            connection,
            documents: Documents::new(),
            check,
            held: None,
        }
    }

    /// Serves one session: answers `initialize`, then requests and
    /// notifications, until `exit` or the end of input. Before `initialize`
    /// and after `shutdown`, requests are answered with an error and
    /// notifications dropped, as the protocol asks; `exit` is heeded at any
    /// time.
    pub fn run(mut self) -> Result<(), AbnormalEnd> {
        let mut phase = Phase::Uninitialized;
        loop {
            let Some(message) = self.next_message() else {
                return match phase {
                    Phase::ShuttingDown => Ok(()),
                    Phase::Uninitialized | Phase::Running => Err(AbnormalEnd::ClosedBeforeShutdown),
                };
            };
            match message {
                Message::Request(request) => phase = self.lifecycle_request(request, phase),
                Message::Notification(notification) if notification.method == Exit::METHOD => {
                    return match phase {
                        Phase::ShuttingDown => Ok(()),
                        Phase::Uninitialized | Phase::Running => {
                            Err(AbnormalEnd::ExitBeforeShutdown)
                        }
                    };
                }
                Message::Notification(notification) => match phase {
                    Phase::Running => {
                        // A panic here loses this one change's diagnostics;
                        // the document keeps its text from before or after
                        // the change, which is all there is to keep.
                        let _ = catch_unwind(AssertUnwindSafe(|| self.notification(notification)));
                    }
                    // The protocol drops notifications before `initialize`
                    // and after `shutdown`.
                    Phase::Uninitialized | Phase::ShuttingDown => {}
                },
                // The server sends no requests, so it expects no responses.
                Message::Response(_) => {}
            }
        }
    }

    /// The message held back by a burst of changes, else the next one from
    /// the client; `None` at the end of input.
    fn next_message(&mut self) -> Option<Message> {
        match self.held.take() {
            Some(message) => Some(message),
            None => self.connection.receiver.recv().ok(),
        }
    }

    /// Answers a request as the session's phase allows, and returns the
    /// phase that follows it.
    fn lifecycle_request(&mut self, request: Request, phase: Phase) -> Phase {
        let refuse = |request: Request, code: ErrorCode, message: &str| {
            Response::new_err(request.id, code as i32, message.to_string())
        };
        let (response, next) = match (phase, request.method.as_str()) {
            (Phase::Uninitialized, Initialize::METHOD) => {
                let result = InitializeResult {
                    capabilities: capabilities(),
                    server_info: None,
                };
                (Response::new_ok(request.id, result), Phase::Running)
            }
            (Phase::Uninitialized, _) => (
                refuse(
                    request,
                    ErrorCode::ServerNotInitialized,
                    "the server is not initialized: send `initialize` first",
                ),
                Phase::Uninitialized,
            ),
            (Phase::Running, Initialize::METHOD) => (
                refuse(
                    request,
                    ErrorCode::InvalidRequest,
                    "the server is initialized already",
                ),
                Phase::Running,
            ),
            (Phase::Running, Shutdown::METHOD) => {
                (Response::new_ok(request.id, ()), Phase::ShuttingDown)
            }
            (Phase::Running, _) => (self.guarded_request(request), Phase::Running),
            (Phase::ShuttingDown, _) => (
                refuse(
                    request,
                    ErrorCode::InvalidRequest,
                    "the server is shutting down: it answers nothing but `exit`",
                ),
                Phase::ShuttingDown,
            ),
        };
        self.send(Message::Response(response));
        next
    }

    /// Answers a request under `catch_unwind`: a panic becomes an internal
    /// error for that request alone.
    fn guarded_request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        catch_unwind(AssertUnwindSafe(|| self.request(request))).unwrap_or_else(|payload| {
            Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!(
                    "internal error: {} (the server goes on; please report this bug)",
                    panic_message(payload.as_ref())
                ),
            )
        })
    }

    fn send(&self, message: Message) {
        // A closed channel means the client is gone; the loop ends by itself.
        let _ = self.connection.sender.send(message);
    }

    fn request(&mut self, request: Request) -> Response {
        match request.method.as_str() {
            GotoDefinition::METHOD => self.on::<GotoDefinition>(request, handlers::definition),
            References::METHOD => self.on::<References>(request, handlers::references),
            HoverRequest::METHOD => self.on::<HoverRequest>(request, handlers::hover),
            Rename::METHOD => self.on::<Rename>(request, handlers::rename),
            DocumentSymbolRequest::METHOD => {
                self.on::<DocumentSymbolRequest>(request, handlers::document_symbols)
            }
            SemanticTokensFullRequest::METHOD => {
                self.on::<SemanticTokensFullRequest>(request, handlers::semantic_tokens)
            }
            SelectionRangeRequest::METHOD => {
                self.on::<SelectionRangeRequest>(request, handlers::selection_ranges)
            }
            Formatting::METHOD => self.on::<Formatting>(request, handlers::formatting),
            PANIC_METHOD if std::env::var_os("BUMPLOX_LSP_PANIC_REQUEST").is_some() => {
                panic!("a panic asked for by {PANIC_METHOD}")
            }
            method => Response::new_err(
                request.id,
                ErrorCode::MethodNotFound as i32,
                format!("bumplox lsp does not handle `{method}`"),
            ),
        }
    }

    /// Decodes a request's parameters, runs its handler and encodes the answer.
    fn on<R: lsp_types::request::Request>(
        &self,
        request: Request,
        handler: Handler<R>,
    ) -> Response {
        let params = match serde_json::from_value::<R::Params>(request.params) {
            Ok(params) => params,
            Err(error) => {
                return Response::new_err(
                    request.id,
                    ErrorCode::InvalidParams as i32,
                    format!("invalid parameters for `{}`: {error}", R::METHOD),
                )
            }
        };
        match handler(&self.documents, params) {
            Ok(result) => Response::new_ok(request.id, result),
            Err(refusal) => Response::new_err(request.id, refusal.code as i32, refusal.message),
        }
    }

    fn notification(&mut self, notification: Notification) {
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(params) =
                    notification.extract::<DidOpenTextDocumentParams>(DidOpenTextDocument::METHOD)
                else {
                    return;
                };
                let document = params.text_document;
                let opened = Document::new(document.uri.as_str(), document.text, document.version);
                self.documents
                    .insert(document.uri.as_str().to_string(), opened);
                self.publish(&document.uri);
            }
            DidChangeTextDocument::METHOD => {
                let mut changed = Vec::new();
                self.change(notification, &mut changed);
                // Edits typed faster than they are checked queue up: apply
                // every change already waiting, in order (each is relative
                // to the text before it), then check each document once, at
                // its last version, so that requests behind the burst wait
                // for one check rather than one per change.
                loop {
                    match self.connection.receiver.try_recv() {
                        Ok(Message::Notification(next))
                            if next.method == DidChangeTextDocument::METHOD =>
                        {
                            self.change(next, &mut changed);
                        }
                        Ok(other) => {
                            self.held = Some(other);
                            break;
                        }
                        Err(_) => break,
                    }
                }
                for uri in &changed {
                    self.publish(uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(params) = notification
                    .extract::<DidCloseTextDocumentParams>(DidCloseTextDocument::METHOD)
                else {
                    return;
                };
                self.documents.remove(params.text_document.uri.as_str());
                // Diagnostics of a closed file would linger in the editor.
                self.send_diagnostics(params.text_document.uri, Vec::new(), None);
            }
            // Other notifications (`initialized`, `$/cancelRequest`, saves)
            // need nothing: requests are answered in order, at once.
            _ => {}
        }
    }

    /// Applies one `didChange` to its document, and notes the document in
    /// `changed` (once) for the check that follows.
    fn change(&mut self, notification: Notification, changed: &mut Vec<Uri>) {
        let Ok(params) =
            notification.extract::<DidChangeTextDocumentParams>(DidChangeTextDocument::METHOD)
        else {
            return;
        };
        let uri = params.text_document.uri;
        let Some(document) = self.documents.get_mut(uri.as_str()) else {
            return;
        };
        document.apply(params.content_changes, params.text_document.version);
        if !changed.iter().any(|seen| seen.as_str() == uri.as_str()) {
            changed.push(uri);
        }
    }

    /// Checks a document as `bumplox check` would and publishes what it found.
    fn publish(&self, uri: &Uri) {
        let Some(document) = self.documents.get(uri.as_str()) else {
            return;
        };
        let found = (self.check)(&document.file);
        let published = diagnostics::to_lsp(document, uri, &found);
        self.send_diagnostics(uri.clone(), published, Some(document.version));
    }

    fn send_diagnostics(
        &self,
        uri: Uri,
        diagnostics: Vec<lsp_types::Diagnostic>,
        version: Option<i32>,
    ) {
        let params = PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        };
        self.send(Message::Notification(Notification::new(
            PublishDiagnostics::METHOD.to_string(),
            params,
        )));
    }
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    match (
        payload.downcast_ref::<&str>(),
        payload.downcast_ref::<String>(),
    ) {
        (Some(text), _) => text.to_string(),
        (_, Some(text)) => text.clone(),
        _ => "unknown panic".to_string(),
    }
}
