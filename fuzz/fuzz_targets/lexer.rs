//! Fuzzes the lexer on arbitrary bytes: tokens must tile the text in order,
//! on character boundaries, and end with one `Eof`.

#![no_main]

use bumplox_lexer::{tokenize, TokenKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let tokens = tokenize(&text);
    let mut end = 0;
    for (index, token) in tokens.iter().enumerate() {
        let is_last = index == tokens.len() - 1;
        assert_eq!(
            token.kind == TokenKind::Eof,
            is_last,
            "Eof must come once, last"
        );
        assert!(token.span.start >= end && token.span.end >= token.span.start);
        assert!(text.is_char_boundary(token.span.start as usize));
        assert!(text.is_char_boundary(token.span.end as usize));
        assert!(token.span.end as usize <= text.len());
        end = token.span.end;
    }
});
