//! A line diff of expected and actual output, for the failure report of
//! `bumplox test`: the lines both share, and the ones only one side has.

/// The most lines of either side the diff looks at. A longest common
/// subsequence costs the product of the two lengths, and a test whose output
/// runs past this many lines is better read in a file than in a report.
const MAX_DIFF_LINES: usize = 400;

/// Renders the difference between `expected` and `actual`, one line each,
/// prefixed `-` (expected only), `+` (actual only) or a space (both). Runs of
/// more than a few shared lines are shortened to their count.
pub fn line_diff(expected: &[&str], actual: &[&str]) -> String {
    let expected_shown = &expected[..expected.len().min(MAX_DIFF_LINES)];
    let actual_shown = &actual[..actual.len().min(MAX_DIFF_LINES)];
    let mut lines: Vec<(char, &str)> = Vec::new();
    for step in steps(expected_shown, actual_shown) {
        match step {
            Step::Both(index) => lines.push((' ', expected_shown[index])),
            Step::Expected(index) => lines.push(('-', expected_shown[index])),
            Step::Actual(index) => lines.push(('+', actual_shown[index])),
        }
    }
    let mut out = String::new();
    let mut index = 0;
    while index < lines.len() {
        let run = lines[index..]
            .iter()
            .take_while(|(mark, _)| *mark == ' ')
            .count();
        if run > 4 {
            push_line(&mut out, lines[index]);
            out.push_str(&format!("  ... {} more lines alike\n", run - 2));
            push_line(&mut out, lines[index + run - 1]);
            index += run;
            continue;
        }
        push_line(&mut out, lines[index]);
        index += 1;
    }
    if expected.len() > MAX_DIFF_LINES || actual.len() > MAX_DIFF_LINES {
        out.push_str(&format!(
            "  ... (only the first {MAX_DIFF_LINES} lines of each side are compared)\n"
        ));
    }
    out
}

fn push_line(out: &mut String, (mark, text): (char, &str)) {
    out.push(mark);
    out.push(' ');
    out.push_str(text);
    out.push('\n');
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Both(usize),
    Expected(usize),
    Actual(usize),
}

/// The edit script from `expected` to `actual` through a longest common
/// subsequence, computed by dynamic programming from the ends.
fn steps(expected: &[&str], actual: &[&str]) -> Vec<Step> {
    let width = actual.len() + 1;
    // common[i * width + j]: the longest common subsequence of expected[i..]
    // and actual[j..].
    let mut common = vec![0u32; (expected.len() + 1) * width];
    for i in (0..expected.len()).rev() {
        for j in (0..actual.len()).rev() {
            common[i * width + j] = match expected[i] == actual[j] {
                true => common[(i + 1) * width + j + 1] + 1,
                false => common[(i + 1) * width + j].max(common[i * width + j + 1]),
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    let mut script = Vec::new();
    while i < expected.len() && j < actual.len() {
        if expected[i] == actual[j] {
            script.push(Step::Both(i));
            i += 1;
            j += 1;
            continue;
        }
        match common[(i + 1) * width + j] >= common[i * width + j + 1] {
            true => {
                script.push(Step::Expected(i));
                i += 1;
            }
            false => {
                script.push(Step::Actual(j));
                j += 1;
            }
        }
    }
    script.extend((i..expected.len()).map(Step::Expected));
    script.extend((j..actual.len()).map(Step::Actual));
    script
}

#[cfg(test)]
mod tests {
    use super::line_diff;

    fn check(expected: &str, actual: &str, diff: &str) {
        let expected: Vec<&str> = expected.lines().collect();
        let actual: Vec<&str> = actual.lines().collect();
        assert_eq!(line_diff(&expected, &actual), diff);
    }

    #[test]
    fn marks_lines_only_one_side_has() {
        check("1\n2\n3\n", "1\n3\n4\n", "  1\n- 2\n  3\n+ 4\n");
        check("", "extra\n", "+ extra\n");
        check("gone\n", "", "- gone\n");
        check("a\nb\n", "a\nb\n", "  a\n  b\n");
    }

    #[test]
    fn shortens_long_runs_of_shared_lines() {
        check(
            "1\n2\n3\n4\n5\n6\nx\n",
            "1\n2\n3\n4\n5\n6\ny\n",
            "  1\n  ... 4 more lines alike\n  6\n- x\n+ y\n",
        );
    }
}
