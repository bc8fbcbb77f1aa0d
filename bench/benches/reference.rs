//! Reference parsing throughput: imglint against oci-spec's `distribution::Reference` in the
//! same run, on the conformance inputs and on a realistic mix of manifest images.
//!
//! `cargo bench -p imglint-bench --bench reference`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imglint_core::reference::parse_normalized;
use oci_spec::distribution::Reference;

/// Images as they appear in manifests: short Docker Hub names, registries with ports, cloud
/// registries, digests.
const REALISTIC: &[&str] = &[
    "nginx",
    "nginx:1.27",
    "redis:7.2-alpine",
    "busybox:latest",
    "bitnami/postgresql:16.3.0",
    "registry.k8s.io/pause:3.9",
    "registry.k8s.io/ingress-nginx/controller:v1.10.1",
    "gcr.io/google-samples/gb-frontend:v5",
    "us-docker.pkg.dev/acme-prod/images/api:2024.05.01",
    "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/service:1.4.2",
    "acme.azurecr.io/payments/worker:3.1.0",
    "quay.io/prometheus/node-exporter:v1.8.1",
    "ghcr.io/acme/api:1.2.3@sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "docker.io/library/alpine@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
    "localhost:5000/dev/app",
    "registry.example.com:5000/team/app/sub:v1",
];

fn conformance_inputs() -> Vec<String> {
    // The vectors are at the repository's root (conformance/README.md says where they come from).
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../conformance/reference.json");
    let text = std::fs::read_to_string(path).expect("conformance/reference.json");
    let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    value["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| case["input"].as_str().expect("input").to_owned())
        .collect()
}

fn bench_set(c: &mut Criterion, group_name: &str, inputs: &[&str]) {
    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(inputs.len() as u64));
    group.bench_function("imglint", |b| {
        b.iter(|| {
            for input in inputs {
                let _ = black_box(parse_normalized(black_box(input)));
            }
        });
    });
    // The same work oci-spec does: normalised, owned strings.
    group.bench_function("imglint+normalized-string", |b| {
        b.iter(|| {
            for input in inputs {
                if let Ok(reference) = parse_normalized(black_box(input)) {
                    black_box(reference.normalized().to_string());
                }
            }
        });
    });
    group.bench_function("oci-spec", |b| {
        b.iter(|| {
            for input in inputs {
                let _ = black_box(Reference::try_from(black_box(*input)));
            }
        });
    });
    group.finish();
}

fn references(c: &mut Criterion) {
    let conformance = conformance_inputs();
    let conformance: Vec<&str> = conformance.iter().map(String::as_str).collect();
    bench_set(c, "conformance", &conformance);
    bench_set(c, "realistic", REALISTIC);
}

criterion_group!(benches, references);
criterion_main!(benches);
