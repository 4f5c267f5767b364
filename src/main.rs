//! The `akademia` binary: everything happens in the library's command line.

fn main() -> std::process::ExitCode {
    akademia::cli::run()
}
