//! The Lox lexer: a `logos` state machine that turns source text into tokens,
//! each a kind plus a `u32` byte span, with no allocation per token.
//!
//! Lexemes are never copied: whoever needs a token's text slices the source with
//! its span. This crate reports lexical errors as error tokens and leaves it to
//! the parser to turn them into diagnostics; it knows nothing of the tree.

mod token;

pub use token::TokenKind;

use token::keyword;

use bumplox_source::Span;
use logos::Logos;

/// One token: what it is and where it is. Twelve bytes, so a file's tokens could
/// be buffered cheaply, though the parser only ever looks one token ahead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub span: Span,
}

const _: () = assert!(std::mem::size_of::<Token>() == 12);

/// Lexes `text` (at most `bumplox_source::MAX_SOURCE_LEN` bytes, so that every
/// offset fits a `u32`), ending with one `Eof` token and then repeating it.
pub struct Lexer<'src> {
    inner: logos::Lexer<'src, TokenKind>,
    len: u32,
}

impl<'src> Lexer<'src> {
    pub fn new(text: &'src str) -> Lexer<'src> {
        Lexer {
            inner: TokenKind::lexer(text),
            len: offset(text.len()),
        }
    }

    /// A lexer that starts at byte `start` of `text`, which must be where a
    /// token (or whitespace, or a comment) starts: the end of an earlier
    /// token. Spans stay offsets into the whole text.
    pub fn starting_at(text: &'src str, start: u32) -> Lexer<'src> {
        let mut lexer = Lexer::new(text);
        lexer.inner.bump((start as usize).min(text.len()));
        lexer
    }

    /// The next token; after the end of the text, `Eof` forever.
    pub fn next_token(&mut self) -> Token {
        self.next::<false>()
    }

    /// The next token or `//` comment (a [`TokenKind::Comment`] token, its
    /// span from the `//` to the end of the line, the line break excluded);
    /// after the end of the text, `Eof` forever. For the formatter, which
    /// keeps comments as trivia beside the tree. Comments are kept only when
    /// asked for this way: [`Lexer::next_token`], which the parser calls, is
    /// the same loop with the comment arm compiled out.
    pub fn next_token_or_comment(&mut self) -> Token {
        self.next::<true>()
    }

    #[inline(always)]
    fn next<const COMMENTS: bool>(&mut self) -> Token {
        let kind = loop {
            match self.inner.next() {
                None => {
                    return Token {
                        kind: TokenKind::Eof,
                        span: Span::empty_at(self.len),
                    };
                }
                Some(Ok(TokenKind::Whitespace)) => continue,
                Some(Ok(TokenKind::Comment)) => match COMMENTS {
                    true => break TokenKind::Comment,
                    false => continue,
                },
                Some(Ok(TokenKind::Identifier)) => break keyword(self.inner.slice().as_bytes()),
                Some(Ok(kind)) => break kind,
                // Logos yields an error for any character that starts no token.
                // On `&str` input it advances by whole characters, so the span
                // never splits a UTF-8 sequence.
                Some(Err(())) => break TokenKind::UnexpectedCharacter,
            }
        };
        let range = self.inner.span();
        Token {
            kind,
            span: Span::new(offset(range.start), offset(range.end)),
        }
    }
}

fn offset(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// Lexes a whole text into a vector, `Eof` included; for tests and `bumplox tokens`.
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut lexer = Lexer::new(text);
    let mut tokens = Vec::new();
    loop {
        let token = lexer.next_token();
        tokens.push(token);
        if token.kind == TokenKind::Eof {
            return tokens;
        }
    }
}

/// Lexes a whole text into a vector with its `//` comments as
/// [`TokenKind::Comment`] tokens in their places, `Eof` included: the token
/// stream the formatter lays out, trivia and all.
pub fn tokenize_with_comments(text: &str) -> Vec<Token> {
    let mut lexer = Lexer::new(text);
    // About one token for every five bytes of ordinary Lox; a guess that
    // saves most of the vector's regrowth on large files.
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    loop {
        let token = lexer.next_token_or_comment();
        tokens.push(token);
        if token.kind == TokenKind::Eof {
            return tokens;
        }
    }
}

/// The spans of the `//` comments of `text`, in order: the same as the
/// [`TokenKind::Comment`] tokens of [`tokenize_with_comments`], for any text,
/// found without lexing. Only a string or a comment can hold a `"` or a `/`
/// (a character that starts no token is never one of them, and no byte of a
/// multi-byte character is), so it is enough to jump from one to the next:
/// a `"` skips to the closing quote (or the end of an unterminated string),
/// a `//` is a comment to the end of its line, a lone `/` is a division.
/// The formatter keeps comments as trivia this way, beside the tree, at
/// memchr speed and without a second pass of the lexer.
pub fn comment_spans(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut comments = Vec::new();
    let mut at = 0;
    while let Some(found) = memchr::memchr2(b'"', b'/', &bytes[at..]) {
        let start = at + found;
        match (bytes[start], bytes.get(start + 1)) {
            (b'"', _) => match memchr::memchr(b'"', &bytes[start + 1..]) {
                Some(close) => at = start + 1 + close + 1,
                None => break,
            },
            (_, Some(b'/')) => {
                let end =
                    memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |len| start + len);
                comments.push(Span::new(offset(start), offset(end)));
                at = end;
            }
            (_, _) => at = start + 1,
        }
    }
    comments
}

#[cfg(test)]
mod tests {
    use super::{comment_spans, tokenize, tokenize_with_comments, TokenKind};

    /// Renders each token as `kind 'lexeme'`, one per line, for snapshot tests.
    fn render(text: &str) -> String {
        tokenize(text)
            .iter()
            .map(|token| format!("{} {:?}\n", token.kind.name(), &text[token.span.range()]))
            .collect()
    }

    macro_rules! check {
        ($src:expr, @$expect:literal) => {
            insta::assert_snapshot!(render($src), @$expect)
        };
    }

    #[test]
    fn every_kind_is_listed_once() {
        for (index, kind) in TokenKind::ALL.iter().enumerate() {
            assert_eq!(*kind as usize, index, "{kind:?} is out of order in ALL");
        }
    }

    #[test]
    fn operators_take_the_longest_match() {
        check!("(){},.-+;/*! != = == > >= < <= !==", @r#"
        LEFT_PAREN "("
        RIGHT_PAREN ")"
        LEFT_BRACE "{"
        RIGHT_BRACE "}"
        COMMA ","
        DOT "."
        MINUS "-"
        PLUS "+"
        SEMICOLON ";"
        SLASH "/"
        STAR "*"
        BANG "!"
        BANG_EQUAL "!="
        EQUAL "="
        EQUAL_EQUAL "=="
        GREATER ">"
        GREATER_EQUAL ">="
        LESS "<"
        LESS_EQUAL "<="
        BANG_EQUAL "!="
        EQUAL "="
        EOF ""
        "#);
    }

    #[test]
    fn keywords_are_not_identifier_prefixes() {
        check!("and andy class classy _if if9 nil or print return super this true var while else false for fun", @r#"
        AND "and"
        IDENTIFIER "andy"
        CLASS "class"
        IDENTIFIER "classy"
        IDENTIFIER "_if"
        IDENTIFIER "if9"
        NIL "nil"
        OR "or"
        PRINT "print"
        RETURN "return"
        SUPER "super"
        THIS "this"
        TRUE "true"
        VAR "var"
        WHILE "while"
        ELSE "else"
        FALSE "false"
        FOR "for"
        FUN "fun"
        EOF ""
        "#);
    }

    #[test]
    fn numbers_have_no_leading_or_trailing_dot() {
        check!("123 1.5 .5 5. 1.2.3", @r#"
        NUMBER "123"
        NUMBER "1.5"
        DOT "."
        NUMBER "5"
        NUMBER "5"
        DOT "."
        NUMBER "1.2"
        DOT "."
        NUMBER "3"
        EOF ""
        "#);
    }

    #[test]
    fn strings_span_lines_and_may_be_unterminated() {
        check!("\"a\nb\" \"\" \"open\nend", @r#"
        STRING "\"a\nb\""
        STRING "\"\""
        UNTERMINATED_STRING "\"open\nend"
        EOF ""
        "#);
    }

    #[test]
    fn comments_and_whitespace_are_skipped() {
        check!("a // comment \"not a string\"\r\n\tb//", @r#"
        IDENTIFIER "a"
        IDENTIFIER "b"
        EOF ""
        "#);
    }

    #[test]
    fn comments_are_kept_when_asked_for() {
        let text = "a // one \"not a string\"\r\n\"// in a string\" b//";
        let rendered: String = tokenize_with_comments(text)
            .iter()
            .map(|token| format!("{} {:?}\n", token.kind.name(), &text[token.span.range()]))
            .collect();
        insta::assert_snapshot!(rendered, @r#"
        IDENTIFIER "a"
        COMMENT "// one \"not a string\"\r"
        STRING "\"// in a string\""
        IDENTIFIER "b"
        COMMENT "//"
        EOF ""
        "#);
    }

    #[test]
    fn the_comment_scan_finds_what_the_lexer_finds() {
        for text in [
            "",
            "a // one\nb",
            "a / b // c / d\n\"//\" / \"x\" //",
            "\"unterminated // not a comment",
            "\"two\nlines // still a string\" // a comment\r\n",
            "/// three\n////\n/",
            "é/// after a two-byte character\n#/\"\"/",
        ] {
            let lexed: Vec<_> = tokenize_with_comments(text)
                .into_iter()
                .filter(|token| token.kind == TokenKind::Comment)
                .map(|token| token.span)
                .collect();
            assert_eq!(comment_spans(text), lexed, "{text:?}");
        }
    }

    #[test]
    fn unexpected_characters_are_whole_characters() {
        check!("a|é#\u{7}b", @r##"
        IDENTIFIER "a"
        UNEXPECTED_CHARACTER "|"
        UNEXPECTED_CHARACTER "é"
        UNEXPECTED_CHARACTER "#"
        UNEXPECTED_CHARACTER "\u{7}"
        IDENTIFIER "b"
        EOF ""
        "##);
    }

    #[test]
    fn long_runs_of_comments_do_not_grow_the_stack() {
        // Two hundred thousand comment lines once overflowed a debug build's
        // stack; a test thread's 2 MiB is far less than the main thread's 8.
        let text = "// a comment line\n".repeat(200_000) + "x";
        let tokens = std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || tokenize(&text).len())
            .expect("a thread")
            .join()
            .expect("lexing does not overflow");
        assert_eq!(tokens, 2);
    }

    #[test]
    fn error_kinds_carry_the_books_messages() {
        assert_eq!(
            TokenKind::UnterminatedString.error_message(),
            Some("Unterminated string.")
        );
        assert_eq!(
            TokenKind::UnexpectedCharacter.error_message(),
            Some("Unexpected character.")
        );
        assert_eq!(TokenKind::Identifier.error_message(), None);
    }
}
