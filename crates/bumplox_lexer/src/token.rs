//! `TokenKind`: every kind of Lox token, with the `logos` patterns that recognise it.

use logos::Logos;

/// The kind of a token. The patterns follow the lexical grammar in
/// `grammar/lox.ebnf`: numbers are `DIGIT+ ("." DIGIT+)?` (no leading or trailing
/// dot), strings have no escapes and may span lines, and `//` comments and white
/// space are skipped.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum TokenKind {
    #[token("(")]
    LeftParen,
    #[token(")")]
    RightParen,
    #[token("{")]
    LeftBrace,
    #[token("}")]
    RightBrace,
    #[token(",")]
    Comma,
    #[token(".")]
    Dot,
    #[token("-")]
    Minus,
    #[token("+")]
    Plus,
    #[token(";")]
    Semicolon,
    #[token("/")]
    Slash,
    #[token("*")]
    Star,
    #[token("!")]
    Bang,
    #[token("!=")]
    BangEqual,
    #[token("=")]
    Equal,
    #[token("==")]
    EqualEqual,
    #[token(">")]
    Greater,
    #[token(">=")]
    GreaterEqual,
    #[token("<")]
    Less,
    #[token("<=")]
    LessEqual,

    /// A name, or a keyword until `keyword` says which: logos sees keywords as
    /// identifiers, and the lexer tells them apart (see `keyword`).
    #[regex("[A-Za-z_][A-Za-z0-9_]*")]
    Identifier,
    // Strings may span lines and have no escapes; the repetition stops at the
    // first closing quote.
    #[regex(r#""[^"]*""#, allow_greedy = true)]
    String,
    #[regex(r"[0-9]+(\.[0-9]+)?")]
    Number,

    // The keywords. Logos lexes them as identifiers; `keyword` picks them out.
    And,
    Class,
    Else,
    False,
    For,
    Fun,
    If,
    Nil,
    Or,
    Print,
    Return,
    Super,
    This,
    True,
    Var,
    While,

    /// A `"` with no closing quote before the end of the file.
    #[regex(r#""[^"]*"#, allow_greedy = true)]
    UnterminatedString,
    /// A character that starts no token; produced by the lexer for logos errors.
    UnexpectedCharacter,
    /// The end of the input; its span is empty.
    Eof,

    /// Spaces, tabs and line breaks. Like [`TokenKind::Comment`], it never
    /// leaves the lexer: `Lexer::next_token` skips it in a loop. Logos could
    /// skip it itself, but its generated code then calls itself once per
    /// skipped stretch, and without optimization (a debug build) two hundred
    /// thousand comment lines in a row overflow the stack.
    #[regex(r"[ \t\r\n]+")]
    Whitespace,
    /// A `//` comment, to the end of its line; skipped like white space,
    /// except by `Lexer::next_token_or_comment` (the formatter's), which
    /// returns it. The greedy repetition is what is wanted: it stops at the
    /// first newline.
    #[regex(r"//[^\n]*", allow_greedy = true)]
    Comment,
}

impl TokenKind {
    /// Every kind, in declaration order, for tests and tables.
    pub const ALL: [TokenKind; 43] = [
        TokenKind::LeftParen,
        TokenKind::RightParen,
        TokenKind::LeftBrace,
        TokenKind::RightBrace,
        TokenKind::Comma,
        TokenKind::Dot,
        TokenKind::Minus,
        TokenKind::Plus,
        TokenKind::Semicolon,
        TokenKind::Slash,
        TokenKind::Star,
        TokenKind::Bang,
        TokenKind::BangEqual,
        TokenKind::Equal,
        TokenKind::EqualEqual,
        TokenKind::Greater,
        TokenKind::GreaterEqual,
        TokenKind::Less,
        TokenKind::LessEqual,
        TokenKind::Identifier,
        TokenKind::String,
        TokenKind::Number,
        TokenKind::And,
        TokenKind::Class,
        TokenKind::Else,
        TokenKind::False,
        TokenKind::For,
        TokenKind::Fun,
        TokenKind::If,
        TokenKind::Nil,
        TokenKind::Or,
        TokenKind::Print,
        TokenKind::Return,
        TokenKind::Super,
        TokenKind::This,
        TokenKind::True,
        TokenKind::Var,
        TokenKind::While,
        TokenKind::UnterminatedString,
        TokenKind::UnexpectedCharacter,
        TokenKind::Eof,
        TokenKind::Whitespace,
        TokenKind::Comment,
    ];

    /// The name `bumplox tokens` prints, in the book's SCREAMING_CASE.
    pub fn name(self) -> &'static str {
        match self {
            TokenKind::LeftParen => "LEFT_PAREN",
            TokenKind::RightParen => "RIGHT_PAREN",
            TokenKind::LeftBrace => "LEFT_BRACE",
            TokenKind::RightBrace => "RIGHT_BRACE",
            TokenKind::Comma => "COMMA",
            TokenKind::Dot => "DOT",
            TokenKind::Minus => "MINUS",
            TokenKind::Plus => "PLUS",
            TokenKind::Semicolon => "SEMICOLON",
            TokenKind::Slash => "SLASH",
            TokenKind::Star => "STAR",
            TokenKind::Bang => "BANG",
            TokenKind::BangEqual => "BANG_EQUAL",
            TokenKind::Equal => "EQUAL",
            TokenKind::EqualEqual => "EQUAL_EQUAL",
            TokenKind::Greater => "GREATER",
            TokenKind::GreaterEqual => "GREATER_EQUAL",
            TokenKind::Less => "LESS",
            TokenKind::LessEqual => "LESS_EQUAL",
            TokenKind::Identifier => "IDENTIFIER",
            TokenKind::String => "STRING",
            TokenKind::Number => "NUMBER",
            TokenKind::And => "AND",
            TokenKind::Class => "CLASS",
            TokenKind::Else => "ELSE",
            TokenKind::False => "FALSE",
            TokenKind::For => "FOR",
            TokenKind::Fun => "FUN",
            TokenKind::If => "IF",
            TokenKind::Nil => "NIL",
            TokenKind::Or => "OR",
            TokenKind::Print => "PRINT",
            TokenKind::Return => "RETURN",
            TokenKind::Super => "SUPER",
            TokenKind::This => "THIS",
            TokenKind::True => "TRUE",
            TokenKind::Var => "VAR",
            TokenKind::While => "WHILE",
            TokenKind::UnterminatedString => "UNTERMINATED_STRING",
            TokenKind::UnexpectedCharacter => "UNEXPECTED_CHARACTER",
            TokenKind::Eof => "EOF",
            TokenKind::Whitespace => "WHITESPACE",
            TokenKind::Comment => "COMMENT",
        }
    }

    /// The message of a lexical error token, in the book's words.
    pub fn error_message(self) -> Option<&'static str> {
        match self {
            TokenKind::UnterminatedString => Some("Unterminated string."),
            TokenKind::UnexpectedCharacter => Some("Unexpected character."),
            _ => None,
        }
    }
}

/// The keyword spelled `word`, or `Identifier`. Letting logos match the sixteen
/// keywords itself folds them into its state machine, which then walks most
/// identifiers one byte and one jump-table dispatch at a time through keyword
/// prefixes (`c`, `cl`, `cla`, …); lexing every name with one simple loop and
/// then sorting out the few keywords with one `match` made lexing the 100 MB
/// generated corpus about 10% faster (medians: 340 ms before, 308 ms after).
pub(crate) fn keyword(word: &[u8]) -> TokenKind {
    match word {
        b"and" => TokenKind::And,
        b"class" => TokenKind::Class,
        b"else" => TokenKind::Else,
        b"false" => TokenKind::False,
        b"for" => TokenKind::For,
        b"fun" => TokenKind::Fun,
        b"if" => TokenKind::If,
        b"nil" => TokenKind::Nil,
        b"or" => TokenKind::Or,
        b"print" => TokenKind::Print,
        b"return" => TokenKind::Return,
        b"super" => TokenKind::Super,
        b"this" => TokenKind::This,
        b"true" => TokenKind::True,
        b"var" => TokenKind::Var,
        b"while" => TokenKind::While,
        _ => TokenKind::Identifier,
    }
}
