//! Mean `validate` latency of the Kubewarden policy in the wasmtime host the end-to-end tests
//! use (`tests/policy_host/`; `scripts/build-wasm` first):
//! `cargo bench -p imglint-bench --bench policy_validate`.

use criterion::{Criterion, criterion_group, criterion_main};
use imglint_e2e as policy_host;
use imglint_e2e::review;
use serde_json::json;

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
