//! The writer that turns the generator's tokens into text laid out as people
//! write Lox: two-space indentation, one statement a line, `} else {`, spaces
//! around binary operators and none inside parentheses.

/// What the last token was, as far as spacing goes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Previous {
    LineStart,
    /// `(`: no space after it.
    Open,
    /// `.`: no space after it.
    Dot,
    /// A prefix `!` or `-`: no space after it.
    Prefix,
    /// A name, `this`, `super` or `)`: a `(` right after it is a call.
    Callee,
    Other,
}

pub(crate) struct Layout {
    pub(crate) out: String,
    indent: usize,
    previous: Previous,
    /// Parentheses open on this line: a `;` inside them (a `for` header) does
    /// not end the line.
    parens: usize,
    /// A `}` was written and its line not yet ended, so that `else` can follow
    /// it on the same line.
    after_close: bool,
}

impl Layout {
    pub(crate) fn with_capacity(capacity: usize) -> Layout {
        Layout {
            out: String::with_capacity(capacity),
            indent: 0,
            previous: Previous::LineStart,
            parens: 0,
            after_close: false,
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.out.len()
    }

    fn newline(&mut self) {
        self.out.push('\n');
        self.previous = Previous::LineStart;
    }

    fn settle_close(&mut self, next: &str) {
        if !self.after_close {
            return;
        }
        self.after_close = false;
        match next {
            // `} else`: the usual spacing puts the space in.
            "else" => self.previous = Previous::Other,
            _ => self.newline(),
        }
    }

    fn start_line(&mut self) {
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
    }

    /// Writes one token. `prefix` says that a `!` or `-` is the unary operator.
    pub(crate) fn token(&mut self, text: &str, prefix: bool) {
        self.settle_close(text);
        if text == "}" {
            self.indent = self.indent.saturating_sub(1);
            if self.previous != Previous::LineStart {
                self.newline();
            }
            self.start_line();
            self.out.push('}');
            self.after_close = true;
            self.previous = Previous::Other;
            return;
        }
        let space = match (self.previous, text) {
            (Previous::LineStart, _) => {
                self.start_line();
                false
            }
            (Previous::Open | Previous::Dot | Previous::Prefix, _) => false,
            (_, ")" | "," | ";" | ".") => false,
            (Previous::Callee, "(") => false,
            _ => true,
        };
        if space {
            self.out.push(' ');
        }
        self.out.push_str(text);
        self.previous = match text {
            "(" => Previous::Open,
            "." => Previous::Dot,
            "!" | "-" if prefix => Previous::Prefix,
            ")" | "this" | "super" => Previous::Callee,
            _ if text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && !crate::words::is_keyword(text) =>
            {
                Previous::Callee
            }
            _ => Previous::Other,
        };
        match text {
            "(" => self.parens += 1,
            ")" => self.parens = self.parens.saturating_sub(1),
            "{" => {
                self.indent += 1;
                self.newline();
            }
            ";" if self.parens == 0 => self.newline(),
            _ => {}
        }
    }

    /// Writes a comment on a line of its own.
    pub(crate) fn comment(&mut self, text: &str) {
        self.settle_close("");
        if self.previous != Previous::LineStart {
            self.newline();
        }
        self.start_line();
        self.out.push_str("// ");
        self.out.push_str(text);
        self.newline();
    }

    /// Appends a comment to the line just ended, if one was.
    pub(crate) fn trailing_comment(&mut self, text: &str) {
        if self.previous != Previous::LineStart || !self.out.ends_with(";\n") {
            return;
        }
        self.out.pop();
        self.out.push_str(" // ");
        self.out.push_str(text);
        self.newline();
    }

    /// An empty line between declarations, unless one is already there or a
    /// block has just opened.
    pub(crate) fn blank_line(&mut self) {
        self.settle_close("");
        if self.previous != Previous::LineStart
            || self.out.is_empty()
            || self.out.ends_with("\n\n")
            || self.out.ends_with("{\n")
        {
            return;
        }
        self.newline();
    }

    /// Ends the last line and returns the text.
    pub(crate) fn finish(mut self) -> String {
        self.settle_close("");
        if self.previous != Previous::LineStart {
            self.newline();
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::Layout;

    fn lay_out(tokens: &[&str]) -> String {
        let mut layout = Layout::with_capacity(64);
        for token in tokens {
            layout.token(token, *token == "!");
        }
        layout.finish()
    }

    #[test]
    fn blocks_indent_and_else_follows_the_brace() {
        let text = lay_out(&[
            "if", "(", "a", ")", "{", "f", "(", "1", ",", "2", ")", ";", "}", "else", "{", "print",
            "!", "b", ";", "}",
        ]);
        assert_eq!(text, "if (a) {\n  f(1, 2);\n} else {\n  print !b;\n}\n");
    }

    #[test]
    fn a_for_header_stays_on_one_line() {
        let text = lay_out(&[
            "for", "(", "var", "i", "=", "0", ";", "i", "<", "3", ";", ")", "x", ".", "y", ";",
        ]);
        assert_eq!(text, "for (var i = 0; i < 3;) x.y;\n");
    }
}
