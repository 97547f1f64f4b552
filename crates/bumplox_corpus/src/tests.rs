//! Unit tests of the generator as a whole: sizes, determinism, sizes parsing
//! and grammar coverage. Checks through the real front-end are in `tests/`.

use crate::{generate, generate_with_coverage, parse_corpus_size, parse_size};

#[test]
fn the_generator_knows_every_choice_point_of_the_grammar() {
    let grammar = crate::ebnf::read(crate::GRAMMAR).unwrap();
    if let Err(error) = crate::generator::Annotated::new(grammar) {
        panic!("{error}");
    }
}

#[test]
fn output_is_exactly_the_size_asked_for() {
    for size in [0, 1, 10, 100, 1000, 1024, 4096, 20_000, 100_000] {
        for seed in [0, 1, 2] {
            assert_eq!(generate(size, seed).len(), size, "size {size}, seed {seed}");
        }
    }
}

#[test]
fn the_same_seed_gives_the_same_text_and_another_seed_another() {
    assert_eq!(generate(30_000, 9), generate(30_000, 9));
    assert_ne!(generate(30_000, 9), generate(30_000, 10));
}

#[test]
fn a_corpus_uses_every_rule_and_every_branch_of_the_grammar() {
    let (_, coverage) = generate_with_coverage(300_000, 1);
    assert_eq!(coverage.missing(), Vec::<String>::new());
}

#[test]
fn sizes_are_read_with_decimal_and_binary_units() {
    assert_eq!(parse_size("10MB"), Ok(10_000_000));
    assert_eq!(parse_size("1.5 mb"), Ok(1_500_000));
    assert_eq!(parse_size("64KiB"), Ok(65_536));
    assert_eq!(parse_size("200kb"), Ok(200_000));
    assert_eq!(parse_size("1000"), Ok(1000));
    assert_eq!(parse_size("2GiB"), Ok(2 << 30));
    assert!(parse_size("10 parsecs").is_err());
    assert!(parse_size("MB").is_err());
    assert!(parse_size("1.2.3MB").is_err());
    assert!(parse_corpus_size("5GB").is_err());
    assert_eq!(parse_size("5GB"), Ok(5_000_000_000));
    assert_eq!(parse_size("4096"), Ok(4096));
    assert_eq!(parse_size("64 kib"), Ok(64 << 10));
    assert!(parse_size("ten").is_err());
    assert!(parse_size("5XB").is_err());
    assert!(parse_size("99999999999999999999GB").is_err());
    assert_eq!(
        parse_size("-1"),
        Err("a size cannot be negative: '-1'".to_string())
    );
    assert_eq!(
        parse_size(" -2MB"),
        Err("a size cannot be negative: ' -2MB'".to_string())
    );
}

/// The bytes of comment lines and empty lines that end `text`.
fn trailing_comments(text: &str) -> usize {
    let code_end = text
        .trim_end_matches('\n')
        .lines()
        .rev()
        .take_while(|line| line.starts_with("//") || line.is_empty())
        .map(|line| line.len() + 1)
        .sum::<usize>();
    code_end + (text.len() - text.trim_end_matches('\n').len())
}

#[test]
fn code_fills_the_file_and_comments_only_pad_the_last_bytes() {
    for (size, seed) in [(100_000, 1), (300_000, 2), (1_000_000, 3), (3_000_000, 4)] {
        let text = generate(size, seed);
        let padding = trailing_comments(&text);
        assert!(
            padding * 100 < size * 3,
            "size {size}, seed {seed}: {padding} bytes of padding"
        );
    }
}
