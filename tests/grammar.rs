//! Keeps `grammar/lox.ebnf` honest: it must be well formed, define every rule it
//! uses, and its terminals must be exactly the tokens the lexer knows.

use std::collections::BTreeSet;

use bumplox_lexer::{tokenize, TokenKind};

/// One rule of the grammar file: its name and the items on its right side.
struct Rule {
    name: String,
    terminals: Vec<String>,
    references: Vec<String>,
}

/// Reads the grammar's notation: `name = … ;`, quoted terminals, `(* *)`
/// comments and `? ?` special sequences.
fn read_grammar(text: &str) -> Vec<Rule> {
    let mut rules = Vec::new();
    let mut chars = text.chars().peekable();
    let mut words: Vec<String> = Vec::new();
    let mut terminals = Vec::new();
    while let Some(c) = chars.next() {
        match c {
            '(' if chars.peek() == Some(&'*') => {
                let mut previous = ' ';
                for next in chars.by_ref() {
                    if previous == '*' && next == ')' {
                        break;
                    }
                    previous = next;
                }
            }
            '"' => terminals.push(chars.by_ref().take_while(|&next| next != '"').collect()),
            '?' => {
                chars
                    .by_ref()
                    .take_while(|&next| next != '?')
                    .for_each(drop);
            }
            ';' => {
                assert!(
                    words.len() >= 2 && words[1] == "=",
                    "a rule must start `name =`: {words:?}"
                );
                let name = words[0].clone();
                let references = words[2..]
                    .iter()
                    .filter(|word| *word != "...")
                    .cloned()
                    .collect();
                rules.push(Rule {
                    name,
                    terminals: std::mem::take(&mut terminals),
                    references,
                });
                words.clear();
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut word = c.to_string();
                while let Some(&next) = chars.peek() {
                    if !(next.is_alphanumeric() || next == '_') {
                        break;
                    }
                    word.push(next);
                    chars.next();
                }
                words.push(word);
            }
            '=' => words.push("=".to_string()),
            _ => {}
        }
    }
    assert!(words.is_empty(), "text after the last rule: {words:?}");
    rules
}

fn grammar() -> Vec<Rule> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("grammar/lox.ebnf");
    let text = std::fs::read_to_string(&path).expect("grammar/lox.ebnf is readable");
    read_grammar(&text)
}

#[test]
fn every_rule_used_is_defined_once_and_program_comes_first() {
    let rules = grammar();
    assert_eq!(
        rules.first().map(|rule| rule.name.as_str()),
        Some("program")
    );
    let mut defined = BTreeSet::new();
    for rule in &rules {
        assert!(
            defined.insert(rule.name.clone()),
            "rule {} is defined twice",
            rule.name
        );
    }
    for rule in &rules {
        for reference in &rule.references {
            assert!(
                defined.contains(reference),
                "{} uses undefined rule {reference}",
                rule.name
            );
        }
    }
}

#[test]
fn the_syntactic_terminals_are_exactly_the_lexers_fixed_tokens() {
    let mut kinds = BTreeSet::new();
    for rule in grammar() {
        // Upper-case rules describe characters, not tokens.
        if rule
            .name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_')
        {
            continue;
        }
        for terminal in &rule.terminals {
            let tokens = tokenize(terminal);
            assert_eq!(
                tokens.len(),
                2,
                "{terminal:?} in {} is not one token",
                rule.name
            );
            let kind = tokens[0].kind;
            assert!(
                kind.error_message().is_none(),
                "{terminal:?} in {} does not lex",
                rule.name
            );
            assert_ne!(
                kind,
                TokenKind::Identifier,
                "{terminal:?} in {} is not a keyword",
                rule.name
            );
            kinds.insert(kind.name());
        }
    }
    let fixed: BTreeSet<&str> = TokenKind::ALL
        .iter()
        .filter(|kind| {
            !matches!(
                kind,
                TokenKind::Identifier
                    | TokenKind::String
                    | TokenKind::Number
                    | TokenKind::UnterminatedString
                    | TokenKind::UnexpectedCharacter
                    | TokenKind::Eof
                    | TokenKind::Whitespace
                    | TokenKind::Comment
            )
        })
        .map(|kind| kind.name())
        .collect();
    assert_eq!(kinds, fixed);
}
