//! The stages, run once each under one strategy, timed with `Instant`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bumplox_alloc_stats::Counter;
use bumplox_lexer::{Lexer, TokenKind};
use bumplox_parser::Parse;
use bumplox_source::SourceFile;
use bumplox_tree::{
    with_builder, Alloc, Builder, BumpBuilder, Strategy as TreeStrategy, WithBuilder,
};

use crate::count::count_nodes;
use crate::report::Accounting;

/// How the tree is allocated, and what a long-running compiler would do with
/// the arena between two files.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Strategy {
    /// One `bumpalo::Bump` kept across files and `reset()` after each, as a
    /// language server or `check` over many files on a thread pool would. It
    /// keeps its high-water capacity in one chunk (see `keep_capacity`), so
    /// steady state allocates nothing and touches no new pages.
    Bump,
    /// A new arena of one of the tree's strategies per file, dropped with the
    /// tree: what `bumplox` does for a single file. Arena creation and growth
    /// are timed; `box` frees every node (iteratively) when the tree is dropped.
    /// Fresh `bump` is called `bump-fresh`.
    Fresh(TreeStrategy),
}

impl Strategy {
    pub const BUMP_FRESH: Strategy = Strategy::Fresh(TreeStrategy::Bump);
    pub const TYPED: Strategy = Strategy::Fresh(TreeStrategy::Typed);
    pub const BOXED: Strategy = Strategy::Fresh(TreeStrategy::Boxed);

    /// The reused arena, then every strategy of the tree made fresh per file.
    pub const ALL: [Strategy; 1 + TreeStrategy::ALL.len()] = {
        let mut all = [Strategy::Bump; 1 + TreeStrategy::ALL.len()];
        let mut index = 0;
        while index < TreeStrategy::ALL.len() {
            all[index + 1] = Strategy::Fresh(TreeStrategy::ALL[index]);
            index += 1;
        }
        all
    };

    pub fn name(self) -> &'static str {
        match self {
            Strategy::Bump => "bump",
            Strategy::Fresh(TreeStrategy::Bump) => "bump-fresh",
            Strategy::Fresh(strategy) => strategy.name(),
        }
    }

    pub fn from_name(name: &str) -> Option<Strategy> {
        Strategy::ALL
            .into_iter()
            .find(|strategy| strategy.name() == name)
    }
}

/// Work to do on a parsed tree, whatever its strategy (a closure cannot be
/// generic over the strategy, so this trait stands in for one).
pub trait Task {
    type Output;
    fn run<'a, A: Alloc<'a>>(&mut self, parse: &Parse<'a, A>) -> Self::Output;
}

/// Makes `arena` (just reset) hold at least `high_water` bytes in one chunk,
/// untimed. `reset` keeps only the arena's newest chunk and returns the others
/// to the allocator, so an arena reused for files of the same size would map,
/// and fault in, the same pages again on every file; a long-running compiler
/// keeps its arena at its high-water mark instead, which is what `bump`
/// stands for. Replacing the arena once is enough: later resets keep the one
/// big chunk. `bump-fresh` shows the cost of a new arena each time.
fn keep_capacity(arena: &mut bumpalo::Bump, high_water: usize) {
    if arena.allocated_bytes() < high_water {
        *arena = bumpalo::Bump::with_capacity(high_water);
    }
}

/// What [`session`] measured around a task.
pub struct Timed<T> {
    pub output: T,
    /// Lexing and parsing, with the arena's creation for the strategies that
    /// make one per file.
    pub parse: Duration,
    /// Freeing the tree: `reset()` for `bump`, dropping the arena for
    /// `bump-fresh` and `typed`, freeing every node for `box`.
    pub drop: Duration,
}

/// Parses `text` under `strategy`, runs `task` on the tree (untimed), then
/// frees the tree. `reusable` is the arena `bump` resets; it must be empty.
pub fn session<T: Task>(
    strategy: Strategy,
    reusable: &mut bumpalo::Bump,
    text: &str,
    task: &mut T,
) -> Timed<T::Output> {
    match strategy {
        Strategy::Bump => {
            let start = Instant::now();
            let builder = BumpBuilder::new(reusable);
            let parse = bumplox_parser::parse(text, &builder);
            let parse_time = start.elapsed();
            let output = task.run(&parse);
            let start = Instant::now();
            drop(parse);
            let high_water = reusable.allocated_bytes();
            reusable.reset();
            let drop_time = start.elapsed();
            keep_capacity(reusable, high_water);
            Timed {
                output,
                parse: parse_time,
                drop: drop_time,
            }
        }
        Strategy::Fresh(strategy) => {
            let start = Instant::now();
            let (output, parse_time, drop_start) =
                with_builder(strategy, None, Fresh { text, task, start });
            Timed {
                output,
                parse: parse_time,
                drop: drop_start.elapsed(),
            }
        }
    }
}

/// One session with an arena made for it: parsing timed from `start` (before
/// the arena was made), dropping from the instant returned until the arena is
/// gone.
struct Fresh<'x, 'm, T> {
    text: &'x str,
    task: &'m mut T,
    start: Instant,
}

impl<'x, T: Task> WithBuilder<'x> for Fresh<'x, '_, T> {
    type Output = (T::Output, Duration, Instant);

    fn run<'a, A: Alloc<'a>, B: Builder<'a, A>>(self, builder: &B) -> Self::Output
    where
        'x: 'a,
    {
        let parse = bumplox_parser::parse(self.text, builder);
        let parse_time = self.start.elapsed();
        let output = self.task.run(&parse);
        let drop_start = Instant::now();
        drop(parse);
        (output, parse_time, drop_start)
    }
}

/// One run of every stage after parsing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Measured {
    pub parse: Duration,
    pub drop: Duration,
    pub resolve: Duration,
    /// Zero when the file had errors and was not compiled.
    pub codegen: Duration,
}

/// Resolves and compiles the tree, timing each; their results are freed
/// outside the timings.
struct Stages<'f> {
    file: &'f SourceFile,
}

impl Task for Stages<'_> {
    type Output = (Duration, Duration);

    fn run<'a, A: Alloc<'a>>(&mut self, parse: &Parse<'a, A>) -> (Duration, Duration) {
        let start = Instant::now();
        let (resolution, diagnostics) =
            bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
        let resolve = start.elapsed();
        if parse.has_errors() || diagnostics.iter().any(|d| d.is_error()) {
            return (resolve, Duration::ZERO);
        }
        let start = Instant::now();
        let script = bumplox_codegen::compile(&parse.program, &resolution, self.file);
        let codegen = start.elapsed();
        drop(black_box(script));
        (resolve, codegen)
    }
}

/// Runs every stage once on `file` under `strategy`, each timed on its own.
pub fn measure(strategy: Strategy, reusable: &mut bumpalo::Bump, file: &SourceFile) -> Measured {
    let timed = session(strategy, reusable, file.text(), &mut Stages { file });
    let (resolve, codegen) = timed.output;
    Measured {
        parse: timed.parse,
        drop: timed.drop,
        resolve,
        codegen,
    }
}

/// Resolves and compiles: the rest of what `bumplox check` does to one file,
/// which generates code (and throws it away) so that it finds every error
/// `run` would.
struct ResolveAndCompile<'f> {
    file: &'f SourceFile,
}

impl Task for ResolveAndCompile<'_> {
    type Output = ();

    fn run<'a, A: Alloc<'a>>(&mut self, parse: &Parse<'a, A>) {
        let (resolution, diagnostics) =
            bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
        if !parse.has_errors() && !diagnostics.iter().any(|d| d.is_error()) {
            let script = bumplox_codegen::compile(&parse.program, &resolution, self.file);
            drop(black_box(script));
        }
        drop(black_box((resolution, diagnostics)));
    }
}

/// Times what `bumplox check` does to a file already in memory, in one piece:
/// lex, parse, resolve, generate code, free everything.
pub fn check(strategy: Strategy, reusable: &mut bumpalo::Bump, file: &SourceFile) -> Duration {
    let start = Instant::now();
    session(
        strategy,
        reusable,
        file.text(),
        &mut ResolveAndCompile { file },
    );
    start.elapsed()
}

/// Lexes `text` to the end; returns the time and the number of tokens.
pub fn lex(text: &str) -> (Duration, u64) {
    let start = Instant::now();
    let mut lexer = Lexer::new(text);
    let mut tokens = 0u64;
    loop {
        let token = black_box(lexer.next_token());
        if token.kind == TokenKind::Eof {
            break;
        }
        tokens += 1;
    }
    (start.elapsed(), tokens)
}

/// Counts the nodes of the tree, and stops the allocation counter first, so
/// that the counts cover the parse alone.
struct Account<'c> {
    counter: &'c dyn Counter,
}

impl Task for Account<'_> {
    type Output = Accounting;

    fn run<'a, A: Alloc<'a>>(&mut self, parse: &Parse<'a, A>) -> Accounting {
        let snapshot = self.counter.stop();
        let count = count_nodes(&parse.program);
        Accounting {
            nodes: count.nodes,
            lists: count.lists,
            calls: snapshot.calls,
            bytes: snapshot.bytes,
            peak: snapshot.peak,
            rss: 0,
        }
    }
}

/// Parses `file` once under `strategy` with allocation counting on, and
/// returns the counts of the parse (arena creation included). Run it first in
/// a process, so that `bump`'s reusable arena is as new as `bump-fresh`'s.
pub fn account(
    strategy: Strategy,
    reusable: &mut bumpalo::Bump,
    file: &SourceFile,
    counter: &dyn Counter,
) -> Accounting {
    counter.start();
    session(strategy, reusable, file.text(), &mut Account { counter }).output
}

/// Measures one subject the way `bumplox bench` does, in this order: one
/// counted parse (first, so the reusable arena is new), one untimed warm-up
/// run, then `runs` timed runs of every stage and `runs` timed runs of
/// `check` in one piece. `with_lex` adds `runs` timings of the lexer alone.
/// `progress` is told each finished run and the total.
/// `peak_rss` is asked for the growth of the process's peak resident memory
/// around the counted parse: called with `true` before it (to reset the
/// peak) and `false` after (to read the growth), it returns 0 where the system
/// cannot tell.
pub fn run_subject(
    subject: crate::report::Subject,
    file: &SourceFile,
    runs: usize,
    with_lex: bool,
    counter: &dyn Counter,
    peak_rss: &mut dyn FnMut(bool) -> u64,
    progress: &mut dyn FnMut(usize, usize),
) -> crate::report::Report {
    use crate::report::{Report, Stage};

    let strategy = subject.strategy;
    let mut reusable = bumpalo::Bump::new();
    let mut report = Report::new(subject);
    peak_rss(true);
    let mut accounting = account(strategy, &mut reusable, file, counter);
    accounting.rss = peak_rss(false);
    report.accounting = Some(accounting);
    measure(strategy, &mut reusable, file);
    let total = runs * (2 + usize::from(with_lex));
    let mut done = 0;
    for _ in 0..runs {
        let run = measure(strategy, &mut reusable, file);
        report.add(Stage::Parse, run.parse);
        report.add(Stage::Drop, run.drop);
        report.add(Stage::ParseDrop, run.parse + run.drop);
        report.add(Stage::Resolve, run.resolve);
        report.add(Stage::Codegen, run.codegen);
        done += 1;
        progress(done, total);
    }
    for _ in 0..runs {
        report.add(Stage::Check, check(strategy, &mut reusable, file));
        done += 1;
        progress(done, total);
    }
    if with_lex {
        for _ in 0..runs {
            report.add(Stage::Lex, lex(file.text()).0);
            done += 1;
            progress(done, total);
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::{session, Strategy, Task};
    use bumplox_parser::Parse;
    use bumplox_tree::Alloc;

    struct Nothing;

    impl Task for Nothing {
        type Output = ();
        fn run<'a, A: Alloc<'a>>(&mut self, _: &Parse<'a, A>) {}
    }

    #[test]
    fn a_reused_arena_parses_the_same_file_again_without_growing() {
        // Megabytes of tree: far more than bumpalo's first chunks, so the
        // first parse grows the arena through several of them.
        let text = "var a = (1 + 2) * x.y(3, \"s\", z);\n".repeat(20_000);
        let mut arena = bumpalo::Bump::new();
        session(Strategy::Bump, &mut arena, &text, &mut Nothing);
        let capacity = arena.allocated_bytes();
        assert_eq!(arena.iter_allocated_chunks().count(), 1);
        session(Strategy::Bump, &mut arena, &text, &mut Nothing);
        assert_eq!(arena.allocated_bytes(), capacity);
        assert_eq!(arena.iter_allocated_chunks().count(), 1);
    }
}
