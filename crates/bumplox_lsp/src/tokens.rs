//! Semantic tokens: every token the lexer finds and every comment between
//! them, names classified by what they were declared as.

use std::collections::HashMap;

use bumplox_lexer::{Token, TokenKind};
use bumplox_resolver::{DeclarationKind, Names};
use bumplox_source::Span;
use lsp_types::{SemanticToken, SemanticTokenModifier, SemanticTokenType, SemanticTokensLegend};

use crate::document::Document;

/// The token types, in the order their indexes in [`legend`] give them.
const TYPES: [SemanticTokenType; 11] = [
    SemanticTokenType::KEYWORD,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::COMMENT,
    SemanticTokenType::OPERATOR,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::CLASS,
    SemanticTokenType::METHOD,
    SemanticTokenType::PROPERTY,
];
const KEYWORD: u32 = 0;
const STRING: u32 = 1;
const NUMBER: u32 = 2;
const COMMENT: u32 = 3;
const OPERATOR: u32 = 4;
const VARIABLE: u32 = 5;
const PROPERTY: u32 = 10;

/// The one modifier: the name at its declaration.
const DECLARATION: u32 = 1;

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TYPES.to_vec(),
        token_modifiers: vec![SemanticTokenModifier::DECLARATION],
    }
}

fn kind_type(kind: DeclarationKind) -> u32 {
    match kind {
        DeclarationKind::Variable => VARIABLE,
        DeclarationKind::Parameter => 6,
        DeclarationKind::Function => 7,
        DeclarationKind::Class => 8,
        DeclarationKind::Method => 9,
        DeclarationKind::Field => PROPERTY,
    }
}

/// Whether a token kind is one of Lox's keywords.
pub fn is_keyword(kind: TokenKind) -> bool {
    token_type(kind) == Some(KEYWORD)
}

/// The token type of a token the lexer found, `None` for punctuation.
fn token_type(kind: TokenKind) -> Option<u32> {
    match kind {
        TokenKind::And
        | TokenKind::Class
        | TokenKind::Else
        | TokenKind::False
        | TokenKind::For
        | TokenKind::Fun
        | TokenKind::If
        | TokenKind::Nil
        | TokenKind::Or
        | TokenKind::Print
        | TokenKind::Return
        | TokenKind::Super
        | TokenKind::This
        | TokenKind::True
        | TokenKind::Var
        | TokenKind::While => Some(KEYWORD),
        TokenKind::String | TokenKind::UnterminatedString => Some(STRING),
        TokenKind::Number => Some(NUMBER),
        TokenKind::Minus
        | TokenKind::Plus
        | TokenKind::Slash
        | TokenKind::Star
        | TokenKind::Bang
        | TokenKind::BangEqual
        | TokenKind::Equal
        | TokenKind::EqualEqual
        | TokenKind::Greater
        | TokenKind::GreaterEqual
        | TokenKind::Less
        | TokenKind::LessEqual => Some(OPERATOR),
        TokenKind::Identifier => Some(VARIABLE),
        TokenKind::LeftParen
        | TokenKind::RightParen
        | TokenKind::LeftBrace
        | TokenKind::RightBrace
        | TokenKind::Comma
        | TokenKind::Dot
        | TokenKind::Semicolon
        | TokenKind::UnexpectedCharacter
        | TokenKind::Eof
        | TokenKind::Whitespace
        | TokenKind::Comment => None,
    }
}

/// The document's semantic tokens, relative-encoded as the protocol wants.
pub fn semantic_tokens(document: &Document, names: &Names) -> Vec<SemanticToken> {
    let mut classified: HashMap<u32, (u32, u32)> = HashMap::new();
    for declaration in &names.declarations {
        classified.insert(
            declaration.name.start,
            (kind_type(declaration.kind), DECLARATION),
        );
    }
    for use_ in &names.uses {
        let kind = use_
            .declaration
            .and_then(|index| names.declaration(index))
            .map(|declaration| kind_type(declaration.kind));
        let unknown = match use_.binding {
            bumplox_resolver::Binding::Unresolved => PROPERTY,
            bumplox_resolver::Binding::Global
            | bumplox_resolver::Binding::Local(_)
            | bumplox_resolver::Binding::Upvalue(_) => VARIABLE,
        };
        classified
            .entry(use_.span.start)
            .or_insert((kind.unwrap_or(unknown), 0));
    }
    let text = document.text();
    let mut spans: Vec<(Span, u32, u32)> = Vec::new();
    let mut previous_end = 0;
    for token in bumplox_lexer::tokenize(text) {
        comments(text, Span::new(previous_end, token.span.start), &mut spans);
        previous_end = token.span.end;
        let Token { kind, span } = token;
        let Some(mut token_type) = token_type(kind) else {
            continue;
        };
        let mut modifiers = 0;
        if kind == TokenKind::Identifier {
            // A name after `.` that the resolver does not know is a property.
            let after_dot = text[..span.start as usize].trim_end().ends_with('.');
            let (found, found_modifiers) =
                classified
                    .get(&span.start)
                    .copied()
                    .unwrap_or(match after_dot {
                        true => (PROPERTY, 0),
                        false => (VARIABLE, 0),
                    });
            token_type = found;
            modifiers = found_modifiers;
        }
        spans.push((span, token_type, modifiers));
    }
    encode(document, &spans)
}

/// The comments in a stretch between two tokens, which holds only white
/// space and comments.
fn comments(text: &str, gap: Span, out: &mut Vec<(Span, u32, u32)>) {
    let Some(stretch) = text.get(gap.range()) else {
        return;
    };
    let mut from = 0;
    while let Some(start) = stretch[from..].find("//") {
        let start = from + start;
        let end = stretch[start..]
            .find('\n')
            .map_or(stretch.len(), |newline| start + newline);
        out.push((
            Span::new(gap.start + start as u32, gap.start + end as u32),
            COMMENT,
            0,
        ));
        from = end;
    }
}

/// Relative encoding, one token per line piece: a token over several lines
/// (a string with newlines) is split at each line's end, for the clients
/// that cannot show tokens across lines.
fn encode(document: &Document, spans: &[(Span, u32, u32)]) -> Vec<SemanticToken> {
    let text = document.text();
    let mut tokens = Vec::with_capacity(spans.len());
    let (mut line, mut column) = (0, 0);
    for &(span, token_type, modifiers) in spans {
        let mut start = span.start;
        while start < span.end {
            let end = text[start as usize..span.end as usize]
                .find('\n')
                .map_or(span.end, |newline| start + newline as u32);
            let position = document.position(start);
            let length = text[start as usize..end as usize].encode_utf16().count() as u32;
            if length > 0 {
                let delta_line = position.line - line;
                let delta_start = match delta_line {
                    0 => position.character - column,
                    _ => position.character,
                };
                tokens.push(SemanticToken {
                    delta_line,
                    delta_start,
                    length,
                    token_type,
                    token_modifiers_bitset: modifiers,
                });
                (line, column) = (position.line, position.character);
            }
            start = end + 1;
        }
    }
    tokens
}
