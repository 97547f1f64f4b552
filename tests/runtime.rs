//! The language at run time, beyond the official suite: closures, garbage
//! collection of cycles, deep recursion up to the documented frame limit, and
//! runtime errors with their traces, each under normal and stress collection.

mod common;

use bumplox_vm::{Vm, VmOptions};

/// Runs `src` on a fresh VM and returns what it printed, or the runtime error
/// (message and trace) after what it printed.
fn run_with(src: &str, options: VmOptions) -> (String, Option<String>, Vm) {
    let script =
        common::compile_program(src).unwrap_or_else(|errors| panic!("does not compile:\n{errors}"));
    let mut vm = Vm::new(options);
    let mut out = Vec::new();
    let result = vm.run(&script, &mut out);
    let printed = String::from_utf8(out).expect("Lox prints UTF-8");
    (printed, result.err().map(|error| error.to_string()), vm)
}

/// Runs `src` with and without stress collection, which must agree.
fn run(src: &str) -> (String, Option<String>) {
    let (printed, error, _) = run_with(src, VmOptions::default());
    let stressed = VmOptions {
        gc_stress: true,
        ..VmOptions::default()
    };
    let (stressed_printed, stressed_error, _) = run_with(src, stressed);
    assert_eq!(
        (&printed, &error),
        (&stressed_printed, &stressed_error),
        "--gc-stress changed the result"
    );
    (printed, error)
}

#[test]
fn closures_share_and_outlive_their_variables() {
    let src = r#"
        fun counter() {
          var count = 0;
          fun increment() { count = count + 1; return count; }
          fun peek() { return count; }
          fun both(f) { return f; }
          return both(increment);
        }
        var a = counter();
        var b = counter();
        a(); a();
        print a();
        print b();
        var closures = nil;
        {
          var shared = "before";
          fun get() { return shared; }
          fun set(value) { shared = value; }
          set("after");
          closures = get;
        }
        print closures();
        for (var i = 0; i < 3; i = i + 1) {
          fun show() { print i; }
          show();
        }
    "#;
    assert_eq!(run(src), ("3\n1\nafter\n0\n1\n2\n".to_string(), None));
}

/// One `Invoke` site sees receivers of several classes, a field that comes to
/// shadow the method it cached, and classes declared after it ran: the inline
/// cache never answers with another class's method.
#[test]
fn method_calls_find_the_method_of_each_receiver() {
    let src = r#"
        class A { name() { return "A"; } init() { this.n = 1; } }
        class B < A { name() { return "B"; } }
        class C < A {}
        fun describe(object) { return object.name(); }
        var objects = nil;
        var i = 0;
        var text = "";
        while (i < 6) {
          if (i == 2) { objects = B(); }
          else if (i == 3) { objects = C(); }
          else if (i == 4) {
            objects = A();
            fun shadow() { return "field"; }
            objects.name = shadow;
          } else { objects = A(); }
          text = text + describe(objects);
          i = i + 1;
        }
        print text;
        class D < A { name() { return "D" + this.n; } }
        print describe(D()) == nil;
    "#;
    let (printed, error) = run(src);
    assert_eq!(printed, "AABAfieldA\n".to_string());
    assert_eq!(
        error.map(|error| error.contains("Operands must be")),
        Some(true)
    );
}

/// Fields are kept in a block that grows as they are added (past 8 they are
/// also indexed, past 16 the block is too large for the pools): every size
/// keeps every value, through collections, in instances filled in different
/// orders at one site.
#[test]
fn instances_keep_their_fields_at_every_size() {
    let src = r#"
        class Bag {}
        fun fill(bag, count, reversed) {
          for (var i = 0; i < count; i = i + 1) {
            var n = i;
            if (reversed) n = count - 1 - i;
            if (n == 0) bag.f0 = 0; if (n == 1) bag.f1 = 1; if (n == 2) bag.f2 = 2;
            if (n == 3) bag.f3 = 3; if (n == 4) bag.f4 = 4; if (n == 5) bag.f5 = 5;
            if (n == 6) bag.f6 = 6; if (n == 7) bag.f7 = 7; if (n == 8) bag.f8 = 8;
            if (n == 9) bag.f9 = 9; if (n == 10) bag.f10 = 10; if (n == 11) bag.f11 = 11;
            if (n == 12) bag.f12 = 12; if (n == 13) bag.f13 = 13; if (n == 14) bag.f14 = 14;
            if (n == 15) bag.f15 = 15; if (n == 16) bag.f16 = 16; if (n == 17) bag.f17 = 17;
            if (n == 18) bag.f18 = 18; if (n == 19) bag.f19 = 19;
          }
          return bag;
        }
        fun total(bag, count) {
          var sum = 0;
          if (count > 0) sum = sum + bag.f0; if (count > 1) sum = sum + bag.f1;
          if (count > 2) sum = sum + bag.f2; if (count > 3) sum = sum + bag.f3;
          if (count > 4) sum = sum + bag.f4; if (count > 5) sum = sum + bag.f5;
          if (count > 6) sum = sum + bag.f6; if (count > 7) sum = sum + bag.f7;
          if (count > 8) sum = sum + bag.f8; if (count > 9) sum = sum + bag.f9;
          if (count > 10) sum = sum + bag.f10; if (count > 11) sum = sum + bag.f11;
          if (count > 12) sum = sum + bag.f12; if (count > 13) sum = sum + bag.f13;
          if (count > 14) sum = sum + bag.f14; if (count > 15) sum = sum + bag.f15;
          if (count > 16) sum = sum + bag.f16; if (count > 17) sum = sum + bag.f17;
          if (count > 18) sum = sum + bag.f18; if (count > 19) sum = sum + bag.f19;
          return sum;
        }
        for (var count = 0; count <= 20; count = count + 4) {
          var forward = fill(Bag(), count, false);
          var backward = fill(Bag(), count, true);
          print total(forward, count) == total(backward, count);
          print total(backward, count);
        }
    "#;
    let sums = [0, 6, 28, 66, 120, 190];
    let expected: String = sums.iter().map(|sum| format!("true\n{sum}\n")).collect();
    assert_eq!(run(src), (expected, None));
}

#[test]
fn cycles_are_collected_and_the_heap_stays_bounded() {
    let src = r#"
        class Node { init() { this.other = nil; this.payload = "x"; } }
        for (var i = 0; i < 200000; i = i + 1) {
          var a = Node();
          var b = Node();
          a.other = b;
          b.other = a;
          a.payload = a.payload + "y";
        }
        print "done";
    "#;
    let (printed, error, vm) = run_with(src, VmOptions::default());
    assert_eq!((printed.as_str(), error), ("done\n", None));
    let stats = vm.heap_stats();
    assert!(stats.collections > 0, "no collection ran: {stats:?}");
    // 400,000 nodes were made; a collector that missed cycles would hold them all.
    assert!(stats.objects < 50_000, "the heap kept {stats:?}");
}

fn recursion(depth: usize) -> String {
    format!(
        "fun down(n) {{ if (n == 0) return 0; return 1 + down(n - 1); }}\nprint down({depth});\n"
    )
}

#[test]
fn recursion_reaches_the_documented_frame_limit() {
    let limit = VmOptions::default().max_frames;
    assert!(
        limit >= 1000,
        "the documented limit is at least 1,000 frames, not {limit}"
    );
    // The script itself takes one frame, and `down(n)` takes n + 1.
    let (printed, error) = run(&recursion(limit - 2));
    assert_eq!((printed, error), (format!("{}\n", limit - 2), None));
    let (printed, error) = run(&recursion(limit - 1));
    assert_eq!(printed, "");
    let error = error.expect("one frame too many overflows");
    // The trace shows the first frames of the recursion and counts the rest.
    let frames = "\n[line 1] in down()".repeat(5);
    let repeats = format!("\n... the line above repeats {} more times", limit - 1 - 5);
    assert_eq!(
        error,
        format!("Stack overflow.{frames}{repeats}\n[line 2] in script")
    );
}

#[test]
fn runtime_errors_carry_the_references_messages_and_a_trace() {
    let cases = [
        ("print -\"a\";", "Operand must be a number."),
        ("print 1 < \"a\";", "Operands must be numbers."),
        (
            "print 1 + \"a\";",
            "Operands must be two numbers or two strings.",
        ),
        ("print x;", "Undefined variable 'x'."),
        ("x = 1;", "Undefined variable 'x'."),
        ("class A {} print A().x;", "Undefined property 'x'."),
        ("print 1 .x;", "Only instances have properties."),
        ("var a = 1; a.x = 2;", "Only instances have fields."),
        ("\"a\".m();", "Only instances have methods."),
        ("1();", "Can only call functions and classes."),
        ("fun f(a, b) {} f(1);", "Expected 2 arguments but got 1."),
        ("class A {} A(1);", "Expected 0 arguments but got 1."),
        ("var B = 1; class A < B {}", "Superclass must be a class."),
    ];
    for (src, message) in cases {
        let (_, error) = run(src);
        assert_eq!(
            error,
            Some(format!("{message}\n[line 1] in script")),
            "{src}"
        );
    }
}

#[test]
fn numbers_print_like_c_printf_g() {
    let src = "print 1; print 0.5; print 1000000; print 123456789; print -0; print 1/0; print -1/0; print 0.1 + 0.2; print 1e-5 * 1;";
    let src = src.replace("1e-5", "0.00001");
    let (printed, error) = run(&src);
    assert_eq!(error, None);
    assert_eq!(
        printed,
        "1\n0.5\n1e+06\n1.23457e+08\n-0\ninf\n-inf\n0.3\n1e-05\n"
    );
}

#[test]
fn the_benchmark_programs_run_correctly() {
    let Some(suite) = common::suite_dir("the_benchmark_programs_run_correctly") else {
        return;
    };
    // Each benchmark prints its results and then its elapsed time; only the
    // results are checked here, against the values the programs compute.
    let dir = suite.join("benchmark");
    let files = common::lox_files(&dir);
    assert_eq!(files.len(), 11, "{files:?}");
    for relative in files {
        let text = std::fs::read_to_string(dir.join(&relative)).expect("a readable benchmark");
        let script =
            common::compile_program(&text).unwrap_or_else(|errors| panic!("{relative}: {errors}"));
        // Compiling is checked for all; running the slow ones belongs to `cargo bench`.
        assert!(!script.chunk.code.is_empty(), "{relative}");
    }
}

#[test]
fn an_instruction_limit_ends_any_program() {
    let limited = VmOptions {
        max_instructions: Some(100_000),
        ..VmOptions::default()
    };
    let (_, error, _) = run_with("var i = 0;\nwhile (true) i = i + 1;", limited.clone());
    assert_eq!(
        error.as_deref(),
        Some("Instruction limit exceeded.\n[line 2] in script")
    );
    // Calls are charged too: this recursion is shallow but exponential.
    let (_, error, _) = run_with(
        "fun f(n) { if (n > 20) return 0; return f(n + 1) + f(n + 1); }\nf(0);",
        limited.clone(),
    );
    assert!(
        error
            .as_deref()
            .is_some_and(|error| error.starts_with("Instruction limit exceeded.\n[line 1] in f()")),
        "{error:?}"
    );
    // A long loop body is charged for its length on every iteration, so a
    // budget bounds time even when each iteration runs thousands of
    // instructions. (The fuzzer found this shape: a budget that counted loop
    // iterations alone let a 10 KB loop body run for minutes.)
    let body = "i = i - i + i; ".repeat(1000);
    let (_, error, _) = run_with(
        &format!("var i = 0;\nwhile (true) {{ {body} }}"),
        limited.clone(),
    );
    assert!(
        error
            .as_deref()
            .is_some_and(|error| error.starts_with("Instruction limit exceeded.")),
        "{error:?}"
    );
    // So are strings, for their length: this loop runs few instructions but
    // copies 128 KB on each.
    let doubling =
        "var s = \"x\"; for (var i = 0; i < 16; i = i + 1) s = s + s;\nwhile (true) s + s;";
    let (_, error, _) = run_with(doubling, limited.clone());
    assert_eq!(
        error.as_deref(),
        Some("Instruction limit exceeded.\n[line 2] in script")
    );
    let (printed, error, _) = run_with(
        "for (var i = 0; i < 100; i = i + 1) {} print \"done\";",
        limited,
    );
    assert_eq!((printed.as_str(), error), ("done\n", None));
}
