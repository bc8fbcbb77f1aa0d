//! See `imglint_fuzz::checks::docker_config`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| imglint_fuzz::checks::docker_config::check(data));
