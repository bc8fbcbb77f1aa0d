//! The objects of one run that rules follow references to, by namespace and name: a Pod's
//! pull Secrets and its ServiceAccount, wherever in the run they are defined.

/// The index's maps: names come from the input, and the index holds one entry per Secret
/// of the run (160,000 in one file is a case the hostile-input table measures), where SipHash
/// cost a tenth of the run; foldhash is seeded per process, so an input cannot choose
/// colliding names.
type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

use crate::facts::{ApiServerFact, FileFacts, KubeletFact, SecretFact, ServiceAccountFact};
pub use crate::file::namespace_of;

/// namespace → name → what is defined there (usually one; more when a run defines it twice).
#[derive(Debug)]
struct ByName<T>(HashMap<Box<str>, HashMap<Box<str>, Vec<T>>>);

impl<T> Default for ByName<T> {
    fn default() -> Self {
        Self(HashMap::default())
    }
}

impl<T: Located> ByName<T> {
    /// Keeps each list in file order whatever order facts arrive in, so lookups are
    /// deterministic even when files are read in parallel.
    fn insert(&mut self, namespace: &str, name: &str, value: T) {
        let list = self
            .0
            .entry(namespace.into())
            .or_default()
            .entry(name.into())
            .or_default();
        let key = value.order_key();
        let at = list.partition_point(|existing| existing.order_key() <= key);
        list.insert(at, value);
    }
}

impl<T> ByName<T> {
    fn get(&self, namespace: &str, name: &str) -> &[T] {
        self.0
            .get(namespace)
            .and_then(|names| names.get(name))
            .map_or(&[], Vec::as_slice)
    }
}

/// Facts sort by where they are written.
trait Located {
    fn order_key(&self) -> (&std::path::Path, u32);
}

impl Located for SecretFact {
    fn order_key(&self) -> (&std::path::Path, u32) {
        (
            std::path::Path::new(&*self.location.file),
            self.location.span.start,
        )
    }
}

impl Located for ServiceAccountFact {
    fn order_key(&self) -> (&std::path::Path, u32) {
        (
            std::path::Path::new(&*self.location.file),
            self.location.span.start,
        )
    }
}

#[derive(Debug, Default)]
pub struct Index {
    secrets: ByName<SecretFact>,
    /// Secret name → the namespaces that define it, sorted and unique (a lookup per missing
    /// pull secret would otherwise visit every namespace of the run).
    secret_namespaces: HashMap<Box<str>, Vec<Box<str>>>,
    service_accounts: ByName<ServiceAccountFact>,
    api_servers: Vec<ApiServerFact>,
    kubelets: Vec<KubeletFact>,
}

impl Index {
    /// Adds a file's facts. Add files in a fixed order: lookups return facts in that order.
    pub fn add(&mut self, facts: FileFacts) {
        for secret in facts.secrets {
            let (namespace, name) = (secret.namespace.clone(), secret.name.clone());
            let namespaces = self.secret_namespaces.entry(name.clone()).or_default();
            if let Err(at) = namespaces.binary_search(&namespace) {
                namespaces.insert(at, namespace.clone());
            }
            self.secrets.insert(&namespace, &name, secret);
        }
        for account in facts.service_accounts {
            let (namespace, name) = (account.namespace.clone(), account.name.clone());
            self.service_accounts.insert(&namespace, &name, account);
        }
        if !facts.api_servers.is_empty() {
            self.api_servers.extend(facts.api_servers);
            self.api_servers
                .sort_by(|a, b| file_order(&a.location, &b.location));
        }
        if !facts.kubelets.is_empty() {
            self.kubelets.extend(facts.kubelets);
            self.kubelets
                .sort_by(|a, b| file_order(&a.location, &b.location));
        }
    }

    /// The kube-apiservers of the run, in file order.
    pub fn api_servers(&self) -> &[ApiServerFact] {
        &self.api_servers
    }

    /// The KubeletConfigurations of the run, in file order.
    pub fn kubelets(&self) -> &[KubeletFact] {
        &self.kubelets
    }

    /// Secrets named `name` in `namespace`.
    pub fn secrets(&self, namespace: &str, name: &str) -> &[SecretFact] {
        self.secrets.get(namespace, name)
    }

    /// The namespaces that have a Secret named `name`, sorted.
    pub fn secret_namespaces(&self, name: &str) -> Vec<&str> {
        self.secret_namespaces
            .get(name)
            .map_or_else(Vec::new, |found| found.iter().map(|n| &**n).collect())
    }

    pub fn service_accounts(&self, namespace: &str, name: &str) -> &[ServiceAccountFact] {
        self.service_accounts.get(namespace, name)
    }
}

/// Paths compared component by component, as the CLI walks them, then positions.
fn file_order(
    a: &crate::diagnostic::Location,
    b: &crate::diagnostic::Location,
) -> std::cmp::Ordering {
    std::path::Path::new(&*a.file)
        .cmp(std::path::Path::new(&*b.file))
        .then(a.span.start.cmp(&b.span.start))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::file::FileAnalysis;

    #[test]
    fn finds_objects_across_files_by_namespace() {
        let mut index = Index::default();
        for (name, text) in [
            (
                "a.yaml",
                "kind: Secret\nmetadata: {name: reg, namespace: team}\n",
            ),
            ("b.yaml", "kind: Secret\nmetadata: {name: reg}\n"),
        ] {
            index.add(FileFacts::collect(
                &FileAnalysis::read_text(name, text, true),
                "default",
            ));
        }
        assert_eq!(&*index.secrets("team", "reg")[0].location.file, "a.yaml");
        assert_eq!(&*index.secrets("default", "reg")[0].location.file, "b.yaml");
        assert!(index.secrets("other", "reg").is_empty());
        assert_eq!(index.secret_namespaces("reg"), ["default", "team"]);
    }
}
