//! kube-apiserver's admission plugin flags (`pkg/kubeapiserver/options/plugins.go` and
//! `admission.go`, apiserver `pkg/server/options/admission.go`): which plugins run.

/// Every registered plugin, in the fixed order they run (`AllOrderedPlugins`).
pub const RECOMMENDED_ORDER: [&str; 36] = [
    "AlwaysAdmit",
    "NamespaceAutoProvision",
    "NamespaceLifecycle",
    "NamespaceExists",
    "LimitPodHardAntiAffinityTopology",
    "LimitRanger",
    "ServiceAccount",
    "NodeRestriction",
    "TaintNodesByCondition",
    "AlwaysPullImages",
    "ImagePolicyWebhook",
    "PodSecurity",
    "PodNodeSelector",
    "Priority",
    "DefaultTolerationSeconds",
    "PodTolerationRestriction",
    "EventRateLimit",
    "ExtendedResourceToleration",
    "DefaultStorageClass",
    "StorageObjectInUseProtection",
    "OwnerReferencesPermissionEnforcement",
    "PersistentVolumeClaimResize",
    "RuntimeClass",
    "CertificateApproval",
    "CertificateSigning",
    "ClusterTrustBundleAttest",
    "CertificateSubjectRestriction",
    "DefaultIngressClass",
    "DenyServiceExternalIPs",
    "PodTopologyLabels",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionWebhook",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionWebhook",
    "ResourceQuota",
    "AlwaysDeny",
];

/// Plugins enabled without any flag (`AlwaysPullImages` is not one of them).
pub const DEFAULT_ENABLED: [&str; 22] = [
    "NamespaceLifecycle",
    "LimitRanger",
    "ServiceAccount",
    "TaintNodesByCondition",
    "PodSecurity",
    "Priority",
    "DefaultTolerationSeconds",
    "DefaultStorageClass",
    "StorageObjectInUseProtection",
    "PersistentVolumeClaimResize",
    "RuntimeClass",
    "CertificateApproval",
    "CertificateSigning",
    "ClusterTrustBundleAttest",
    "CertificateSubjectRestriction",
    "DefaultIngressClass",
    "PodTopologyLabels",
    "MutatingAdmissionPolicy",
    "MutatingAdmissionWebhook",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionWebhook",
    "ResourceQuota",
];

pub const ALWAYS_PULL_IMAGES: &str = "AlwaysPullImages";

/// The three flags that choose plugins.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flag {
    Enable,
    Disable,
    /// The deprecated `--admission-control`.
    Legacy,
}

impl Flag {
    pub const fn name(self) -> &'static str {
        match self {
            Self::Enable => "enable-admission-plugins",
            Self::Disable => "disable-admission-plugins",
            Self::Legacy => "admission-control",
        }
    }

    /// The flag an argument sets, and the value written in the same argument if any
    /// (`--flag=value`). `--admission-control-config-file` is not one of them.
    pub fn of_argument(argument: &str) -> Option<(Self, Option<&str>)> {
        let body = argument.strip_prefix("--")?;
        let (name, value) = body
            .split_once('=')
            .map_or((body, None), |(n, v)| (n, Some(v)));
        [Self::Enable, Self::Disable, Self::Legacy]
            .into_iter()
            .find(|flag| flag.name() == name)
            .map(|flag| (flag, value))
    }
}

/// The plugin flags of one command line. `None` means the flag is absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AdmissionFlags {
    pub enable: Option<Vec<String>>,
    pub disable: Option<Vec<String>>,
    pub legacy: Option<Vec<String>>,
}

impl AdmissionFlags {
    /// Reads the flags from a command line (`--flag=value` or `--flag value`). Each occurrence
    /// is one CSV record (pflag `StringSlice`): spaces are kept, quotes are CSV quotes; the first
    /// occurrence replaces the default, later ones append.
    ///
    /// # Errors
    /// A CSV error (`bare " in non-quoted-field`): kube-apiserver rejects the flag.
    pub fn from_arguments<'a>(
        arguments: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, String> {
        let mut flags = Self::default();
        let mut arguments = arguments.into_iter();
        while let Some(argument) = arguments.next() {
            let Some((flag, value)) = Flag::of_argument(argument) else {
                continue;
            };
            let value = match value {
                Some(value) => value,
                None => arguments.next().unwrap_or_default(),
            };
            let names = read_csv_record(value).map_err(|error| {
                format!(
                    "invalid argument {value:?} for \"--{}\" flag: {error}",
                    flag.name()
                )
            })?;
            let slot = match flag {
                Flag::Enable => &mut flags.enable,
                Flag::Disable => &mut flags.disable,
                Flag::Legacy => &mut flags.legacy,
            };
            slot.get_or_insert_with(Vec::new).extend(names);
        }
        Ok(flags)
    }

    /// kube-apiserver's startup errors for these flags, in its order.
    pub fn errors(&self) -> Vec<String> {
        let mut errors = Vec::new();
        if self.legacy.is_some() && (self.enable.is_some() || self.disable.is_some()) {
            errors.push("admission-control and enable-admission-plugins/disable-admission-plugins flags are mutually exclusive".to_owned());
        }
        let known = |name: &str| RECOMMENDED_ORDER.contains(&name);
        for (flag, names) in [
            (Flag::Legacy, &self.legacy),
            (Flag::Enable, &self.enable),
            (Flag::Disable, &self.disable),
        ] {
            for name in names.iter().flatten().filter(|name| !known(name)) {
                errors.push(format!("{} plugin {name:?} is unknown", flag.name()));
            }
        }
        let mut overlap: Vec<&str> = self
            .enable
            .iter()
            .flatten()
            .filter(|name| self.disable.iter().flatten().any(|d| d == *name))
            .map(String::as_str)
            .collect();
        overlap.sort_unstable();
        overlap.dedup();
        if !overlap.is_empty() {
            errors.push(format!(
                "[{}] in enable-admission-plugins and disable-admission-plugins overlapped",
                overlap.join(" ")
            ));
        }
        errors
    }

    /// The plugins that run, in their fixed order; `None` when kube-apiserver refuses the flags
    /// and does not start.
    pub fn enabled_plugins(&self) -> Option<Vec<&'static str>> {
        if !self.errors().is_empty() {
            return None;
        }
        let listed =
            |list: &Option<Vec<String>>, name: &str| list.iter().flatten().any(|n| n == name);
        Some(
            RECOMMENDED_ORDER
                .into_iter()
                .filter(|&name| match &self.legacy {
                    Some(_) => listed(&self.legacy, name),
                    None => {
                        let off = !DEFAULT_ENABLED.contains(&name) || listed(&self.disable, name);
                        !off || listed(&self.enable, name)
                    }
                })
                .collect(),
        )
    }

    pub fn always_pull_images(&self) -> bool {
        self.enabled_plugins()
            .is_some_and(|plugins| plugins.contains(&ALWAYS_PULL_IMAGES))
    }
}

/// One record of `encoding/csv` with its defaults (no trimming, strict quotes).
fn read_csv_record(value: &str) -> Result<Vec<String>, String> {
    if value.is_empty() {
        return Ok(Vec::new());
    }
    let mut fields = Vec::new();
    let mut chars = value.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => break,
                    Some(c) => field.push(c),
                    None => return Err("extraneous or missing \" in quoted-field".to_owned()),
                }
            }
            match chars.next() {
                None => {
                    fields.push(field);
                    return Ok(fields);
                }
                Some(',') => {}
                Some(_) => return Err("extraneous or missing \" in quoted-field".to_owned()),
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field);
                        return Ok(fields);
                    }
                    Some(',') => break,
                    Some('"') => return Err("bare \" in non-quoted-field".to_owned()),
                    Some(c) => field.push(c),
                }
            }
        }
        fields.push(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_records_like_encoding_csv() {
        assert_eq!(read_csv_record("A,B").unwrap(), ["A", "B"]);
        assert_eq!(read_csv_record("A, B").unwrap(), ["A", " B"]);
        assert_eq!(read_csv_record("\"A,B\"").unwrap(), ["A,B"]);
        assert!(read_csv_record("A\"B").is_err());
    }

    #[test]
    fn flags_in_both_forms() {
        let flags = AdmissionFlags::from_arguments([
            "kube-apiserver",
            "--enable-admission-plugins",
            "NodeRestriction,AlwaysPullImages",
            "--admission-control-config-file=/x",
        ])
        .unwrap();
        assert!(flags.always_pull_images());
        assert!(flags.legacy.is_none());
    }
}
