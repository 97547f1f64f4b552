//! `bumplox tokens FILE`: one token a line, as `line KIND 'lexeme'`.

use std::io::Write;

use bumplox_lexer::{Lexer, TokenKind};
use bumplox_source::SourceFile;

use crate::exit;

pub fn run(file: &SourceFile) -> i32 {
    let mut out = std::io::BufWriter::new(crate::stdio::stdout());
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
        // The writer ends the process on a failed write (see `stdio::stdout`);
        // an error still reaching here is one the buffer made of its own.
        if let Err(error) = written {
            crate::stdio::fail(crate::stdio::Stream::Stdout, &error);
        }
        if token.kind == TokenKind::Eof {
            break;
        }
    }
    if let Err(error) = out.flush() {
        crate::stdio::fail(crate::stdio::Stream::Stdout, &error);
    }
    match had_error {
        true => exit::COMPILE_ERROR,
        false => exit::SUCCESS,
    }
}
