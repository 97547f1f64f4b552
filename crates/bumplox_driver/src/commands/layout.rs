//! `bumplox layout`: size and alignment of every tree node under each strategy.

use std::fmt::Write;

use bumplox_tree::{node_layouts, Strategy};

use crate::exit;
use crate::output;

pub fn run() -> i32 {
    let mut text = format!("{:<12}", "node");
    for strategy in Strategy::ALL {
        let _ = write!(text, " {:>11}", strategy.name());
    }
    text.push('\n');
    for row in node_layouts() {
        let _ = write!(text, "{:<12}", row.name);
        for (size, align) in row.layouts {
            let _ = write!(text, " {:>11}", format!("{size} (al {align})"));
        }
        text.push('\n');
    }
    text.push_str(
        "\nSizes in bytes; `al` is the alignment. Every Expr and Stmt variant holds one\n",
    );
    text.push_str(
        "reference to its payload: a pointer (16 bytes for the enum) under bump, typed\n",
    );
    text.push_str("and box, a u32 index (8 bytes) under flat.\n");
    output::print_stdout(&text);
    exit::SUCCESS
}
