//! The `imglint` binary.

fn main() -> std::process::ExitCode {
    imglint_cli::main()
}
