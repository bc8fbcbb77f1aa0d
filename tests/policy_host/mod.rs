//! A host for the Kubewarden policy that does what Kubewarden's policy-evaluator does with a
//! `kubewarden-wapc` policy: instantiate the module with wasmtime and WASI through waPC, ask
//! `protocol_version`, check the settings with `validate_settings`, then call `validate` with
//! `{"settings", "request"}`, turn a mutated object into a JSON patch, and refuse a mutation
//! when the metadata says `mutating: false`.
//!
//! The library of `imglint-e2e`: `policy.rs` tests the policy through it, and bench/'s
//! `policy_validate` measures it.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// The repository's root (this package is its `tests/`).
pub fn repository_root() -> &'static Path {
    let package = Path::new(env!("CARGO_MANIFEST_DIR"));
    package.parent().unwrap_or(package)
}

/// The built policy (`scripts/build-wasm`).
pub fn policy_path() -> PathBuf {
    std::env::var_os("IMGLINT_POLICY_WASM").map_or_else(
        || repository_root().join("target/wasm32-wasip1/release/imglint_kubewarden.wasm"),
        PathBuf::from,
    )
}

pub fn metadata() -> Value {
    let text = std::fs::read_to_string(repository_root().join("wasm/policy/metadata.yml")).unwrap();
    serde_yaml_ng::from_str(&text).unwrap()
}

/// The request of an AdmissionReview of `admission/`.
pub fn review(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("admission")
        .join(name);
    let review: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    review["request"].clone()
}

pub struct Policy {
    host: wapc::WapcHost,
    settings: Value,
    mutating: bool,
}

/// What the evaluator sends back to the API server.
#[derive(Debug)]
pub struct AdmissionResponse {
    pub allowed: bool,
    pub message: Option<String>,
    pub code: Option<u64>,
    pub warnings: Vec<String>,
    /// RFC 6902 patch from the request's object to the mutated one.
    pub patch: Option<Value>,
}

impl Policy {
    /// Loads the module, checks the protocol version and the settings.
    ///
    /// # Errors
    /// The message of `validate_settings` when it answers `valid: false`.
    pub fn load(module: &[u8], settings: Value, mutating: bool) -> Result<Self, String> {
        let engine = wasmtime_provider::WasmtimeEngineProviderBuilder::new()
            .module_bytes(module)
            .wasi_params(wapc::WasiParams::default())
            .build()
            .expect("the policy instantiates");
        let host = wapc::WapcHost::new(
            Box::new(engine),
            Some(Box::new(|_, binding, namespace, operation, _| {
                Err(format!("unexpected host call {binding}/{namespace}/{operation}").into())
            })),
        )
        .expect("a waPC host");
        let version: Value =
            serde_json::from_slice(&host.call("protocol_version", b"").unwrap()).unwrap();
        assert_eq!(version, json!("v1"));
        let answer: Value = serde_json::from_slice(
            &host
                .call("validate_settings", settings.to_string().as_bytes())
                .unwrap(),
        )
        .unwrap();
        if answer["valid"] != json!(true) {
            return Err(answer["message"].as_str().unwrap_or_default().to_owned());
        }
        Ok(Self {
            host,
            settings,
            mutating,
        })
    }

    /// `validate` on an AdmissionReview's `request`.
    pub fn validate(&self, request: &Value) -> AdmissionResponse {
        let payload = json!({"settings": self.settings, "request": request});
        let answer: Value = serde_json::from_slice(
            &self
                .host
                .call("validate", payload.to_string().as_bytes())
                .unwrap(),
        )
        .unwrap();
        let warnings = answer["warnings"]
            .as_array()
            .map(|w| {
                w.iter()
                    .filter_map(|w| w.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default();
        let patch = answer
            .get("mutated_object")
            .filter(|object| !object.is_null())
            .map(|mutated| {
                serde_json::to_value(json_patch::diff(&request["object"], mutated)).unwrap()
            });
        if patch.is_some() && !self.mutating {
            return AdmissionResponse {
                allowed: false,
                message: Some(
                    "the policy attempted to mutate the request, but it is configured to not allow mutations"
                        .to_owned(),
                ),
                code: Some(500),
                warnings,
                patch: None,
            };
        }
        AdmissionResponse {
            allowed: answer["accepted"] == json!(true),
            message: answer["message"].as_str().map(str::to_owned),
            code: answer["code"].as_u64(),
            warnings,
            patch,
        }
    }
}
