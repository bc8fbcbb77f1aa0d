//! `imglint-pre-commit`: the `imglint` program, built by pre-commit from the repository root
//! (see `.pre-commit-hooks.yaml`). A second name avoids two workspace binaries called
//! `imglint`.

fn main() -> std::process::ExitCode {
    imglint_cli::main()
}
