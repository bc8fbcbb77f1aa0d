//! Mean `validate` latency of the Kubewarden policy in the wasmtime host the tests use
//! (`scripts/build-wasm` first): `cargo bench -p imglint-pre-commit --bench policy_validate`.

#[path = "../tests/policy_host/mod.rs"]
#[allow(dead_code)] // the bench uses only the host's validate
mod policy_host;

use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};

fn review(name: &str) -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/admission")
        .join(name);
    serde_json::from_str::<Value>(&std::fs::read_to_string(path).unwrap()).unwrap()["request"]
        .clone()
}

fn validate(c: &mut Criterion) {
    let module = std::fs::read(policy_host::policy_path()).expect("run scripts/build-wasm first");
    let policy = policy_host::Policy::load(&module, json!({"tenancy": "multi"}), true).unwrap();
    let mutating = policy_host::Policy::load(
        &module,
        json!({"tenancy": "multi", "always_pull": true}),
        true,
    )
    .unwrap();
    for name in [
        "pod-invalid-image.json",
        "deployment-latest.json",
        "cronjob-private.json",
    ] {
        let request = review(name);
        c.bench_function(&format!("validate {name}"), |b| {
            b.iter(|| policy.validate(&request));
        });
    }
    let request = review("cronjob-private.json");
    c.bench_function(
        "validate cronjob-private.json (always_pull, with JSON patch)",
        |b| {
            b.iter(|| mutating.validate(&request));
        },
    );
}

criterion_group!(benches, validate);
criterion_main!(benches);
