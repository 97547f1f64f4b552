//! The words that names, string literals and comments are made of, so that a
//! generated file has the identifier lengths and the look of real code.

use crate::rng::Rng;

/// Nouns for variables, parameters and fields.
pub(crate) const NOUNS: &[&str] = &[
    "count", "total", "index", "value", "node", "left", "right", "result", "name", "item", "items",
    "size", "next", "prev", "key", "data", "buffer", "offset", "width", "height", "sum", "acc",
    "temp", "flag", "point", "start", "end", "step", "limit", "depth", "parent", "child", "entry",
    "score", "price", "amount", "rate", "delta", "speed", "color", "label", "text", "line", "word",
    "token", "scope", "state", "mode", "level", "head", "tail", "list", "map", "cache", "queue",
    "stack", "row", "column", "cell", "grid", "range", "min", "max", "average", "ratio", "weight",
    "balance", "account", "user", "order", "price", "tax", "message", "error", "status", "target",
    "source", "origin", "position", "angle", "radius", "area", "volume", "length", "first", "last",
    "current", "other", "counter", "handler", "callback", "visitor", "builder", "config", "option",
    "input", "output", "record",
];

/// Verbs for functions and methods.
pub(crate) const VERBS: &[&str] = &[
    "get", "set", "make", "build", "compute", "update", "find", "check", "load", "save", "parse",
    "render", "draw", "apply", "visit", "walk", "scan", "read", "write", "add", "remove", "insert",
    "merge", "split", "sort", "count", "sum", "scale", "move", "reset", "start", "stop", "run",
    "step", "emit", "push", "pop", "peek", "format", "convert", "validate", "measure", "collect",
    "filter", "reduce", "combine", "resolve", "handle", "process", "notify", "create",
];

/// Nouns for classes, written capitalized.
pub(crate) const TYPES: &[&str] = &[
    "Point", "Vector", "Node", "Tree", "List", "Stack", "Queue", "Parser", "Lexer", "Token",
    "Shape", "Circle", "Square", "Account", "Order", "Item", "Cart", "User", "Session", "Counter",
    "Timer", "Buffer", "Matrix", "Graph", "Edge", "Vertex", "Cache", "Table", "Record", "Entry",
    "Game", "Player", "Board", "Piece", "Robot", "Sensor", "Engine", "Animal", "Dog", "Cat",
    "Bird", "Logger", "Builder", "Visitor", "Printer", "Reader",
];

/// Words for comments and strings.
pub(crate) const PROSE: &[&str] = &[
    "the", "a", "of", "to", "and", "in", "is", "it", "for", "on", "with", "as", "this", "that",
    "value", "list", "each", "item", "when", "if", "not", "we", "need", "keep", "track", "return",
    "first", "last", "next", "number", "string", "result", "start", "end", "loop", "until", "done",
    "check", "update", "count", "total", "small", "large", "empty", "full", "left", "right", "new",
    "old", "before", "after", "every", "only", "once", "again", "hello", "world", "error",
    "warning", "ready", "waiting", "finished", "name", "score",
];

/// Lox keywords, which a generated name must never spell.
const KEYWORDS: &[&str] = &[
    "and", "class", "else", "false", "for", "fun", "if", "nil", "or", "print", "return", "super",
    "this", "true", "var", "while",
];

/// One of `words`, uniformly.
pub(crate) fn pick(rng: &mut Rng, words: &[&'static str]) -> &'static str {
    words[rng.below(words.len())]
}

pub(crate) fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// Appends `word` with its first letter in upper case.
pub(crate) fn push_capitalized(out: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        out.push(first.to_ascii_uppercase());
        out.push_str(chars.as_str());
    }
}

/// `words` words of prose, separated by spaces.
pub(crate) fn prose(rng: &mut Rng, words: usize, out: &mut String) {
    for index in 0..words {
        if index > 0 {
            out.push(' ');
        }
        out.push_str(pick(rng, PROSE));
    }
}

/// A comment sentence: capitalized, ending with a period.
pub(crate) fn sentence(rng: &mut Rng) -> String {
    let mut words = String::new();
    let count = rng.range(3, 11);
    prose(rng, count, &mut words);
    let mut text = String::with_capacity(words.len() + 1);
    push_capitalized(&mut text, &words);
    text.push('.');
    text
}
