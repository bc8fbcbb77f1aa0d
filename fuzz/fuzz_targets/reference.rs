//! See `imglint_fuzz::checks::reference`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| imglint_fuzz::checks::reference::check(data));
