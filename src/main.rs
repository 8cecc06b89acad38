//! The `thidua` binary: parse the command line, run a command, report errors in one line.

mod cli;

use clap::Parser;

fn main() {
    let cli = cli::Cli::parse();
    match cli::run(cli) {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("thidua: error: {e:#}");
            std::process::exit(2);
        }
    }
}
