//! A host for the Kubewarden policy that does what Kubewarden's policy-evaluator does with a
//! `kubewarden-wapc` policy: instantiate the module with wasmtime and WASI through waPC, ask
//! `protocol_version`, check the settings with `validate_settings`, then call `validate` with
//! `{"settings", "request"}`, turn a mutated object into a JSON patch, and refuse a mutation
//! when the metadata says `mutating: false`. Host capability calls are answered from a
//! recorded session, as `kwctl run --replay-host-capabilities-interactions` answers them
//! (`Session`).
//!
//! The library of `imglint-e2e`: `policy.rs` tests the policy through it, and bench/'s
//! `policy_validate` measures it.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

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

/// Host capability exchanges in kwctl's session format (`kwctl run
/// --record-host-capabilities-interactions`): a YAML list of `{type: Exchange, request: <the
/// request as YAML, e.g. `!KubernetesGetResource` and its fields>, response: {type: Success,
/// payload} | {type: Error, message}}`. Replayed in order, as kwctl replays them: each call
/// must be the next recorded request, or the call fails.
#[derive(Debug, Default)]
pub struct Session {
    exchanges: VecDeque<(Value, Result<String, String>)>,
    /// Every call the policy made, as `binding/namespace/operation` and its payload.
    pub calls: Vec<(String, Value)>,
    /// Calls that did not match the recording (wrong request, or none left).
    pub mismatches: Vec<String>,
    /// Replays the exchanges again and again (benchmarks), instead of once.
    cycle: bool,
    /// Time spent answering, so that a benchmark can leave the host's own time out.
    pub host_time: std::time::Duration,
}

impl Session {
    /// Reads a session file's text.
    ///
    /// # Panics
    /// On a file that is not in kwctl's format.
    pub fn from_yaml(text: &str) -> Self {
        let recorded: Vec<Value> = serde_yaml_ng::from_str(text).expect("a session file");
        let exchanges = recorded
            .iter()
            .map(|exchange| {
                assert_eq!(exchange["type"], "Exchange", "{exchange}");
                let request = exchange["request"].as_str().expect("request is YAML text");
                let response = &exchange["response"];
                let answer = match response["type"].as_str() {
                    Some("Success") => Ok(response["payload"].as_str().unwrap().to_owned()),
                    Some("Error") => Err(response["message"].as_str().unwrap().to_owned()),
                    _ => panic!("unknown response {response}"),
                };
                (recorded_request(request), answer)
            })
            .collect();
        Self {
            exchanges,
            ..Self::default()
        }
    }

    /// The waPC host call: the next recorded answer, as the policy-evaluator hands it over (an
    /// error reaches the guest as `Callback evaluation failure: …`).
    fn answer(&mut self, call: &str, payload: &[u8]) -> Result<Vec<u8>, String> {
        let started = std::time::Instant::now();
        let answer = self.replay(call, payload);
        self.host_time += started.elapsed();
        answer
    }

    fn replay(&mut self, call: &str, payload: &[u8]) -> Result<Vec<u8>, String> {
        let payload: Value = serde_json::from_slice(payload).unwrap_or(Value::Null);
        self.calls.push((call.to_owned(), payload.clone()));
        let request = match call {
            "kubewarden/kubernetes/get_resource" => {
                let mut request = json!({"KubernetesGetResource": payload});
                // The SDK's optional field: absent and null are the same request.
                if let Some(fields) = request["KubernetesGetResource"].as_object_mut()
                    && fields.get("field_masks").is_some_and(Value::is_null)
                {
                    fields.remove("field_masks");
                }
                request
            }
            _ => json!({"unexpected host call": call}),
        };
        if self.cycle {
            // A benchmark makes millions of calls: keep only the last.
            self.calls.drain(..self.calls.len() - 1);
        }
        let Some((expected, answer)) = self.exchanges.pop_front() else {
            self.mismatches.push(format!(
                "{request}: the list of recorded responses is empty"
            ));
            return Err("the list of recorded responses is empty".to_owned());
        };
        if expected != request {
            let mismatch = format!(
                "Replay error: unexpected request. Was expecting {expected}, got {request} instead"
            );
            self.mismatches.push(mismatch.clone());
            return Err(mismatch);
        }
        if self.cycle {
            self.exchanges.push_back((expected, answer.clone()));
        }
        answer
            .map(String::into_bytes)
            .map_err(|message| format!("Callback evaluation failure: {message}"))
    }

    /// The same session, replayed in a loop: after its last exchange comes its first again.
    #[must_use]
    pub fn cycling(mut self) -> Self {
        self.cycle = true;
        self
    }

    /// Recorded exchanges the policy never asked for.
    pub fn leftover(&self) -> usize {
        self.exchanges.len()
    }
}

/// A recorded request (`!KubernetesGetResource\napi_version: v1\n…`) as `{variant: fields}`.
fn recorded_request(text: &str) -> Value {
    let (tag, fields) = text.split_once('\n').unwrap_or((text, ""));
    let variant = tag.trim().trim_start_matches('!');
    let mut fields: Value = serde_yaml_ng::from_str(fields).expect("the request's fields");
    if let Some(map) = fields.as_object_mut()
        && map.get("field_masks").is_some_and(Value::is_null)
    {
        map.remove("field_masks");
    }
    json!({ variant: fields })
}

pub struct Policy {
    host: wapc::WapcHost,
    settings: Value,
    mutating: bool,
    session: Arc<Mutex<Session>>,
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
        Self::replaying(module, settings, mutating, Session::default())
    }

    /// Loads the module with host capability calls answered from `session`.
    ///
    /// # Errors
    /// The message of `validate_settings` when it answers `valid: false`.
    pub fn replaying(
        module: &[u8],
        settings: Value,
        mutating: bool,
        session: Session,
    ) -> Result<Self, String> {
        let engine = wasmtime_provider::WasmtimeEngineProviderBuilder::new()
            .module_bytes(module)
            .wasi_params(wapc::WasiParams::default())
            .build()
            .expect("the policy instantiates");
        let session = Arc::new(Mutex::new(session));
        let answering = Arc::clone(&session);
        let host = wapc::WapcHost::new(
            Box::new(engine),
            Some(Box::new(
                move |_, binding, namespace, operation, payload| {
                    answering
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .answer(&format!("{binding}/{namespace}/{operation}"), payload)
                        .map_err(Into::into)
                },
            )),
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
            session,
        })
    }

    /// The host calls made so far, and what did not match the session.
    pub fn session(&self) -> std::sync::MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(PoisonError::into_inner)
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
