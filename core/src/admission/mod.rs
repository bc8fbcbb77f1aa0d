//! What happens to pods on their way into the cluster: kube-apiserver's admission plugin flags,
//! the AlwaysPullImages plugin, and the ServiceAccount plugin's copying of pull secrets.

pub mod always_pull_images;
pub mod apiserver;
pub mod plugins;
pub mod service_account;
