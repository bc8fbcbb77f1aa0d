//! See `imglint_fuzz::checks::lint`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| imglint_fuzz::checks::lint::check(data));
