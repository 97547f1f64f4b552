//! What a measurement produced, how it travels between processes as text, and
//! the table `bumplox bench` prints.

use std::fmt::Write;
use std::time::Duration;

use crate::stages::Strategy;

/// A measured stage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    /// The lexer alone, to the end of the file.
    Lex,
    /// Lexing and parsing into a tree.
    Parse,
    /// Freeing the tree.
    Drop,
    /// Parse then drop, of the same run: what building a tree costs a user.
    ParseDrop,
    Resolve,
    Codegen,
    /// The whole of `bumplox check` on a file in memory, timed in one piece:
    /// lex, parse, resolve, generate code, free everything.
    Check,
}

impl Stage {
    pub const ALL: [Stage; 7] = [
        Stage::Lex,
        Stage::Parse,
        Stage::Drop,
        Stage::ParseDrop,
        Stage::Resolve,
        Stage::Codegen,
        Stage::Check,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Stage::Lex => "lex",
            Stage::Parse => "lex+parse",
            Stage::Drop => "drop",
            Stage::ParseDrop => "parse+drop",
            Stage::Resolve => "resolve",
            Stage::Codegen => "codegen",
            Stage::Check => "check",
        }
    }

    fn from_name(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.name() == name)
    }
}

/// A strategy measured under one global allocator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Subject {
    pub strategy: Strategy,
    pub mimalloc: bool,
}

impl Subject {
    pub fn label(self) -> String {
        match self.mimalloc {
            true => format!("{}+mimalloc", self.strategy.name()),
            false => self.strategy.name().to_string(),
        }
    }
}

/// Allocation counts for one parse of the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Accounting {
    pub nodes: u64,
    pub lists: u64,
    /// Calls to the global allocator during the parse.
    pub calls: u64,
    /// Bytes requested from it.
    pub bytes: u64,
    /// The most bytes live at once during the parse.
    pub peak: u64,
    /// How much the process's peak resident memory grew during the parse,
    /// where the system tells (0 where it does not): unlike `peak`, it
    /// includes the allocator's own overhead per block.
    pub rss: u64,
}

/// One worker's results: every stage's run times, and the counts.
#[derive(Clone, Debug, PartialEq)]
pub struct Report {
    pub subject: Subject,
    pub samples: Vec<(Stage, Vec<Duration>)>,
    pub accounting: Option<Accounting>,
}

impl Report {
    pub fn new(subject: Subject) -> Report {
        Report {
            subject,
            samples: Vec::new(),
            accounting: None,
        }
    }

    pub fn add(&mut self, stage: Stage, time: Duration) {
        match self.samples.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, times)) => times.push(time),
            None => self.samples.push((stage, vec![time])),
        }
    }

    pub fn times(&self, stage: Stage) -> Option<&[Duration]> {
        self.samples
            .iter()
            .find(|(s, _)| *s == stage)
            .map(|(_, times)| times.as_slice())
    }

    /// The report as lines of text, for a worker's standard output.
    pub fn to_text(&self) -> String {
        let mut text = format!(
            "subject {} {}\n",
            self.subject.strategy.name(),
            match self.subject.mimalloc {
                true => "mimalloc",
                false => "system",
            }
        );
        for (stage, times) in &self.samples {
            let _ = write!(text, "stage {}", stage.name());
            for time in times {
                let _ = write!(text, " {}", time.as_nanos());
            }
            text.push('\n');
        }
        if let Some(a) = self.accounting {
            let _ = writeln!(
                text,
                "accounting {} {} {} {} {} {}",
                a.nodes, a.lists, a.calls, a.bytes, a.peak, a.rss
            );
        }
        text
    }

    /// Reads what [`Report::to_text`] wrote.
    pub fn from_text(text: &str) -> Result<Report, String> {
        let mut report: Option<Report> = None;
        for line in text.lines() {
            let mut words = line.split_whitespace();
            let bad = || format!("unreadable report line: {line:?}");
            let number = |word: &str| word.parse::<u64>().map_err(|_| bad());
            match (words.next(), report.as_mut()) {
                (Some("subject"), _) => {
                    let strategy = words.next().and_then(Strategy::from_name).ok_or_else(bad)?;
                    let mimalloc = words.next() == Some("mimalloc");
                    report = Some(Report::new(Subject { strategy, mimalloc }));
                }
                (Some("stage"), Some(report)) => {
                    let stage = words.next().and_then(Stage::from_name).ok_or_else(bad)?;
                    for word in words {
                        report.add(stage, Duration::from_nanos(number(word)?));
                    }
                }
                (Some("accounting"), Some(report)) => {
                    let numbers: Vec<u64> = words.map(number).collect::<Result<_, _>>()?;
                    let [nodes, lists, calls, bytes, peak, rss] = numbers[..] else {
                        return Err(bad());
                    };
                    report.accounting = Some(Accounting {
                        nodes,
                        lists,
                        calls,
                        bytes,
                        peak,
                        rss,
                    });
                }
                (None, _) => {}
                _ => return Err(bad()),
            }
        }
        report.ok_or_else(|| "the report is empty".to_string())
    }
}

/// The summary of one stage under one subject.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub stage: Stage,
    pub subject: Option<Subject>,
    pub median: Duration,
    pub min: Duration,
    pub max: Duration,
}

pub(crate) fn median(times: &[Duration]) -> Duration {
    let mut sorted = times.to_vec();
    sorted.sort();
    match sorted.len() {
        0 => Duration::ZERO,
        len if len % 2 == 1 => sorted[len / 2],
        len => (sorted[len / 2 - 1] + sorted[len / 2]) / 2,
    }
}

/// One row per stage and subject, stages in order; `lex` once, from the
/// first report that has it.
pub(crate) fn rows(reports: &[Report]) -> Vec<Row> {
    let mut rows = Vec::new();
    for stage in Stage::ALL {
        for report in reports {
            let Some(times) = report.times(stage) else {
                continue;
            };
            let subject = match stage {
                Stage::Lex => None,
                _ => Some(report.subject),
            };
            rows.push(Row {
                stage,
                subject,
                median: median(times),
                min: times.iter().min().copied().unwrap_or_default(),
                max: times.iter().max().copied().unwrap_or_default(),
            });
            if stage == Stage::Lex {
                break;
            }
        }
    }
    rows
}

fn baseline(rows: &[Row], stage: Stage) -> Option<Duration> {
    rows.iter()
        .find(|row| {
            row.stage == stage
                && row.subject
                    == Some(Subject {
                        strategy: Strategy::BOXED,
                        mimalloc: false,
                    })
        })
        .map(|row| row.median)
}

pub(crate) fn format_duration(time: Duration) -> String {
    let nanos = time.as_nanos() as f64;
    match nanos {
        n if n < 1e3 => format!("{n:.0} ns"),
        n if n < 1e6 => format!("{:.1} µs", n / 1e3),
        n if n < 1e9 => format!("{:.1} ms", n / 1e6),
        n => format!("{:.2} s", n / 1e9),
    }
}

fn format_count(value: f64) -> String {
    match value {
        v if v >= 1e9 => format!("{:.2} G", v / 1e9),
        v if v >= 1e6 => format!("{:.1} M", v / 1e6),
        v if v >= 1e4 => format!("{:.0} k", v / 1e3),
        v => format!("{v:.0}"),
    }
}

fn format_bytes(bytes: u64) -> String {
    let value = bytes as f64;
    match value {
        v if v >= 1e9 => format!("{:.2} GB", v / 1e9),
        v if v >= 1e6 => format!("{:.1} MB", v / 1e6),
        v if v >= 1e3 => format!("{:.1} kB", v / 1e3),
        v => format!("{v:.0} B"),
    }
}

/// The two tables `bumplox bench` prints: time per stage and subject, then
/// what each subject allocated while parsing. `bytes` and `lines` are the
/// file's size.
pub fn render_table(reports: &[Report], bytes: u64, lines: u64) -> String {
    let rows = rows(reports);
    let mut text = String::new();
    let _ = writeln!(
        text,
        "| stage | strategy | median | min – max | MB/s | lines/s | allocations | peak live | speed-up vs box |"
    );
    let _ = writeln!(text, "|---|---|--:|--:|--:|--:|--:|--:|--:|");
    for row in &rows {
        let seconds = row.median.as_secs_f64().max(1e-12);
        let accounting = match (row.stage, row.subject) {
            (Stage::Parse, Some(subject)) => reports
                .iter()
                .find(|report| report.subject == subject)
                .and_then(|report| report.accounting),
            _ => None,
        };
        let (allocations, peak) = match accounting {
            Some(a) => (format_count(a.calls as f64), format_bytes(a.peak)),
            None => ("".to_string(), "".to_string()),
        };
        let ratio = match (row.subject, baseline(&rows, row.stage)) {
            (Some(_), Some(base)) if !row.median.is_zero() => {
                format!("{:.2}×", base.as_secs_f64() / seconds)
            }
            _ => "".to_string(),
        };
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} – {} | {} | {} | {} | {} | {} |",
            row.stage.name(),
            row.subject.map_or("–".to_string(), Subject::label),
            format_duration(row.median),
            format_duration(row.min),
            format_duration(row.max),
            format_count(bytes as f64 / seconds / 1e6),
            format_count(lines as f64 / seconds),
            allocations,
            peak,
            ratio,
        );
    }
    let box_accounting = reports
        .iter()
        .find(|r| r.subject.strategy == Strategy::BOXED && !r.subject.mimalloc)
        .and_then(|r| r.accounting);
    let _ = writeln!(
        text,
        "\n| strategy | nodes | lists | allocations | per 1,000 nodes | bytes requested | bytes per node | peak live | peak vs box | peak RSS growth | RSS vs box |"
    );
    let _ = writeln!(text, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for report in reports {
        let Some(a) = report.accounting else {
            continue;
        };
        let nodes = a.nodes.max(1) as f64;
        let versus = |value: u64, base: Option<u64>| match base {
            Some(base) if base > 0 && value > 0 => format!("{:.2}×", value as f64 / base as f64),
            _ => "".to_string(),
        };
        let (rss, rss_versus) = match a.rss {
            0 => ("".to_string(), "".to_string()),
            rss => (
                format_bytes(rss),
                versus(rss, box_accounting.map(|b| b.rss)),
            ),
        };
        let _ = writeln!(
            text,
            "| {} | {} | {} | {} | {:.3} | {} | {:.1} | {} | {} | {} | {} |",
            report.subject.label(),
            format_count(a.nodes as f64),
            format_count(a.lists as f64),
            a.calls,
            a.calls as f64 * 1000.0 / nodes,
            format_bytes(a.bytes),
            a.bytes as f64 / nodes,
            format_bytes(a.peak),
            versus(a.peak, box_accounting.map(|b| b.peak)),
            rss,
            rss_versus,
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::{median, render_table, Accounting, Report, Stage, Subject};
    use crate::stages::Strategy;

    fn report(strategy: Strategy, millis: &[u64]) -> Report {
        let mut report = Report::new(Subject {
            strategy,
            mimalloc: false,
        });
        for &ms in millis {
            report.add(Stage::Parse, Duration::from_millis(ms));
        }
        report.accounting = Some(Accounting {
            nodes: 1000,
            lists: 100,
            calls: 2,
            bytes: 64_000,
            peak: 64_000,
            rss: 0,
        });
        report
    }

    #[test]
    fn reports_survive_the_trip_through_text() {
        let mut original = report(Strategy::TYPED, &[3, 1, 2]);
        original.subject.mimalloc = true;
        original.add(Stage::Lex, Duration::from_nanos(17));
        assert_eq!(Report::from_text(&original.to_text()), Ok(original));
        assert!(Report::from_text("stage parse 1").is_err());
        assert!(Report::from_text("subject bogus system").is_err());
    }

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        let times = [4, 1, 3, 2].map(Duration::from_millis);
        assert_eq!(median(&times), Duration::from_micros(2500));
        assert_eq!(median(&times[..3]), Duration::from_millis(3));
    }

    #[test]
    fn the_table_compares_each_strategy_with_box() {
        let reports = [
            report(Strategy::Bump, &[10, 11, 12]),
            report(Strategy::BOXED, &[30, 31, 32]),
        ];
        let table = render_table(&reports, 1_000_000, 10_000);
        assert!(table.contains("| lex+parse | bump | 11.0 ms | 10.0 ms – 12.0 ms | 91 | 909 k | 2 | 64.0 kB | 2.82× |"), "{table}");
        assert!(
            table.contains(
                "| box | 1000 | 100 | 2 | 2.000 | 64.0 kB | 64.0 | 64.0 kB | 1.00× |  |  |"
            ),
            "{table}"
        );
    }
}
