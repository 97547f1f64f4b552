//! The chart of `bumplox bench --plot`, in SVG: four panels that each answer
//! one question at a glance. Median time per stage and strategy; each
//! strategy's time as a ratio to `box` on the system allocator; peak memory
//! of one parse; allocation calls of one parse. Every bar carries its value.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::report::{rows, Report, Row, Stage, Subject};
use crate::stages::Strategy;

const COLORS: [RGBColor; 6] = [
    RGBColor(0x1b, 0x9e, 0x77),
    RGBColor(0x66, 0xa6, 0x1e),
    RGBColor(0x75, 0x70, 0xb3),
    RGBColor(0xd9, 0x5f, 0x02),
    RGBColor(0xe7, 0x29, 0x8a),
    RGBColor(0x66, 0x66, 0x66),
];

/// One bar: the slot of its group, its value and the text written on it.
struct Bar {
    group: usize,
    subject: usize,
    value: f64,
    label: String,
}

/// A panel of grouped bars: a group per stage (or one group), a bar per subject.
struct Panel<'a> {
    title: &'a str,
    groups: Vec<String>,
    bars: Vec<Bar>,
    /// A logarithmic axis, for counts that span orders of magnitude (20
    /// allocations against millions), where a linear axis would hide the
    /// small bars entirely. Times and ratios are drawn linear.
    log: bool,
    /// A line across the panel, at 1.0 on the ratio panel.
    reference_line: Option<f64>,
}

/// Renders the chart; `title` goes on top.
pub fn render_svg(reports: &[Report], title: &str) -> Result<String, String> {
    let subjects: Vec<Subject> = reports.iter().map(|report| report.subject).collect();
    let rows = rows(reports);
    let stages: Vec<Stage> = Stage::ALL
        .into_iter()
        .filter(|&stage| stage != Stage::Lex && rows.iter().any(|row| row.stage == stage))
        .collect();
    let time = time_panel(&rows, &stages, &subjects);
    let ratio = ratio_panel(&rows, &stages, &subjects);
    let peak = count_panel(reports, "peak live memory of one parse (MB)", |report| {
        report.accounting.map(|counts| counts.peak as f64 / 1e6)
    });
    let calls = count_panel(
        reports,
        "allocation calls in one parse (log scale)",
        |report| report.accounting.map(|counts| counts.calls as f64),
    );
    let calls = Panel { log: true, ..calls };

    let mut svg = String::new();
    {
        // The two panels with a group per stage take the whole width, so that
        // every bar's label has room; the two single-group panels share a row.
        let root = SVGBackend::with_string(&mut svg, (1400, 1280)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let root = root
            .titled(title, ("sans-serif", 22))
            .map_err(|e| e.to_string())?;
        let (legend, body) = root.split_vertically(50);
        draw_legend(&legend, &subjects)?;
        let (time_area, rest) = body.split_vertically(400);
        let (ratio_area, counts_area) = rest.split_vertically(400);
        let (peak_area, calls_area) = counts_area.split_horizontally(700);
        for (area, panel) in [
            (&time_area, &time),
            (&ratio_area, &ratio),
            (&peak_area, &peak),
            (&calls_area, &calls),
        ] {
            draw_panel(area, panel, &subjects)?;
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

fn time_panel<'a>(rows: &[Row], stages: &[Stage], subjects: &[Subject]) -> Panel<'a> {
    let mut bars = Vec::new();
    for (group, stage) in stages.iter().enumerate() {
        for (index, subject) in subjects.iter().enumerate() {
            let Some(row) = find(rows, *stage, *subject) else {
                continue;
            };
            let millis = row.median.as_secs_f64() * 1e3;
            bars.push(Bar {
                group,
                subject: index,
                value: millis,
                label: format_millis(millis),
            });
        }
    }
    Panel {
        title: "median time per stage (ms)",
        groups: stages
            .iter()
            .map(|stage| stage.name().to_string())
            .collect(),
        bars,
        log: false,
        reference_line: None,
    }
}

/// Each subject's median as a multiple of `box` on the system allocator's,
/// stage by stage: below 1 is faster than `Box`.
fn ratio_panel<'a>(rows: &[Row], stages: &[Stage], subjects: &[Subject]) -> Panel<'a> {
    let baseline = Subject {
        strategy: Strategy::BOXED,
        mimalloc: false,
    };
    let mut bars = Vec::new();
    for (group, stage) in stages.iter().enumerate() {
        let Some(base) = find(rows, *stage, baseline) else {
            continue;
        };
        let base = base.median.as_secs_f64();
        if base <= 0.0 {
            continue;
        }
        for (index, subject) in subjects.iter().enumerate() {
            let Some(row) = find(rows, *stage, *subject) else {
                continue;
            };
            let ratio = row.median.as_secs_f64() / base;
            bars.push(Bar {
                group,
                subject: index,
                value: ratio,
                label: format!("{ratio:.2}"),
            });
        }
    }
    Panel {
        title: "time as a multiple of box's (below 1 is faster)",
        groups: stages
            .iter()
            .map(|stage| stage.name().to_string())
            .collect(),
        bars,
        log: false,
        reference_line: Some(1.0),
    }
}

/// One group with a bar per subject, from a per-report figure.
fn count_panel<'a>(
    reports: &[Report],
    title: &'a str,
    value: impl Fn(&Report) -> Option<f64>,
) -> Panel<'a> {
    let bars = reports
        .iter()
        .enumerate()
        .filter_map(|(index, report)| {
            let value = value(report)?;
            Some(Bar {
                group: 0,
                subject: index,
                value,
                label: format_count(value),
            })
        })
        .collect();
    Panel {
        title,
        groups: vec![String::new()],
        bars,
        log: false,
        reference_line: None,
    }
}

fn find(rows: &[Row], stage: Stage, subject: Subject) -> Option<&Row> {
    rows.iter()
        .find(|row| row.stage == stage && row.subject == Some(subject))
}

fn format_millis(millis: f64) -> String {
    match millis {
        m if m >= 100.0 => format!("{m:.0}"),
        m if m >= 1.0 => format!("{m:.1}"),
        m if m >= 0.01 => format!("{m:.2}"),
        m => format!("{:.0}µs", m * 1e3),
    }
}

fn format_count(value: f64) -> String {
    match value {
        v if v >= 1e6 => format!("{:.1}M", v / 1e6),
        v if v >= 1e4 => format!("{:.0}k", v / 1e3),
        v if v >= 100.0 || v.fract() == 0.0 => format!("{v:.0}"),
        v => format!("{v:.1}"),
    }
}

fn draw_panel(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    panel: &Panel<'_>,
    subjects: &[Subject],
) -> Result<(), String> {
    let groups = panel.groups.len().max(1);
    let highest = panel
        .bars
        .iter()
        .map(|bar| bar.value)
        .fold(0.0, f64::max)
        .max(panel.reference_line.unwrap_or(0.0));
    // Room above the tallest bar for its label.
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(panel.title, ("sans-serif", 16))
        .margin(10)
        .x_label_area_size(28)
        .y_label_area_size(56);
    let width = 0.8 / subjects.len().max(1) as f64;
    let left = |bar: &Bar| bar.group as f64 + 0.1 + width * bar.subject as f64;
    let middle = |bar: &Bar| left(bar) + width * 0.45;
    let label_style = TextStyle::from(("sans-serif", 12)).pos(Pos::new(HPos::Center, VPos::Bottom));
    let color = |bar: &Bar| COLORS[bar.subject % COLORS.len()];
    let group_names = panel.groups.clone();
    let x_label = move |x: &f64| {
        let index = x.floor() as usize;
        match (x - x.floor() - 0.5).abs() < 0.01 {
            true => group_names.get(index).cloned().unwrap_or_default(),
            false => String::new(),
        }
    };
    match panel.log {
        true => {
            let lowest = panel
                .bars
                .iter()
                .map(|bar| bar.value)
                .filter(|value| *value > 0.0)
                .fold(f64::INFINITY, f64::min)
                .min(highest)
                .max(1e-3);
            let floor = lowest / 2.0;
            let mut chart = builder
                .build_cartesian_2d(
                    0f64..groups as f64,
                    (floor..highest.max(floor) * 8.0).log_scale(),
                )
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(groups * 2 + 1)
                .x_label_formatter(&x_label)
                .y_label_formatter(&|y| format_count(*y))
                .draw()
                .map_err(|e| e.to_string())?;
            for bar in &panel.bars {
                let top = bar.value.max(floor);
                chart
                    .draw_series([Rectangle::new(
                        [(left(bar), floor), (left(bar) + width * 0.9, top)],
                        color(bar).filled(),
                    )])
                    .map_err(|e| e.to_string())?;
                chart
                    .draw_series([Text::new(
                        bar.label.clone(),
                        (middle(bar), top * 1.1),
                        label_style.clone(),
                    )])
                    .map_err(|e| e.to_string())?;
            }
        }
        false => {
            let top = match highest > 0.0 {
                true => highest * 1.15,
                false => 1.0,
            };
            let mut chart = builder
                .build_cartesian_2d(0f64..groups as f64, 0f64..top)
                .map_err(|e| e.to_string())?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(groups * 2 + 1)
                .x_label_formatter(&x_label)
                .draw()
                .map_err(|e| e.to_string())?;
            if let Some(level) = panel.reference_line {
                chart
                    .draw_series([PathElement::new(
                        vec![(0.0, level), (groups as f64, level)],
                        BLACK.stroke_width(1),
                    )])
                    .map_err(|e| e.to_string())?;
            }
            for bar in &panel.bars {
                chart
                    .draw_series([Rectangle::new(
                        [(left(bar), 0.0), (left(bar) + width * 0.9, bar.value)],
                        color(bar).filled(),
                    )])
                    .map_err(|e| e.to_string())?;
                chart
                    .draw_series([Text::new(
                        bar.label.clone(),
                        (middle(bar), bar.value + top * 0.01),
                        label_style.clone(),
                    )])
                    .map_err(|e| e.to_string())?;
            }
        }
    }
    Ok(())
}

/// One row of color keys under the panels.
fn draw_legend(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    subjects: &[Subject],
) -> Result<(), String> {
    let step = 1300 / subjects.len().max(1) as i32;
    for (index, subject) in subjects.iter().enumerate() {
        let x = 60 + step * index as i32;
        let color = COLORS[index % COLORS.len()];
        area.draw(&Rectangle::new([(x, 20), (x + 16, 34)], color.filled()))
            .map_err(|e| e.to_string())?;
        area.draw(&Text::new(
            subject.label(),
            (x + 22, 20),
            ("sans-serif", 15),
        ))
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::render_svg;
    use crate::report::{Accounting, Report, Stage, Subject};
    use crate::stages::Strategy;

    #[test]
    fn the_chart_has_four_panels_and_labels_every_bar() {
        let reports: Vec<Report> = [(Strategy::Bump, 4, 20), (Strategy::BOXED, 5, 7_000_000)]
            .into_iter()
            .map(|(strategy, millis, calls)| {
                let mut report = Report::new(Subject {
                    strategy,
                    mimalloc: false,
                });
                report.add(Stage::Parse, Duration::from_millis(millis));
                report.add(Stage::Drop, Duration::from_micros(3));
                report.accounting = Some(Accounting {
                    calls,
                    peak: 2_500_000,
                    ..Accounting::default()
                });
                report
            })
            .collect();
        let svg = render_svg(&reports, "test").unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        // plotters writes each text element's content on a line of its own.
        let texts: Vec<&str> = svg.lines().map(str::trim).collect();
        for text in [
            "lex+parse",
            "bump",
            "median time per stage",
            "multiple of box",
            "peak live memory",
            "allocation calls",
            // The values on the bars: times, the ratio of bump to box,
            // the counts.
            "4.0",
            "0.80",
            "7.0M",
            "20",
            "3µs",
        ] {
            assert!(
                texts.iter().any(|line| line.contains(text)),
                "{text} is missing from the chart"
            );
        }
    }
}
