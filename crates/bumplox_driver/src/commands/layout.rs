//! `bumplox layout`: size and alignment of every tree node under each strategy.

use std::fmt::Write;

use bumplox_tree::node_layouts;

use crate::exit;
use crate::output;

pub fn run() -> i32 {
    let mut text = format!(
        "{:<12} {:>11} {:>11} {:>11}\n",
        "node", "bump", "typed", "box"
    );
    for row in node_layouts() {
        let cells: Vec<String> = row
            .layouts
            .iter()
            .map(|(size, align)| format!("{size} (al {align})"))
            .collect();
        let _ = writeln!(
            text,
            "{:<12} {:>11} {:>11} {:>11}",
            row.name, cells[0], cells[1], cells[2]
        );
    }
    text.push_str(
        "\nSizes in bytes; `al` is the alignment. Every Expr and Stmt variant holds one\n",
    );
    text.push_str("pointer to its payload, so both enums are 16 bytes under every strategy.\n");
    output::print_stdout(&text);
    exit::SUCCESS
}
