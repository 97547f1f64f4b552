//! The chart of `bumplox bench --plot`: median time of each stage under each
//! strategy, as grouped bars on a logarithmic axis, in SVG.

use plotters::prelude::*;

use crate::report::{rows, Report, Stage};

const COLORS: [RGBColor; 6] = [
    RGBColor(0x1b, 0x9e, 0x77),
    RGBColor(0x66, 0xa6, 0x1e),
    RGBColor(0x75, 0x70, 0xb3),
    RGBColor(0xd9, 0x5f, 0x02),
    RGBColor(0xe7, 0x29, 0x8a),
    RGBColor(0x66, 0x66, 0x66),
];

/// Renders the chart; `title` goes on top. The axis is logarithmic because a
/// `bump` drop takes microseconds where a `box` drop takes a good part of a
/// second.
pub fn render_svg(reports: &[Report], title: &str) -> Result<String, String> {
    let rows = rows(reports);
    let stages: Vec<Stage> = Stage::ALL
        .into_iter()
        .filter(|&stage| stage != Stage::Lex && rows.iter().any(|row| row.stage == stage))
        .collect();
    let subjects: Vec<_> = reports.iter().map(|report| report.subject).collect();
    let millis = |row: &crate::report::Row| (row.median.as_secs_f64() * 1e3).max(1e-4);
    let values: Vec<f64> = rows
        .iter()
        .filter(|row| row.subject.is_some())
        .map(millis)
        .collect();
    let low = values
        .iter()
        .copied()
        .fold(f64::INFINITY, f64::min)
        .max(1e-4)
        / 2.0;
    // Headroom above the tallest bar keeps the legend off the bars.
    let high = values.iter().copied().fold(0.0, f64::max).max(low * 10.0) * 40.0;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (960, 540)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(72)
            .build_cartesian_2d(0f64..stages.len() as f64, (low..high).log_scale())
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(stages.len() * 2 + 1)
            .x_label_formatter(&|x| {
                let index = x.floor() as usize;
                match (x - x.floor() - 0.5).abs() < 0.01 {
                    true => stages
                        .get(index)
                        .map_or(String::new(), |s| s.name().to_string()),
                    false => String::new(),
                }
            })
            .y_desc("median time (ms, log scale)")
            .y_label_formatter(&|y| format!("{y}"))
            .draw()
            .map_err(|e| e.to_string())?;
        let width = 0.8 / subjects.len().max(1) as f64;
        for (index, subject) in subjects.iter().enumerate() {
            let color = COLORS[index % COLORS.len()];
            let bars = stages.iter().enumerate().filter_map(|(slot, stage)| {
                let row = rows
                    .iter()
                    .find(|row| row.stage == *stage && row.subject == Some(*subject))?;
                let left = slot as f64 + 0.1 + width * index as f64;
                Some(Rectangle::new(
                    [(left, low), (left + width * 0.9, millis(row))],
                    color.filled(),
                ))
            });
            chart
                .draw_series(bars)
                .map_err(|e| e.to_string())?
                .label(subject.label())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 12, y + 5)], color.filled())
                });
        }
        chart
            .configure_series_labels()
            .border_style(BLACK)
            .background_style(WHITE.mix(0.9))
            .position(SeriesLabelPosition::UpperLeft)
            .draw()
            .map_err(|e| e.to_string())?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::render_svg;
    use crate::report::{Report, Stage, Subject};
    use crate::stages::Strategy;

    #[test]
    fn the_chart_is_an_svg_with_a_bar_per_stage_and_strategy() {
        let reports: Vec<Report> = [Strategy::Bump, Strategy::Boxed]
            .into_iter()
            .map(|strategy| {
                let mut report = Report::new(Subject {
                    strategy,
                    mimalloc: false,
                });
                report.add(Stage::Parse, Duration::from_millis(5));
                report.add(Stage::Drop, Duration::from_micros(3));
                report
            })
            .collect();
        let svg = render_svg(&reports, "test").unwrap();
        assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
        assert!(svg.contains("lex+parse") && svg.contains("bump"));
    }
}
