//! The `imglint` command line. The binary (`main.rs`) only parses arguments and maps the outcome
//! to an exit code; everything else is here so that tests can reach the renderers.

pub mod args;
pub mod commands;
pub mod config_file;
pub mod render;
pub mod walk;
