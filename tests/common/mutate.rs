//! A seeded generator of broken Lox programs: valid programs with tokens
//! deleted, duplicated, inserted or replaced, or cut short, for the
//! differential test against the book's implementation (`tests/mutants.rs`).

use bumplox_lexer::{tokenize, TokenKind};

/// SplitMix64, kept here rather than borrowed from `bumplox_corpus` (whose
/// generator is private to it), so that a seed names the same mutant on every
/// machine and whatever the corpus generator becomes.
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Rng {
        let mut rng = Rng {
            state: seed ^ 0xB7E1_5162_8AED_2A6A,
        };
        rng.next_u64();
        rng
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`; `n` must not be 0.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Tokens a mutation may insert or put in another's place: every kind of
/// token, a few names and literals, and the two lexical errors.
const VOCABULARY: &[&str] = &[
    "(", ")", "{", "}", ",", ".", "-", "+", ";", "/", "*", "!", "!=", "=", "==", ">", ">=", "<",
    "<=", "and", "class", "else", "false", "for", "fun", "if", "nil", "or", "print", "return",
    "super", "this", "true", "var", "while", "a", "b", "x", "init", "1", "2.5", "\"s\"", "@",
    "\"open",
];

/// One token of the program being mutated, with the text (white space and
/// comments) before it.
struct Piece {
    gap: String,
    text: String,
}

/// Applies one to three random mutations to `source`, as `seed` decides.
/// Returns the mutant and a description of what was done to it.
pub fn mutate(source: &str, seed: u64) -> (String, String) {
    let mut rng = Rng::new(seed);
    let mut pieces = Vec::new();
    let mut last_end = 0;
    for token in tokenize(source) {
        let (start, end) = (token.span.start as usize, token.span.end as usize);
        if token.kind == TokenKind::Eof {
            break;
        }
        pieces.push(Piece {
            gap: source[last_end..start].to_string(),
            text: source[start..end].to_string(),
        });
        last_end = end;
    }
    let tail = source[last_end..].to_string();
    let count = match rng.below(100) {
        0..60 => 1,
        60..85 => 2,
        _ => 3,
    };
    let mut log = Vec::new();
    let mut cut = false;
    for _ in 0..count {
        if pieces.is_empty() {
            break;
        }
        let at = rng.below(pieces.len());
        match rng.below(9) {
            0 | 1 => {
                let piece = pieces.remove(at);
                log.push(format!("delete `{}`", piece.text));
                // The gap before the deleted token stays, so lines keep their numbers.
                match pieces.get_mut(at) {
                    Some(next) => next.gap = piece.gap + &next.gap,
                    None => pieces.push(Piece {
                        gap: piece.gap,
                        text: String::new(),
                    }),
                }
            }
            2 | 3 => {
                let text = pieces[at].text.clone();
                log.push(format!("duplicate `{text}`"));
                pieces.insert(
                    at + 1,
                    Piece {
                        gap: " ".to_string(),
                        text,
                    },
                );
            }
            4 | 5 => {
                let text = new_token(&mut rng, &pieces);
                log.push(format!("insert `{text}`"));
                pieces.insert(
                    at,
                    Piece {
                        gap: " ".to_string(),
                        text,
                    },
                );
            }
            6 | 7 => {
                let text = new_token(&mut rng, &pieces);
                log.push(format!("replace `{}` with `{text}`", pieces[at].text));
                pieces[at].text = text;
            }
            _ => cut = true,
        }
    }
    let mut text = String::with_capacity(source.len() + 16);
    for piece in &pieces {
        text.push_str(&piece.gap);
        text.push_str(&piece.text);
    }
    text.push_str(&tail);
    if cut && !text.is_empty() {
        let mut at = rng.below(text.len());
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        text.truncate(at);
        log.push(format!("cut at byte {at}"));
    }
    (text, log.join(", "))
}

/// A token to insert: one from the vocabulary, or one of the program's own
/// (its names, its strings), which makes plausible mistakes.
fn new_token(rng: &mut Rng, pieces: &[Piece]) -> String {
    if rng.chance(40) {
        return pieces[rng.below(pieces.len())].text.clone();
    }
    let word = VOCABULARY[rng.below(VOCABULARY.len())];
    // An unterminated string swallows the rest of the file: keep it rare.
    if word == "\"open" && !rng.chance(20) {
        return "nil".to_string();
    }
    word.to_string()
}
