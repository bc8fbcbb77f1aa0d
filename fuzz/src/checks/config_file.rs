//! `config_file`: any text as `.imglint.yaml` (also the wasm module's `config` option and the
//! Kubewarden policy's settings, which go through the same reader).
//!
//! Invariants: no panic; an error list is never empty and every error lies within the text on
//! character boundaries, with a message; reading a file twice gives the same result; a config
//! that reads without errors reads again over itself to the same config, and lints a manifest.

use imglint_core::source::LineIndex;
use imglint_core::{Config, lint_text};

use super::assert_span;

/// Exercises what config settings change: registries, pull secrets, tenancy, rule levels.
const MANIFEST: &str = "\
apiVersion: v1
kind: Pod
metadata:
  name: web
  namespace: shop
  annotations:
    imglint.dev/ignore: \"IMG105 -- pinned on purpose\"
spec:
  imagePullSecrets:
  - name: pull
  containers:
  - name: web
    image: registry.example.com/shop/web:1.2@sha256:0000000000000000000000000000000000000000000000000000000000000000
    imagePullPolicy: IfNotPresent
  - name: side
    image: nginx
---
apiVersion: v1
kind: Secret
metadata:
  name: pull
  namespace: shop
type: kubernetes.io/dockerconfigjson
stringData:
  .dockerconfigjson: '{\"auths\": {\"ghcr.io\": {\"auth\": \"dTpw\"}}}'
";

pub fn check(data: &[u8]) {
    let Some(text) = super::text(data) else {
        return;
    };
    let read = Config::from_yaml(text);
    assert_eq!(read, Config::from_yaml(text), "reading is deterministic");
    match read {
        Ok(config) => {
            let mut again = config.clone();
            again
                .apply_yaml(text)
                .unwrap_or_else(|errors| panic!("a valid config fails over itself: {errors:?}"));
            assert_eq!(again, config, "applying a config twice changes it");
            let _ = config.rule_settings();
            let report = lint_text("pod.yaml", MANIFEST, &config);
            for (file, diagnostic) in report.diagnostics() {
                assert_span(MANIFEST, diagnostic.span, diagnostic.rule.code);
                let _ = file.position(diagnostic.span);
            }
            serde_json::from_str::<serde_json::Value>(&report.to_json())
                .expect("the JSON report is JSON");
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "an error result without errors");
            let lines = LineIndex::new(text);
            for error in &errors {
                assert_span(text, error.span, "config error");
                assert!(!error.message.is_empty(), "an empty config error message");
                let _ = lines.line_column(text, error.span.start);
            }
        }
    }
}
