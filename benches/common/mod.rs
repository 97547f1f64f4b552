//! What the two front-end benchmarks share: the corpora, the timed stages
//! (the formatter too, beside the lexer) and the allocation counts. Each
//! benchmark binary installs its own global allocator (the system's or
//! mimalloc, wrapped in a counter) and calls [`run`].

use std::time::{Duration, Instant};

use bumplox_alloc_stats::Counter;
use bumplox_bench::{account, lex, session, Strategy, Task};
use bumplox_parser::Parse;
use bumplox_source::SourceFile;
use bumplox_tree::Alloc;
use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};

/// The corpus sizes: 1, 10 and 100 MB under `cargo bench`, or those named in
/// `BUMPLOX_BENCH_SIZES` (e.g. `1MB,10MB`). Run as a test (`cargo test
/// --benches`, where criterion runs each benchmark once) only a 256 KB corpus
/// is used, so that tests stay fast.
fn sizes() -> Vec<usize> {
    let benchmarking = std::env::args().any(|arg| arg == "--bench");
    if !benchmarking {
        return vec![256_000];
    }
    match std::env::var("BUMPLOX_BENCH_SIZES") {
        Ok(list) => list
            .split(',')
            .filter_map(|size| bumplox_corpus::parse_corpus_size(size).ok())
            .collect(),
        Err(_) => vec![1_000_000, 10_000_000, 100_000_000],
    }
}

fn label(size: usize) -> String {
    match size {
        size if size >= 1_000_000 => format!("{}MB", size as f64 / 1e6),
        size => format!("{}KB", size as f64 / 1e3),
    }
}

/// Nothing: for timing the parse and the drop that `session` measures.
struct Nothing;

impl Task for Nothing {
    type Output = ();
    fn run<'a, A: Alloc<'a>>(&mut self, _: &Parse<'a, A>) {}
}

/// Times resolving, or resolving (untimed) then code generation.
struct Timed<'f> {
    file: &'f SourceFile,
    codegen: bool,
}

impl Task for Timed<'_> {
    type Output = Duration;

    fn run<'a, A: Alloc<'a>>(&mut self, parse: &Parse<'a, A>) -> Duration {
        let start = std::time::Instant::now();
        let (resolution, _) = bumplox_resolver::resolve(&parse.program, &parse.recovery_spans);
        if !self.codegen {
            let time = start.elapsed();
            drop(std::hint::black_box(resolution));
            return time;
        }
        let start = std::time::Instant::now();
        let script = bumplox_codegen::compile(&parse.program, &resolution, self.file);
        let time = start.elapsed();
        drop(std::hint::black_box(script));
        time
    }
}

/// The time `bumplox_fmt::format` takes on `text`, which must format.
fn format(text: &str) -> Duration {
    let start = Instant::now();
    let formatted = bumplox_fmt::format(text);
    let time = start.elapsed();
    assert!(formatted.is_ok(), "the corpus formats");
    drop(std::hint::black_box(formatted));
    time
}

/// One stage as criterion sees it: runs it `iters` times and returns the
/// time of the stage alone, everything else being done outside the clock.
fn timed(
    stage: &str,
    strategy: Strategy,
    reusable: &mut bumpalo::Bump,
    file: &SourceFile,
    iters: u64,
) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        total += match stage {
            "lex+parse" => session(strategy, reusable, file.text(), &mut Nothing).parse,
            "drop" => session(strategy, reusable, file.text(), &mut Nothing).drop,
            "parse+drop" => {
                let timed = session(strategy, reusable, file.text(), &mut Nothing);
                timed.parse + timed.drop
            }
            "resolve" | "codegen" => {
                let mut task = Timed {
                    file,
                    codegen: stage == "codegen",
                };
                session(strategy, reusable, file.text(), &mut task).output
            }
            _ => bumplox_bench::check(strategy, reusable, file),
        };
    }
    total
}

/// Samples per benchmark: criterion's minimum. A 100 MB parse takes about a
/// second, and ten samples of it already keep `cargo bench` busy for minutes.
const SAMPLES: usize = 10;

/// Roughly how long one benchmark may take, wall clock, when its iterations
/// are short enough to run several per sample.
const WALL_BUDGET: Duration = Duration::from_secs(5);

/// Sets the warm-up and measurement times of the next benchmark in `group`
/// from one pilot iteration: `stage` is the time the stage took, `wall` the
/// time the whole iteration took (parsing, say, before a timed drop).
///
/// Criterion picks how many iterations to run from the *timed* part alone.
/// For a stage that is a sliver of its iteration, such as resetting an arena
/// (about a microsecond) after an untimed parse (about a second), a fixed
/// measurement time of seconds would make it run millions of iterations and
/// never finish. So the times are set to what `k` iterations per sample take,
/// `k` being as many as fit the wall-clock budget, and at least one.
fn pace(group: &mut BenchmarkGroup<'_, WallTime>, stage: Duration, wall: Duration) {
    let per_sample = WALL_BUDGET.as_secs_f64() / SAMPLES as f64;
    let iterations = (per_sample / wall.as_secs_f64().max(1e-9)).floor().max(1.0);
    let stage = stage.max(Duration::from_nanos(1));
    group
        .warm_up_time(stage.mul_f64(iterations))
        .measurement_time(stage.mul_f64(iterations * SAMPLES as f64));
}

/// Benchmarks every stage under each of `strategies` on every corpus size,
/// naming them `STAGE/STRATEGY{suffix}/SIZE`, and prints the allocation
/// counts of one parse under each. `with_lex` adds the lexer alone.
pub fn run(
    criterion: &mut Criterion,
    strategies: &[Strategy],
    suffix: &str,
    with_lex: bool,
    counter: &dyn Counter,
) {
    for size in sizes() {
        let text = bumplox_corpus::generate(size, 1);
        let file = match SourceFile::new("corpus.lox", text) {
            Ok(file) => file,
            Err(error) => panic!("the corpus is not a source file: {error}"),
        };
        let lines = file.line_count();
        for &strategy in strategies {
            let a = account(strategy, &mut bumpalo::Bump::new(), &file, counter);
            println!(
                "{} {}{suffix}: {} nodes, {} lists, {} allocation calls ({:.3} per 1,000 nodes), \
                 {} bytes requested ({:.1} per node), peak {} live bytes",
                label(size),
                strategy.name(),
                a.nodes,
                a.lists,
                a.calls,
                a.calls as f64 * 1000.0 / a.nodes.max(1) as f64,
                a.bytes,
                a.bytes as f64 / a.nodes.max(1) as f64,
                a.peak
            );
        }
        println!("{}: {} bytes, {lines} lines", label(size), file.len());
        let stages: &[&str] = &[
            "lex+parse",
            "drop",
            "parse+drop",
            "resolve",
            "codegen",
            "check",
        ];
        if with_lex {
            let mut group = criterion.benchmark_group("lex");
            group
                .sample_size(SAMPLES)
                .sampling_mode(SamplingMode::Flat)
                .throughput(Throughput::Bytes(file.len() as u64));
            let wall = Instant::now();
            let pilot = lex(file.text()).0;
            pace(&mut group, pilot, wall.elapsed());
            group.bench_function(BenchmarkId::from_parameter(label(size)), |bencher| {
                bencher.iter_custom(|iters| (0..iters).map(|_| lex(file.text()).0).sum())
            });
            group.finish();
            // The formatter (`bumplox fmt`): parse under `bump`, print, free
            // the tree; the output is dropped outside the clock.
            let mut group = criterion.benchmark_group("fmt");
            group
                .sample_size(SAMPLES)
                .sampling_mode(SamplingMode::Flat)
                .throughput(Throughput::Bytes(file.len() as u64));
            let wall = Instant::now();
            let pilot = format(file.text());
            pace(&mut group, pilot, wall.elapsed());
            group.bench_function(BenchmarkId::from_parameter(label(size)), |bencher| {
                bencher.iter_custom(|iters| (0..iters).map(|_| format(file.text())).sum())
            });
            group.finish();
        }
        for stage in stages {
            let mut group = criterion.benchmark_group(*stage);
            group
                .sample_size(SAMPLES)
                .sampling_mode(SamplingMode::Flat)
                .throughput(Throughput::Bytes(file.len() as u64));
            for &strategy in strategies {
                // `bump` keeps one arena across iterations and resets it, as
                // a long-running compiler would; the others make their own.
                let mut reusable = bumpalo::Bump::new();
                let id = BenchmarkId::new(format!("{}{suffix}", strategy.name()), label(size));
                let wall = Instant::now();
                let pilot = timed(stage, strategy, &mut reusable, &file, 1);
                pace(&mut group, pilot, wall.elapsed());
                group.bench_function(id, |bencher| {
                    bencher.iter_custom(|iters| timed(stage, strategy, &mut reusable, &file, iters))
                });
            }
            group.finish();
        }
    }
}
