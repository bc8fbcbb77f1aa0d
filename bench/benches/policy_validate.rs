//! Mean `validate` latency of the Kubewarden policy in the wasmtime host the end-to-end tests
//! use (`tests/policy_host/`; `scripts/build-wasm` first):
//! `cargo bench -p imglint-bench --bench policy_validate`. With cluster lookups, the host's
//! own time answering `get_resource` from the recorded session is left out (`iter_custom`).

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
    for (case, lookups) in [
        ("secret-covers-registry", "1 Secret"),
        (
            "service-account-secret-without-registry",
            "ServiceAccount + Secret",
        ),
    ] {
        let cluster = policy_host::repository_root().join("tests/cluster");
        let read = |path: &str| std::fs::read_to_string(cluster.join(path)).unwrap();
        let session = policy_host::Session::from_yaml(&read(&format!("sessions/{case}.yml")));
        let review: serde_json::Value =
            serde_json::from_str(&read(&format!("requests/{case}.json"))).unwrap();
        let request = review["request"].clone();
        let policy = policy_host::Policy::replaying(
            &module,
            json!({"cluster_lookup": true}),
            true,
            session.cycling(),
        )
        .unwrap();
        c.bench_function(
            &format!("validate {case} (cluster_lookup: {lookups}, host time excluded)"),
            |b| {
                b.iter_custom(|iterations| {
                    let host_before = policy.session().host_time;
                    let started = std::time::Instant::now();
                    for _ in 0..iterations {
                        std::hint::black_box(policy.validate(&request));
                    }
                    let host = policy.session().host_time - host_before;
                    started.elapsed().saturating_sub(host)
                });
            },
        );
    }
}

criterion_group!(benches, validate);
criterion_main!(benches);
