//! The `bumplox` binary: hands the command line to the driver and exits with its code.

fn main() {
    std::process::exit(bumplox_driver::main(env!("CARGO_PKG_VERSION")));
}
