use crate::api_validation::pull_secret_warnings;
use crate::manifest::model::{Content, PullSecretList, PullSecretRef};
use crate::rules::context::{Context, ObjectCheck};
use crate::rules::rule::{Rule, declare_rule};

declare_rule! {
    /// ## What it does
    /// Reports the same name twice in `imagePullSecrets`, or an entry with an empty name, in a
    /// pod spec or a ServiceAccount (whose list is copied into pods verbatim). An entry without
    /// `name` at all is IMG002.
    ///
    /// ## Why is this bad?
    /// The API server accepts both with a warning (`duplicate name`, `invalid empty name`). An
    /// empty name refers to no Secret, and on a pod it still counts as "has pull secrets", so
    /// the ServiceAccount's pull secrets are not copied in.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   imagePullSecrets:
    ///   - name: regcred
    ///   - name: regcred
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    ///
    /// ## How to fix
    /// List each Secret once, with its name.
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    /// spec:
    ///   imagePullSecrets:
    ///   - name: regcred
    ///   containers:
    ///   - name: web
    ///     image: registry.example.com/web:1.4.2
    /// ```
    pub struct DuplicateOrEmptyPullSecret {
        code: "IMG308",
        name: "duplicate-or-empty-pull-secret",
        category: Registries,
        severity: Warning,
        default: on,
        fix: false,
    }
}

impl Rule for DuplicateOrEmptyPullSecret {
    fn check_object(&self, check: &ObjectCheck<'_>, ctx: &mut Context<'_>) {
        match &check.object.content {
            Content::Workload(pod) => {
                if let Some(list) = &pod.image_pull_secrets {
                    report(list, pod.path, true, ctx);
                }
            }
            Content::ServiceAccount(account) => {
                if let Some(list) = &account.image_pull_secrets {
                    report(list, "", false, ctx);
                }
            }
            _ => {}
        }
    }
}

fn report(list: &PullSecretList, path: &str, in_pod: bool, ctx: &mut Context<'_>) {
    let names: Vec<&str> = list.entries.iter().map(PullSecretRef::name).collect();
    let warnings = pull_secret_warnings(path, &names);
    let field = if path.is_empty() {
        String::new()
    } else {
        format!("{path}.")
    };
    // A pod that lists any entry, even only empty ones, keeps its list: the ServiceAccount
    // admission plugin copies the ServiceAccount's pull secrets only into an empty list.
    let blocks_service_account = in_pod && names.iter().all(|name| name.is_empty());
    // Each entry's first warning, by the field it names (`….imagePullSecrets[3].name`), so that
    // a long list is not searched once per entry.
    let mut by_field: std::collections::HashMap<&str, &str> = std::collections::HashMap::new();
    for warning in &warnings {
        // Without a path (a ServiceAccount) the warning starts with `.imagePullSecrets`.
        let warning = warning.strip_prefix('.').unwrap_or(warning);
        if let Some((field, _)) = warning.split_once(": ") {
            by_field.entry(field).or_insert(warning);
        }
    }
    for (index, entry) in list.entries.iter().enumerate() {
        let name = entry.name();
        // Entries without `name` are IMG002; here an explicit `name: ""`.
        let Some(written) = &entry.name else { continue };
        let prefix = format!("{field}imagePullSecrets[{index}].name");
        let Some(&warning) = by_field.get(prefix.as_str()) else {
            continue;
        };
        let message = if name.is_empty() {
            "pull secret entry has an empty name".to_owned()
        } else {
            format!("pull secret `{name}` is listed more than once")
        };
        // The API server's warnings (pkg/api/pod/warnings.go) are for pods and templates; a
        // ServiceAccount's list reaches pods as it is written.
        let mut help = if in_pod {
            format!("the API server warns `{warning}`")
        } else {
            "the ServiceAccount admission plugin copies the list as written into every pod that lists no pull secrets of its own".to_owned()
        };
        if name.is_empty() {
            help.push_str("; the kubelet skips the entry");
            if blocks_service_account {
                help.push_str(
                    ", and because the list is not empty the ServiceAccount's pull secrets are not copied into the pod: remove the entry",
                );
            }
        } else if !in_pod {
            help.push_str(": remove the repeated name");
        }
        ctx.report(written.span, message).help(help);
    }
}
