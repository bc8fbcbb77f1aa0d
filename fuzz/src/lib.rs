//! imglint's fuzz targets (`fuzz_targets/`) and the checks they run (`checks/`), which
//! `core/tests/fuzz_regressions.rs` also runs on stable over the seeds and saved crashes.

pub mod checks;
