//! imglint as a Kubewarden policy: the same core rules, evaluated on the object of an
//! AdmissionReview. The waPC entry points (`guest.rs`) are only compiled for WASI; everything
//! else is plain Rust, tested natively.

pub mod cluster;
pub mod evaluate;
pub mod mutate;
pub mod settings;

#[cfg(target_os = "wasi")]
mod guest;

pub use evaluate::{Verdict, evaluate};
pub use settings::Settings;
