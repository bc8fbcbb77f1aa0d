#!/usr/bin/env python3
"""Writes the context-aware policy cases: requests/<case>.json (AdmissionReviews),
sessions/<case>.yml (host capability exchanges in kwctl's record format, replayed by
tests/policy.rs through the waPC host and by scripts/kwctl-sessions through the real kwctl) and
cases.json (settings and expected verdict of each). Run it from anywhere after changing a case:
`python3 tests/cluster/generate.py`.

Every Secret holds canary values (`…-canary` passwords); tests/policy.rs checks that no
answer carries any value of any Secret a session gives, raw, base64-decoded or inside `auth`.
"""
import base64
import json
import os

os.chdir(os.path.dirname(os.path.abspath(__file__)))
NS = "shop"
IMAGE = "registry.example.com/shop/api:2.1.0"


def b64(text):
    return base64.b64encode(text.encode()).decode()


def review(uid, obj, kind, resource, group="", ns=NS):
    request = {
        "uid": uid,
        "kind": {"group": group, "version": "v1", "kind": kind},
        "resource": {"group": group, "version": "v1", "resource": resource},
        "requestKind": {"group": group, "version": "v1", "kind": kind},
        "requestResource": {"group": group, "version": "v1", "resource": resource},
        "name": obj["metadata"]["name"], "namespace": ns, "operation": "CREATE",
        "userInfo": {"username": "alice", "groups": ["system:authenticated"]},
        "object": obj, "oldObject": None, "dryRun": False,
        "options": {"apiVersion": "meta.k8s.io/v1", "kind": "CreateOptions"},
    }
    return {"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview", "request": request}


def pod(name, image, secrets=None, sa=None, ns=NS):
    spec = {"containers": [{"name": "api", "image": image}]}
    if secrets is not None:
        spec["imagePullSecrets"] = [{"name": s} for s in secrets]
    if sa:
        spec["serviceAccountName"] = sa
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "namespace": ns},
            "spec": spec}


def deployment(name, image, sa=None):
    spec = {"containers": [{"name": "api", "image": image}]}
    if sa:
        spec["serviceAccountName"] = sa
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": name, "namespace": NS},
            "spec": {"replicas": 1, "selector": {"matchLabels": {"app": name}},
                     "template": {"metadata": {"labels": {"app": name}}, "spec": spec}}}


def dockerconfig_secret(name, registry, user, password, typ="kubernetes.io/dockerconfigjson",
                        raw=None):
    config = raw if raw is not None else json.dumps(
        {"auths": {registry: {"auth": b64(f"{user}:{password}")}}})
    key = ".dockerconfigjson" if typ == "kubernetes.io/dockerconfigjson" else "token"
    return {"apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": name, "namespace": NS, "uid": "5d1f"},
            "type": typ, "data": {key: b64(config)}}


def account(name, secrets):
    obj = {"apiVersion": "v1", "kind": "ServiceAccount",
           "metadata": {"name": name, "namespace": NS}}
    if secrets is not None:
        obj["imagePullSecrets"] = [{"name": s} for s in secrets]
    return obj


def ask(kind, name, ns=NS):
    return (f"!KubernetesGetResource\napi_version: v1\nkind: {kind}\nname: {name}\n"
            f"namespace: {ns}\ndisable_cache: false\n")


def found(kind, name, obj):
    return ask(kind, name), {"type": "Success", "payload": json.dumps(obj, separators=(",", ":"))}


def missing(kind, name, ns=NS):
    # The text of Kubewarden's policy-evaluator for an object that does not exist.
    message = f"Cannot find v1/{kind} named '{name}' inside of namespace 'Some(\"{ns}\")'"
    return ask(kind, name, ns), {"type": "Error", "message": message}


def error(kind, name, message):
    return ask(kind, name), {"type": "Error", "message": message}


def answer(kind, name, payload):
    return ask(kind, name), {"type": "Success", "payload": payload}


# (case, about, review, exchanges, settings, allowed, texts in the answer, texts not in it)
CASES = [
    ("secret-covers-registry",
     "a pull secret of the pod's namespace with credentials for the image's registry",
     review("c1", pod("api", IMAGE, ["regcred"]), "Pod", "pods"),
     [found("Secret", "regcred",
            dockerconfig_secret("regcred", "registry.example.com", "ci-bot", "hunter2-canary"))],
     {"cluster_lookup": True, "fail_on": "info"}, True, [],
     ["IMG301", "IMG303", "IMG304", "IMG305"]),
    ("secret-missing",
     "the pod's pull secret does not exist in its namespace: IMG301 names it and the namespace",
     review("c2", pod("api", IMAGE, ["regcred"]), "Pod", "pods"),
     [missing("Secret", "regcred")],
     {"cluster_lookup": True, "fail_on": "warning"}, False, ["IMG301", "`regcred`", "`shop`"], []),
    ("secret-in-other-namespace",
     "the Secret exists only in another namespace: only the pod's namespace is asked",
     review("c3", pod("api", IMAGE, ["regcred"], ns="team"), "Pod", "pods", ns="team"),
     [missing("Secret", "regcred", ns="team")],
     {"cluster_lookup": True}, True, ["IMG301", "`team`"], []),
    ("secret-wrong-type", "the pull secret is an Opaque Secret, which the kubelet ignores: IMG303 (an error)",
     review("c4", pod("api", IMAGE, ["regcred"]), "Pod", "pods"),
     [found("Secret", "regcred",
            dockerconfig_secret("regcred", "registry.example.com", "ci-bot", "opaque-canary",
                                typ="Opaque"))],
     {"cluster_lookup": True}, False, ["IMG303", "`Opaque`"], []),
    ("secret-unusable",
     "the Secret's .dockerconfigjson is not JSON: IMG304 on the fetched Secret, named, rejected",
     review("c5", pod("api", IMAGE, ["regcred"]), "Pod", "pods"),
     [found("Secret", "regcred",
            dockerconfig_secret("regcred", "", "", "", raw="{auths: password-canary"))],
     {"cluster_lookup": True}, False, ["Secret `shop/regcred`: IMG304"], []),
    ("secret-malformed-answer",
     "the host answers something that is not JSON: a warning naming the Secret, no IMG301",
     review("c6", pod("api", IMAGE, ["regcred"]), "Pod", "pods"),
     [answer("Secret", "regcred", "not-json malformed-canary")],
     {"cluster_lookup": True, "fail_on": "warning"}, True,
     ["could not read Secret `shop/regcred`", "the answer is not JSON"],
     ["IMG301", "malformed-canary"]),
    ("host-error",
     "the host refuses (no access granted): a warning naming the Secret, never a rejection",
     review("c7", pod("api", IMAGE, ["regcred", "other"]), "Pod", "pods"),
     [error("Secret", "regcred", "Policy has not been granted access to Kubernetes v1/Secret "
            "resources. The violation has been reported."),
      found("Secret", "other",
            dockerconfig_secret("other", "registry.example.com", "ci-bot", "other-canary"))],
     {"cluster_lookup": True, "fail_on": "warning"}, True,
     ["could not read Secret `shop/regcred`", "not been granted access"], ["IMG301"]),
    ("service-account-secret-without-registry",
     "a Deployment without pull secrets whose ServiceAccount's Secret has no credentials for "
     "the image's registry: IMG305",
     review("c8", deployment("api", IMAGE, sa="builder"), "Deployment", "deployments",
            group="apps"),
     [found("ServiceAccount", "builder", account("builder", ["regcred", "regcred"])),
      found("Secret", "regcred",
            dockerconfig_secret("regcred", "ghcr.io", "ci-bot", "sa-canary"))],
     {"cluster_lookup": True}, True, ["IMG305"], []),
    ("service-account-without-secrets",
     "the default ServiceAccount has no pull secrets: IMG306 for the private image",
     review("c9", pod("api", IMAGE), "Pod", "pods"),
     [found("ServiceAccount", "default", account("default", None))],
     {"cluster_lookup": True, "fail_on": "info"}, False, ["IMG306"], ["IMG301"]),
    ("service-account-missing", "the ServiceAccount does not exist: nothing more is asked",
     review("c10", pod("api", IMAGE, sa="ghost"), "Pod", "pods"),
     [missing("ServiceAccount", "ghost")],
     {"cluster_lookup": True}, True, [], ["IMG301"]),
    ("multi-tenant-cached-image",
     "tenancy multi: the fetched Secret covers the image, so IMG402 fires for it",
     review("c11", pod("api", IMAGE, ["regcred"]), "Pod", "pods"),
     [found("Secret", "regcred",
            dockerconfig_secret("regcred", "registry.example.com", "ci-bot", "tenant-canary"))],
     {"cluster_lookup": True, "tenancy": "multi"}, True, ["IMG402"], []),
    ("lookups-off", "cluster_lookup false: nothing is asked",
     review("c12", pod("api", IMAGE, ["regcred"]), "Pod", "pods"),
     [], {}, True, [], ["IMG301"]),
]


def session_yaml(exchanges):
    if not exchanges:
        return "[]\n"
    out = []
    for request, response in exchanges:
        out.append("- type: Exchange\n  request: |\n")
        out.extend(f"    {line}\n" for line in request.rstrip("\n").split("\n"))
        out.append(f"  response:\n    type: {response['type']}\n")
        field = "payload" if response["type"] == "Success" else "message"
        quoted = response[field].replace("'", "''")
        out.append(f"    {field}: '{quoted}'\n")
    return "".join(out)


def main():
    os.makedirs("sessions", exist_ok=True)
    os.makedirs("requests", exist_ok=True)
    index = []
    for name, about, rev, exchanges, settings, allowed, contains, absent in CASES:
        with open(f"requests/{name}.json", "w") as out:
            json.dump(rev, out, indent=2)
            out.write("\n")
        with open(f"sessions/{name}.yml", "w") as out:
            out.write(session_yaml(exchanges))
        index.append({"case": name, "about": about, "settings": settings, "allowed": allowed,
                      "contains": contains, "absent": absent})
    with open("cases.json", "w") as out:
        json.dump(index, out, indent=2)
        out.write("\n")


if __name__ == "__main__":
    main()
