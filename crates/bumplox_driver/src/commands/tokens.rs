//! `bumplox tokens FILE`: one token a line, as `line KIND 'lexeme'`.

use std::io::Write;

use bumplox_lexer::{Lexer, TokenKind};
use bumplox_source::SourceFile;

use crate::exit;

pub fn run(file: &SourceFile) -> i32 {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut lexer = Lexer::new(file.text());
    let mut had_error = false;
    loop {
        let token = lexer.next_token();
        let line = file.line_of(token.span.start);
        let lexeme = file.slice(token.span);
        let written = match token.kind.error_message() {
            Some(message) => {
                had_error = true;
                writeln!(out, "{line} ERROR {message} {lexeme:?}")
            }
            None => writeln!(out, "{line} {} {lexeme:?}", token.kind.name()),
        };
        // A closed pipe (`bumplox tokens f | head`) is not an error worth reporting.
        if written.is_err() || token.kind == TokenKind::Eof {
            break;
        }
    }
    let _ = out.flush();
    match had_error {
        true => exit::COMPILE_ERROR,
        false => exit::SUCCESS,
    }
}
