//! imglint for JavaScript: the functions `wasm/js/package/` wraps. Everything crosses the
//! boundary as JSON text, so the report is byte for byte the one `imglint lint --format json`
//! prints, and the JS side only calls `JSON.parse`.
//!
//! Errors in options become thrown `Error`s (a `JsError`); a panic (a bug) is recorded by the
//! panic hook, and the JS wrapper turns the resulting trap into an `Error` with that message.

mod options;

use std::sync::Mutex;

use imglint_core::rules::catalogue;
use imglint_core::{ImageInfo, lint_text};
use wasm_bindgen::prelude::*;

use options::LintOptions;

/// The report of `lint(text, options)`, as JSON. Invalid options (unknown key, bad value,
/// invalid config) throw an `Error` naming the option.
#[wasm_bindgen(js_name = lintJson)]
pub fn lint_json(text: &str, options_json: &str) -> Result<String, JsError> {
    let throw = |error: options::OptionsError| JsError::new(&error.0);
    let options = LintOptions::from_json(options_json).map_err(throw)?;
    let config = options.config().map_err(throw)?;
    Ok(lint_text(&options.file, text, &config).to_json())
}

/// `imglint image --format json` for one reference: the element of its array.
#[wasm_bindgen(js_name = parseImageJson)]
pub fn parse_image_json(reference: &str) -> String {
    serde_json::to_string(&ImageInfo::of(reference)).unwrap_or_default()
}

/// `imglint rules --format json`.
#[wasm_bindgen(js_name = rulesJson)]
pub fn rules_json() -> String {
    serde_json::to_string(&catalogue::catalogue()).unwrap_or_default()
}

#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The message of the last panic, taken (the JS wrapper reads it after a trap).
static PANIC_MESSAGE: Mutex<Option<String>> = Mutex::new(None);

#[wasm_bindgen(js_name = takePanicMessage)]
pub fn take_panic_message() -> Option<String> {
    PANIC_MESSAGE
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .take()
}

/// Records panics instead of printing them: with `panic = "abort"` the module traps right after,
/// and the wrapper throws an `Error` carrying this message.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        let message = match info.payload().downcast_ref::<&str>() {
            Some(text) => (*text).to_owned(),
            None => info
                .payload()
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_else(|| "panic".to_owned()),
        };
        let location = info
            .location()
            .map(|at| format!(" at {}:{}", at.file(), at.line()))
            .unwrap_or_default();
        *PANIC_MESSAGE
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some(format!("{message}{location}"));
    }));
}

/// A deliberate panic, for the test that checks the wrapper turns it into an `Error`.
#[doc(hidden)]
#[wasm_bindgen(js_name = __panicForTests)]
pub fn panic_for_tests() {
    panic!("deliberate panic for the tests");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(text: &str, options: &str) -> serde_json::Value {
        serde_json::from_str(&lint_json(text, options).unwrap()).unwrap()
    }

    /// The JS face reads text through the core's `lint_text`, so it has the CLI's limits on
    /// hostile input (docs/architecture.md, "Limits on hostile input").
    #[test]
    fn hostile_text_meets_the_cli_limits() {
        let huge = "#".repeat(imglint_core::limits::MAX_INPUT_BYTES + 1);
        let refused = report(&huge, r#"{"file": "huge.yaml"}"#);
        assert_eq!(refused["diagnostics"], serde_json::json!([]));
        assert_eq!(refused["errors"][0]["file"], "huge.yaml");
        assert!(
            refused["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("reads at most 16777216 bytes")
        );

        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for level in 1..8u8 {
            let (prev, name) = ((b'a' + level - 1) as char, (b'a' + level) as char);
            bomb.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            ));
        }
        bomb.push_str("---\nkind: Pod\nspec: {containers: [{name: a, image: nginx:latest}]}\n");
        let linted = report(&bomb, "{}");
        assert_eq!(linted["diagnostics"][0]["code"], "IMG001");
        // At the alias whose expansion crosses go-yaml's ratio.
        assert_eq!(linted["diagnostics"][0]["line"], 4);
        assert_eq!(
            linted["diagnostics"][1]["code"], "IMG103",
            "the next document is linted"
        );

        let deep = format!("a: {}{}\n", "[".repeat(1_000_000), "]".repeat(1_000_000));
        let linted = report(&deep, "{}");
        assert_eq!(linted["diagnostics"][0]["code"], "IMG001");
        assert_eq!(linted["diagnostics"][0]["line"], 1);

        let long = format!(
            "kind: Pod\nspec:\n  containers:\n  - name: a\n    image: {}\n",
            "a".repeat(1 << 20)
        );
        let linted = report(&long, "{}");
        let message = linted["diagnostics"][0]["message"].as_str().unwrap();
        assert_eq!(linted["diagnostics"][0]["code"], "IMG101");
        assert!(message.len() < 400, "{}", message.len());
    }
}
