//! The waPC entry points the policy-evaluator calls: `protocol_version`, `validate_settings`,
//! `validate`.

use kubewarden_policy_sdk::response::ValidationResponse;
use kubewarden_policy_sdk::settings::SettingsValidationResponse;
use kubewarden_policy_sdk::wapc_guest::{self as guest, CallResult};

use crate::cluster::{Answer, Cluster, ResourceRequest};
use crate::{Settings, evaluate};

#[allow(unsafe_code)] // the host finds the entry point by this exact name
#[unsafe(no_mangle)]
pub extern "C" fn wapc_init() {
    guest::register_function(
        "protocol_version",
        kubewarden_policy_sdk::protocol_version_guest,
    );
    guest::register_function("validate_settings", validate_settings);
    guest::register_function("validate", validate);
}

/// Always answers `{valid, message}`, also for settings that are not even JSON.
fn validate_settings(payload: &[u8]) -> CallResult {
    let result = serde_json::from_slice(payload)
        .map_err(|error| format!("settings are not JSON: {error}"))
        .and_then(|value| Settings::from_value(&value));
    let response = SettingsValidationResponse {
        valid: result.is_ok(),
        message: result.err(),
    };
    Ok(serde_json::to_vec(&response)?)
}

/// The cluster as Kubewarden's host capability shows it (`kubernetes/get_resource`).
struct HostCluster;

impl Cluster for HostCluster {
    fn get_resource(&mut self, request: &ResourceRequest) -> Answer {
        match guest::host_call(
            "kubewarden",
            "kubernetes",
            "get_resource",
            &request.payload(),
        ) {
            Ok(payload) => request.answer(&payload),
            Err(error) => request.error(&error.to_string()),
        }
    }
}

fn validate(payload: &[u8]) -> CallResult {
    let verdict = evaluate(payload, &mut HostCluster)?;
    let response = ValidationResponse {
        accepted: verdict.accepted,
        message: verdict.message,
        code: verdict.code,
        mutated_object: verdict.mutated_object,
        audit_annotations: None,
        warnings: (!verdict.warnings.is_empty()).then_some(verdict.warnings),
    };
    Ok(serde_json::to_vec(&response)?)
}
