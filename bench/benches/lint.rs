//! The engine end to end in memory: read, collect facts, lint, across a generated multi-tenant
//! set where every pod resolves pull secrets (its own or its ServiceAccount's) and every rule
//! runs, including the keyring matching of IMG305 and the tenancy rules.
//!
//! `cargo bench -p imglint-bench --bench lint`

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use imglint_core::config::{RuleSelector, SecretsCompleteness, Tenancy};
use imglint_core::{Config, FileAnalysis, lint};

/// `namespaces` files, each a namespace with a pull Secret, a ServiceAccount, a Deployment
/// with its own pull secrets and a Job that takes the ServiceAccount's.
fn tenants(namespaces: usize) -> Vec<(String, String)> {
    (0..namespaces)
        .map(|n| {
            let mut text = String::new();
            let _ = write!(
                text,
                "apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\n  namespace: tenant-{n}\ntype: kubernetes.io/dockerconfigjson\nstringData:\n  .dockerconfigjson: '{{\"auths\": {{\"registry.example.com\": {{\"auth\": \"dXNlcjpwYXNz\"}}, \"*.azurecr.io\": {{\"username\": \"u\", \"password\": \"p\"}}}}}}'\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n  namespace: tenant-{n}\nimagePullSecrets:\n- name: regcred\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: tenant-{n}\nspec:\n  template:\n    spec:\n      imagePullSecrets:\n      - name: regcred\n      - name: missing\n      containers:\n      - name: web\n        image: registry.example.com/tenant-{n}/web:1.{n}.0\n        imagePullPolicy: IfNotPresent\n      - name: proxy\n        image: acme.azurecr.io/proxy:2.0.{n}\n      - name: exporter\n        image: quay.io/prometheus/nginx-exporter:1.3.0\n---\napiVersion: batch/v1\nkind: Job\nmetadata:\n  name: report\n  namespace: tenant-{n}\nspec:\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: report\n        image: registry.example.com:5000/report:latest\n"
            );
            (format!("tenant-{n}.yaml"), text)
        })
        .collect()
}

fn lint_tenants(c: &mut Criterion) {
    let files = tenants(200);
    let bytes: usize = files.iter().map(|(_, text)| text.len()).sum();
    let config = Config {
        tenancy: Tenancy::Multi,
        secrets: SecretsCompleteness::Complete,
        allowed_registries: vec![
            "registry.example.com".to_owned(),
            "quay.io/prometheus".to_owned(),
        ],
        select: Some(vec![RuleSelector::parse("ALL").unwrap()]),
        ..Config::default()
    };
    let mut group = c.benchmark_group("lint");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("200 tenants, all rules", |b| {
        b.iter(|| {
            let analyses = files
                .iter()
                .map(|(name, text)| FileAnalysis::read_text(name.clone(), text, false))
                .collect();
            black_box(lint(analyses, &config, Vec::new()))
        });
    });
    group.finish();
}

criterion_group!(benches, lint_tenants);
criterion_main!(benches);
