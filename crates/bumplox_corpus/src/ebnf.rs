//! A reader for the notation of `grammar/lox.ebnf`, turning its rules into a
//! tree of choice points that the generator walks.

/// The index of a node in [`Grammar::nodes`].
pub(crate) type NodeId = usize;
/// The index of a rule in [`Grammar::rules`].
pub(crate) type RuleId = usize;

/// One item of a rule's right side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Node {
    /// Text in double quotes.
    Terminal(String),
    /// A use of another rule.
    Rule(RuleId),
    /// Items one after another.
    Seq(Vec<NodeId>),
    /// `a | b | …`.
    Alt(Vec<NodeId>),
    /// `[ x ]`.
    Opt(NodeId),
    /// `{ x }`.
    Rep(NodeId),
    /// `"a" ... "z"`: one character of an inclusive range.
    Range(char, char),
    /// `? words ?`: characters described in words.
    Special(String),
}

#[derive(Clone, Debug)]
pub(crate) struct Rule {
    pub(crate) name: String,
    pub(crate) body: NodeId,
}

impl Rule {
    /// Upper-case rules form the lexical grammar, which works on characters.
    pub(crate) fn is_lexical(&self) -> bool {
        self.name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '_')
    }
}

/// A whole grammar: its rules in file order, the first being the start rule.
#[derive(Clone, Debug)]
pub(crate) struct Grammar {
    pub(crate) nodes: Vec<Node>,
    pub(crate) rules: Vec<Rule>,
}

impl Grammar {
    pub(crate) fn rule_named(&self, name: &str) -> Option<RuleId> {
        self.rules.iter().position(|rule| rule.name == name)
    }

    /// The rule that contains each node, for reports.
    pub(crate) fn owners(&self) -> Vec<RuleId> {
        let mut owners = vec![0; self.nodes.len()];
        for (rule_id, rule) in self.rules.iter().enumerate() {
            let mut stack = vec![rule.body];
            while let Some(node) = stack.pop() {
                owners[node] = rule_id;
                stack.extend(self.children(node));
            }
        }
        owners
    }

    /// The nodes directly inside `node` (rule uses are not followed).
    pub(crate) fn children(&self, node: NodeId) -> Vec<NodeId> {
        match &self.nodes[node] {
            Node::Seq(items) | Node::Alt(items) => items.clone(),
            Node::Opt(inner) | Node::Rep(inner) => vec![*inner],
            Node::Terminal(_) | Node::Rule(_) | Node::Range(..) | Node::Special(_) => Vec::new(),
        }
    }

    /// A short name for a branch of an alternative: its first terminal or the
    /// rule it starts with, looking inside groups and optional parts.
    pub(crate) fn label(&self, node: NodeId) -> String {
        match &self.nodes[node] {
            Node::Terminal(text) => text.clone(),
            Node::Rule(rule) => self.rules[*rule].name.clone(),
            Node::Seq(items) | Node::Alt(items) => match items.first() {
                Some(&first) => self.label(first),
                None => String::new(),
            },
            Node::Opt(inner) | Node::Rep(inner) => self.label(*inner),
            Node::Range(low, _) => low.to_string(),
            Node::Special(text) => text.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Token {
    Name(String),
    Terminal(String),
    Special(String),
    Punct(char),
    Ellipsis,
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '(' if chars.peek().map(|&(_, next)| next) == Some('*') => {
                let mut previous = ' ';
                let mut closed = false;
                for (_, next) in chars.by_ref() {
                    if previous == '*' && next == ')' {
                        closed = true;
                        break;
                    }
                    previous = next;
                }
                if !closed {
                    return Err(format!("comment at byte {at} is not closed"));
                }
            }
            '"' | '?' => {
                let mut body = String::new();
                let mut closed = false;
                for (_, next) in chars.by_ref() {
                    if next == c {
                        closed = true;
                        break;
                    }
                    body.push(next);
                }
                if !closed {
                    return Err(format!("{c} at byte {at} is not closed"));
                }
                tokens.push(match c {
                    '"' => Token::Terminal(body),
                    _ => Token::Special(body.trim().to_string()),
                });
            }
            '.' => {
                for _ in 0..2 {
                    match chars.next() {
                        Some((_, '.')) => {}
                        _ => return Err(format!("a lone '.' at byte {at}")),
                    }
                }
                tokens.push(Token::Ellipsis);
            }
            '=' | ';' | '|' | '[' | ']' | '{' | '}' | '(' | ')' => tokens.push(Token::Punct(c)),
            c if c.is_ascii_alphabetic() || c == '_' => {
                let mut name = c.to_string();
                while let Some(&(_, next)) = chars.peek() {
                    if !(next.is_ascii_alphanumeric() || next == '_') {
                        break;
                    }
                    name.push(next);
                    chars.next();
                }
                tokens.push(Token::Name(name));
            }
            other => return Err(format!("unexpected {other:?} at byte {at}")),
        }
    }
    Ok(tokens)
}

struct Reader {
    tokens: Vec<Token>,
    at: usize,
    nodes: Vec<Node>,
    /// Rule names as used, resolved to ids once every rule is read.
    uses: Vec<(NodeId, String)>,
}

impl Reader {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn expect(&mut self, punct: char) -> Result<(), String> {
        match self.next() {
            Some(Token::Punct(found)) if found == punct => Ok(()),
            other => Err(format!("expected '{punct}', found {other:?}")),
        }
    }

    fn add(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn alternatives(&mut self) -> Result<NodeId, String> {
        let mut branches = vec![self.sequence()?];
        while self.peek() == Some(&Token::Punct('|')) {
            self.at += 1;
            branches.push(self.sequence()?);
        }
        Ok(match branches.len() {
            1 => branches[0],
            _ => self.add(Node::Alt(branches)),
        })
    }

    fn sequence(&mut self) -> Result<NodeId, String> {
        let mut items = Vec::new();
        loop {
            let item = match self.peek() {
                Some(Token::Terminal(_)) => self.terminal_or_range()?,
                Some(Token::Special(text)) => {
                    let text = text.clone();
                    self.at += 1;
                    self.add(Node::Special(text))
                }
                Some(Token::Name(name)) => {
                    let name = name.clone();
                    self.at += 1;
                    let node = self.add(Node::Rule(RuleId::MAX));
                    self.uses.push((node, name));
                    node
                }
                Some(Token::Punct(open @ ('[' | '{' | '('))) => {
                    let open = *open;
                    self.at += 1;
                    let inner = self.alternatives()?;
                    match open {
                        '[' => {
                            self.expect(']')?;
                            self.add(Node::Opt(inner))
                        }
                        '{' => {
                            self.expect('}')?;
                            self.add(Node::Rep(inner))
                        }
                        _ => {
                            self.expect(')')?;
                            inner
                        }
                    }
                }
                _ => break,
            };
            items.push(item);
        }
        Ok(match items.len() {
            1 => items[0],
            _ => self.add(Node::Seq(items)),
        })
    }

    fn terminal_or_range(&mut self) -> Result<NodeId, String> {
        let Some(Token::Terminal(low)) = self.next() else {
            return Err("expected a terminal".to_string());
        };
        if self.peek() != Some(&Token::Ellipsis) {
            return Ok(self.add(Node::Terminal(low)));
        }
        self.at += 1;
        let high = match self.next() {
            Some(Token::Terminal(high)) => high,
            other => return Err(format!("expected the end of a range, found {other:?}")),
        };
        let mut ends = low.chars().chain(high.chars());
        match (ends.next(), ends.next(), ends.next()) {
            (Some(low), Some(high), None) => Ok(self.add(Node::Range(low, high))),
            _ => Err(format!(
                "a range joins single characters: {low:?} ... {high:?}"
            )),
        }
    }
}

/// Reads a grammar written in the notation that `grammar/lox.ebnf` describes.
pub(crate) fn read(text: &str) -> Result<Grammar, String> {
    let mut reader = Reader {
        tokens: tokenize(text)?,
        at: 0,
        nodes: Vec::new(),
        uses: Vec::new(),
    };
    let mut rules: Vec<Rule> = Vec::new();
    while let Some(token) = reader.next() {
        let Token::Name(name) = token else {
            return Err(format!("a rule must start with its name, found {token:?}"));
        };
        reader.expect('=')?;
        let body = reader.alternatives()?;
        reader.expect(';')?;
        if rules.iter().any(|rule| rule.name == name) {
            return Err(format!("rule {name} is defined twice"));
        }
        rules.push(Rule { name, body });
    }
    for (node, name) in std::mem::take(&mut reader.uses) {
        match rules.iter().position(|rule| rule.name == name) {
            Some(rule) => reader.nodes[node] = Node::Rule(rule),
            None => return Err(format!("rule {name} is used but not defined")),
        }
    }
    Ok(Grammar {
        nodes: reader.nodes,
        rules,
    })
}

#[cfg(test)]
mod tests {
    use super::{read, Node};

    #[test]
    fn reads_every_form_of_the_notation() {
        let grammar = read(
            r#"(* a comment *) start = "a" [ b ] { "," b } | ( b | "c" ) ;
               b = ? anything ? | "0" ... "9" ;"#,
        )
        .unwrap();
        assert_eq!(grammar.rules.len(), 2);
        assert_eq!(grammar.rules[0].name, "start");
        let Node::Alt(branches) = &grammar.nodes[grammar.rules[0].body] else {
            panic!("start is an alternative");
        };
        assert_eq!(grammar.label(branches[0]), "a");
        assert_eq!(grammar.label(branches[1]), "b");
        let Node::Alt(b) = &grammar.nodes[grammar.rules[1].body] else {
            panic!("b is an alternative");
        };
        assert_eq!(grammar.nodes[b[1]], Node::Range('0', '9'));
    }

    #[test]
    fn reports_undefined_rules_and_bad_notation() {
        assert_eq!(
            read("a = b ;").unwrap_err(),
            "rule b is used but not defined"
        );
        assert!(read("a = \"x ;").is_err());
        assert!(read("a = \"x\"").is_err());
    }

    #[test]
    fn reads_the_lox_grammar() {
        let grammar = read(crate::GRAMMAR).unwrap();
        assert_eq!(grammar.rules[0].name, "program");
        assert!(grammar.rule_named("primary").is_some());
        assert!(grammar.rules.iter().any(|rule| rule.is_lexical()));
    }
}
