//! Snapshots of the syntax tree of every example and every file of the official
//! suite, and the differential check that all three allocation strategies give
//! byte-identical trees and diagnostics.

mod common;

use std::path::Path;

use bumplox_diagnostics::ErrorFormat;
use bumplox_tree::dump::DumpOptions;
use common::{read_source, render_as, run_front_end, STRATEGIES};

/// Snapshots each file's tree (with the book's error lines after it) under
/// `snapshot_dir`, named after its path, and checks the strategies agree.
fn snapshot_folder(root: &Path, snapshot_dir: &str) -> usize {
    let files = common::lox_files(root);
    assert!(!files.is_empty(), "no .lox files below {}", root.display());
    for relative in &files {
        let file = read_source(&root.join(relative));
        let mut outputs = Vec::new();
        for strategy in STRATEGIES {
            let front_end = run_front_end(strategy, file.text(), DumpOptions::default());
            let lox = render_as(&file, &front_end.diagnostics, ErrorFormat::Lox);
            let json = render_as(&file, &front_end.diagnostics, ErrorFormat::Json);
            outputs.push((strategy, front_end.tree, lox, json));
        }
        let (_, tree, lox, json) = &outputs[0];
        for (strategy, other_tree, other_lox, other_json) in &outputs[1..] {
            assert!(
                other_tree == tree,
                "{relative}: the {strategy} tree differs from the bump tree"
            );
            assert!(
                other_lox == lox && other_json == json,
                "{relative}: {strategy} diagnostics differ from bump's"
            );
        }
        let name = relative.trim_end_matches(".lox").replace('/', "__");
        let snapshot = format!("{tree}---\n{lox}");
        insta::with_settings!({
            snapshot_path => Path::new("snapshots").join(snapshot_dir),
            prepend_module_to_snapshot => false,
            omit_expression => true,
            description => relative.as_str(),
        }, {
            insta::assert_snapshot!(name, snapshot);
        });
    }
    files.len()
}

#[test]
fn example_trees() {
    let count = snapshot_folder(&common::examples_dir(), "examples");
    assert!(count >= 12, "only {count} examples");
}

#[test]
fn official_suite_trees() {
    let Some(dir) = common::suite_dir("official_suite_trees") else {
        return;
    };
    let count = snapshot_folder(&dir, "suite");
    assert_eq!(count, 265, "the suite should hold 265 files");
}
