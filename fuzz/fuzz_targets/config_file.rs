//! See `imglint_fuzz::checks::config_file`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| imglint_fuzz::checks::config_file::check(data));
