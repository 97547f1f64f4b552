//! One function per request: each reads the documents and answers, or
//! refuses with a [`Refusal`].

use std::collections::HashMap;

use bumplox_lexer::TokenKind;
use bumplox_resolver::{Binding, DeclarationKind, Names};
use lsp_types::{
    DocumentFormattingParams, DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse,
    GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams, Location,
    MarkupContent, MarkupKind, Position, ReferenceParams, RenameParams, SelectionRange,
    SelectionRangeParams, SemanticTokens, SemanticTokensParams, SemanticTokensResult, SymbolKind,
    TextEdit, Uri, WorkspaceEdit,
};

use crate::analysis::{enclosing_spans, Analysis, Symbol};
use crate::document::Document;
use crate::server::{Documents, Refusal};

fn document<'d>(documents: &'d Documents, uri: &Uri) -> Result<&'d Document, Refusal> {
    documents
        .get(uri.as_str())
        .ok_or_else(|| Refusal::invalid(format!("`{}` is not open", uri.as_str())))
}

/// The declaration of the name at `position`, when the resolver knows it.
fn declaration_at(document: &Document, position: Position) -> Option<u32> {
    let offset = document.offset(position);
    document
        .analysis()
        .names
        .at(offset)
        .map(|(declaration, _)| declaration)
}

pub fn definition(
    documents: &Documents,
    params: GotoDefinitionParams,
) -> Result<Option<GotoDefinitionResponse>, Refusal> {
    let at = params.text_document_position_params;
    let document = document(documents, &at.text_document.uri)?;
    let Some(index) = declaration_at(document, at.position) else {
        return Ok(None);
    };
    let names = &document.analysis().names;
    Ok(names.declaration(index).map(|declaration| {
        GotoDefinitionResponse::Scalar(Location::new(
            at.text_document.uri.clone(),
            document.range(declaration.name),
        ))
    }))
}

pub fn references(
    documents: &Documents,
    params: ReferenceParams,
) -> Result<Option<Vec<Location>>, Refusal> {
    let at = params.text_document_position;
    let document = document(documents, &at.text_document.uri)?;
    let Some(index) = declaration_at(document, at.position) else {
        return Ok(None);
    };
    let names = &document.analysis().names;
    let declared = names.declaration(index).map(|declaration| declaration.name);
    let locations = names
        .references(index)
        .into_iter()
        .filter(|span| params.context.include_declaration || Some(*span) != declared)
        .map(|span| Location::new(at.text_document.uri.clone(), document.range(span)))
        .collect();
    Ok(Some(locations))
}

pub fn hover(documents: &Documents, params: HoverParams) -> Result<Option<Hover>, Refusal> {
    let at = params.text_document_position_params;
    let document = document(documents, &at.text_document.uri)?;
    let offset = document.offset(at.position);
    let names = &document.analysis().names;
    let Some(text) = describe(document, names, offset) else {
        return Ok(None);
    };
    Ok(Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: None,
    }))
}

/// What the name at `offset` is, in words: how it is reached and what it was
/// declared as, and where.
pub fn describe(document: &Document, names: &Names, offset: u32) -> Option<String> {
    let (index, span) = match names.at(offset) {
        Some(found) => found,
        None => {
            // A name the resolver bound but no declaration in the file.
            let use_ = names.use_at(offset)?;
            let name = document.file.slice(use_.span);
            return Some(match use_.binding {
                Binding::Unresolved => format!("field `{name}` (never assigned in this class)"),
                Binding::Global | Binding::Local(_) | Binding::Upvalue(_) => {
                    format!("global `{name}` (not declared in this file)")
                }
            });
        }
    };
    let declaration = names.declaration(index)?;
    let name = document.file.slice(span);
    let is_declaration = span == declaration.name;
    let binding = match is_declaration {
        true => declaration.binding,
        false => names
            .use_at(offset)
            .map_or(declaration.binding, |use_| use_.binding),
    };
    let reached = match (declaration.kind, binding) {
        (DeclarationKind::Method | DeclarationKind::Field, _) => String::new(),
        (_, Binding::Global) => "global ".to_string(),
        (_, Binding::Local(slot)) => format!("local (slot {slot}) "),
        (_, Binding::Upvalue(index)) => format!("upvalue (index {index}) "),
        (_, Binding::Unresolved) => String::new(),
    };
    let container = declaration
        .container
        .and_then(|class| names.declaration(class))
        .map(|class| format!(" of class `{}`", document.file.slice(class.name)))
        .unwrap_or_default();
    let place = document.position(declaration.name.start);
    Some(format!(
        "{reached}{kind} `{name}`{container}, declared at line {}, column {}",
        place.line + 1,
        place.character + 1,
        kind = declaration.kind.describe(),
    ))
}

pub fn rename(
    documents: &Documents,
    params: RenameParams,
) -> Result<Option<WorkspaceEdit>, Refusal> {
    let at = params.text_document_position;
    let document = document(documents, &at.text_document.uri)?;
    let new_name = params.new_name;
    check_identifier(&new_name)?;
    let offset = document.offset(at.position);
    let analysis = document.analysis();
    let Some((index, _)) = analysis.names.at(offset) else {
        return Err(Refusal::invalid(
            "there is no name declared in this file here to rename",
        ));
    };
    let spans = analysis.names.references(index);
    let renamed = apply(document.text(), &spans, &new_name);
    refuse_clash(analysis, &Analysis::new(&renamed), &new_name)?;
    let edits = spans
        .iter()
        .map(|span| TextEdit::new(document.range(*span), new_name.clone()))
        .collect();
    Ok(Some(WorkspaceEdit::new(HashMap::from([(
        at.text_document.uri.clone(),
        edits,
    )]))))
}

/// Refuses a new name that is not a Lox identifier, keywords included.
fn check_identifier(name: &str) -> Result<(), Refusal> {
    let tokens = bumplox_lexer::tokenize(name);
    match tokens.as_slice() {
        [only, end]
            if only.kind == TokenKind::Identifier
                && only.span.len() as usize == name.len()
                && end.kind == TokenKind::Eof =>
        {
            Ok(())
        }
        [only, end]
            if only.span.len() as usize == name.len()
                && end.kind == TokenKind::Eof
                && crate::tokens::is_keyword(only.kind) =>
        {
            Err(Refusal::invalid(format!(
                "`{name}` is a keyword of Lox, not a name"
            )))
        }
        _ => Err(Refusal::invalid(format!(
            "`{name}` is not a Lox identifier (a letter or `_`, then letters, digits or `_`)"
        ))),
    }
}

/// The text with every span replaced by `name`.
fn apply(text: &str, spans: &[bumplox_source::Span], name: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for span in spans {
        out.push_str(&text[from..span.start as usize]);
        out.push_str(name);
        from = span.end as usize;
    }
    out.push_str(&text[from..]);
    out
}

/// A rename is safe when the program means the same after it: every use
/// refers to the same declaration as before (in the resolver's order, which
/// names do not change) and no new error appears. A clash, such as a new
/// name declared again in the same scope or one that captures a use of
/// another variable, changes one or the other.
fn refuse_clash(before: &Analysis, after: &Analysis, name: &str) -> Result<(), Refusal> {
    let meaning = |analysis: &Analysis| -> Vec<Option<u32>> {
        analysis
            .names
            .uses
            .iter()
            .map(|use_| use_.declaration)
            .collect()
    };
    let errors = |analysis: &Analysis| -> Vec<String> {
        analysis
            .diagnostics
            .iter()
            .map(|diagnostic| diagnostic.message.clone())
            .collect()
    };
    if before.names.declarations.len() != after.names.declarations.len()
        || meaning(before) != meaning(after)
        || errors(before) != errors(after)
    {
        return Err(Refusal::invalid(format!(
            "renaming to `{name}` would clash with another name: some use would then refer to a different declaration"
        )));
    }
    Ok(())
}

pub fn document_symbols(
    documents: &Documents,
    params: DocumentSymbolParams,
) -> Result<Option<DocumentSymbolResponse>, Refusal> {
    let document = document(documents, &params.text_document.uri)?;
    let symbols = document
        .analysis()
        .symbols
        .iter()
        .map(|symbol| lsp_symbol(document, symbol))
        .collect();
    Ok(Some(DocumentSymbolResponse::Nested(symbols)))
}

#[allow(deprecated)] // `deprecated` is a field every `DocumentSymbol` must name.
fn lsp_symbol(document: &Document, symbol: &Symbol) -> DocumentSymbol {
    let children: Vec<DocumentSymbol> = symbol
        .children
        .iter()
        .map(|child| lsp_symbol(document, child))
        .collect();
    DocumentSymbol {
        name: symbol.name.clone(),
        detail: None,
        kind: match symbol.kind {
            DeclarationKind::Class => SymbolKind::CLASS,
            DeclarationKind::Method => SymbolKind::METHOD,
            DeclarationKind::Function => SymbolKind::FUNCTION,
            DeclarationKind::Variable | DeclarationKind::Parameter => SymbolKind::VARIABLE,
            DeclarationKind::Field => SymbolKind::FIELD,
        },
        tags: None,
        deprecated: None,
        range: document.range(symbol.span),
        selection_range: document.range(symbol.name_span),
        children: match children.is_empty() {
            true => None,
            false => Some(children),
        },
    }
}

pub fn semantic_tokens(
    documents: &Documents,
    params: SemanticTokensParams,
) -> Result<Option<SemanticTokensResult>, Refusal> {
    let document = document(documents, &params.text_document.uri)?;
    let data = crate::tokens::semantic_tokens(document, &document.analysis().names);
    Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
        result_id: None,
        data,
    })))
}

pub fn selection_ranges(
    documents: &Documents,
    params: SelectionRangeParams,
) -> Result<Option<Vec<SelectionRange>>, Refusal> {
    let document = document(documents, &params.text_document.uri)?;
    let ranges = params
        .positions
        .iter()
        .map(|position| {
            let offset = document.offset(*position);
            let whole = SelectionRange {
                range: document.range(bumplox_source::Span::new(0, document.file.len())),
                parent: None,
            };
            enclosing_spans(document.text(), offset)
                .into_iter()
                .fold(whole, |parent, span| {
                    let range = document.range(span);
                    match range == parent.range {
                        true => parent,
                        false => SelectionRange {
                            range,
                            parent: Some(Box::new(parent)),
                        },
                    }
                })
        })
        .collect();
    Ok(Some(ranges))
}

/// Formats the whole document with `bumplox fmt`'s formatter, as one edit
/// (none when it is formatted already). A document with syntax errors is
/// refused and left alone, as `bumplox fmt` leaves such a file: the client
/// shows the refusal, and the diagnostics already say what is wrong.
pub fn formatting(
    documents: &Documents,
    params: DocumentFormattingParams,
) -> Result<Option<Vec<TextEdit>>, Refusal> {
    let document = document(documents, &params.text_document.uri)?;
    let formatted = match bumplox_fmt::format(document.text()) {
        Ok(formatted) => formatted,
        Err(bumplox_fmt::FormatError::Syntax(_)) => {
            return Err(Refusal::invalid(
                "the document has syntax errors; fix them to format it",
            ))
        }
        Err(error) => return Err(Refusal::invalid(error.to_string())),
    };
    if formatted == document.text() {
        return Ok(Some(Vec::new()));
    }
    let whole = bumplox_source::Span::new(0, document.file.len());
    Ok(Some(vec![TextEdit {
        range: document.range(whole),
        new_text: formatted,
    }]))
}
