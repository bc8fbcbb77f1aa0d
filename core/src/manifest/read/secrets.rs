//! Secrets (keys and where each value is, never the values: `secret_content` checks those
//! while the tree is still in memory) and ServiceAccounts.

use super::reader::Reader;
use crate::manifest::model::{Secret, SecretEntry, ServiceAccount, Spanned};
use crate::manifest::secret_content::{self, RawValue};
use crate::manifest::tree::{NodeId, ScalarKind};
use crate::source::Span;

impl<'t> Reader<'t, '_> {
    pub(super) fn secret(
        &mut self,
        secret_type: Option<NodeId>,
        data: Option<NodeId>,
        string_data: Option<NodeId>,
        kind_span: Span,
    ) -> Secret {
        let secret_type = self.text(secret_type, "type");
        let values = |this: &mut Self,
                      node: Option<NodeId>,
                      field: &str|
         -> (Vec<SecretEntry>, Vec<RawValue<'t>>) {
            let Some(map) = this.mapping(node, field) else {
                return (Vec::new(), Vec::new());
            };
            let mut entries = Vec::new();
            let mut raw = Vec::new();
            let tree = this.tree;
            for &(key, value) in tree.entries(map) {
                let value_span = tree.span(value);
                let Some(key_text) = tree.key(key) else {
                    continue;
                };
                let text = match tree.scalar(value) {
                    // JSON null decodes to no bytes (`"a": null` is an empty value).
                    Some(s) if s.kind == ScalarKind::Null => "",
                    Some(s) if s.kind == ScalarKind::String => &*s.text,
                    _ => {
                        // The value is never quoted back: it may be secret material; nor is
                        // a key that is not a valid data key (`password:hunter2`).
                        let found = tree.node(value).describe();
                        let key = crate::redaction::quoted_key(key_text);
                        this.error(
                            value_span,
                            format!("`{field}.{key}` must be a string, found {found}"),
                            None,
                        );
                        continue;
                    }
                };
                let key_span = tree.span(key);
                entries.push(SecretEntry {
                    key: Spanned {
                        value: key_text.into(),
                        span: key_span,
                    },
                    value_span,
                });
                raw.push(RawValue {
                    key: key_text,
                    key_span,
                    text,
                    span: value_span,
                });
            }
            (entries, raw)
        };
        let (data, raw_data) = values(self, data, "data");
        let (string_data, raw_string_data) = values(self, string_data, "stringData");
        let docker_config = secret_content::analyze(
            secret_type.as_ref(),
            kind_span,
            &raw_data,
            &raw_string_data,
            &mut self.errors,
        );
        Secret {
            secret_type,
            data,
            string_data,
            docker_config,
        }
    }

    pub(super) fn service_account(&mut self, pull_secrets: Option<NodeId>) -> ServiceAccount {
        ServiceAccount {
            image_pull_secrets: self.pull_secrets(pull_secrets),
        }
    }
}
