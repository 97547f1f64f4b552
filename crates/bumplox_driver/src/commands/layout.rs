//! `bumplox layout`: size and alignment of every tree node under each strategy.

use bumplox_tree::node_layouts;

use crate::exit;

pub fn run() -> i32 {
    println!("{:<12} {:>11} {:>11} {:>11}", "node", "bump", "typed", "box");
    for row in node_layouts() {
        let cells: Vec<String> = row
            .layouts
            .iter()
            .map(|(size, align)| format!("{size} (al {align})"))
            .collect();
        println!("{:<12} {:>11} {:>11} {:>11}", row.name, cells[0], cells[1], cells[2]);
    }
    println!("\nSizes in bytes; `al` is the alignment. Every Expr and Stmt variant holds one");
    println!("pointer to its payload, so both enums are 16 bytes under every strategy.");
    exit::SUCCESS
}
