#!/usr/bin/env python3
"""Compare Checkov's image checks with imglint's rules, container by container.

    compare-checkov.py --root DIR --checkov checkov.json --imglint imglint.json [--markdown OUT]

`checkov.json` is `checkov -d DIR --framework kubernetes --check CKV_K8S_14,CKV_K8S_15,CKV_K8S_43
-o json` (without --quiet, so that passed checks are listed too); `imglint.json` is `imglint lint
--format json --select IMG001,IMG002,IMG101,IMG102,IMG103,IMG104,IMG201,IMG202,IMG203,IMG204 DIR`,
both run on the same absolute DIR. Called by scripts/bench-checkov; needs PyYAML (Checkov's own
virtualenv has it), because Checkov reports only the *first* failing container of a resource:
to compare per container, this script reads each file as Checkov 3.3.30 reads it (its
kubernetes/parser/k8_yaml.py, k8_json.py, validatior.py, the runner's List spreading) and applies
the three checks' `scan_container_conf` (ImageTagFixed.py, ImagePullPolicyAlways.py,
ImageDigest.py) and BaseK8sContainerCheck's aggregation to every container. That replica is
checked against Checkov's real JSON at the resource level (verdict and first failing container);
any mismatch is printed. Every disagreement is then put in a class, with counts and examples.
"""

import argparse
import collections
import json
import os
import re
import sys

import yaml
from yaml.loader import SafeLoader

# --- Checkov 3.3.30, transcribed -------------------------------------------------------------

DOCKER_IMAGE_REGEX = re.compile(r"(?:[^\s\/]+\/)?([^\s:]+):?([^\s]*)")  # common/models/consts.py
HELM_PATTERNS = [r"\{\{-?\s*\.Release\.", r"\{\{-?\s*\.Values\."]  # parser/k8_yaml.py
NAME_DISALLOWED = re.compile("[#{}]+")  # parser/validatior.py
TEMPLATE_ENTITIES = ("Deployment", "DeploymentConfig", "DaemonSet", "Job", "ReplicaSet",
                     "ReplicationController", "StatefulSet")
SUPPORTED_ENTITIES = ("CronJob", "Pod", "PodTemplate") + TEMPLATE_ENTITIES
CHECKS = ("CKV_K8S_14", "CKV_K8S_15", "CKV_K8S_43")
FAILED, PASSED, UNKNOWN = "FAILED", "PASSED", "UNKNOWN"


def ckv_k8s_14(conf):
    if conf.get("image"):
        image_val = conf["image"]
        if not isinstance(image_val, str) or image_val.strip() == "":
            return UNKNOWN
        if "@" in image_val:
            return PASSED
        found = re.findall(DOCKER_IMAGE_REGEX, image_val)
        if not found:
            return UNKNOWN
        _, tag = found[0]
        if tag in ("latest", ""):
            return FAILED
    else:
        return FAILED
    return PASSED


def ckv_k8s_15(conf):
    if conf.get("image"):
        image_val = conf["image"]
        if not isinstance(image_val, str) or image_val.strip() == "":
            return UNKNOWN
        has_digest = "@" in image_val
        if has_digest:
            image_val = image_val[: image_val.index("@")]
        if "imagePullPolicy" not in conf:
            found = re.findall(DOCKER_IMAGE_REGEX, image_val)
            if len(found) != 1:
                return UNKNOWN
            _, tag = found[0]
            if tag in ("latest", ""):
                return PASSED
            return PASSED if has_digest else FAILED
        if not has_digest and conf["imagePullPolicy"] != "Always":
            return FAILED
    else:
        return FAILED
    return PASSED


def ckv_k8s_43(conf):
    if "image" in conf:
        if isinstance(conf["image"], str):
            return PASSED if "@" in conf["image"] else FAILED
    return FAILED


SCAN = {"CKV_K8S_14": ckv_k8s_14, "CKV_K8S_15": ckv_k8s_15, "CKV_K8S_43": ckv_k8s_43}


def pod_spec(kind, conf):
    """BaseK8sContainerCheck.scan_spec_conf: (path prefix, spec) or None (UNKNOWN)."""
    try:
        if kind == "Pod":
            return "spec", conf["spec"]
        if kind == "PodTemplate":
            return "template.spec", conf["template"]["spec"]
        if kind in TEMPLATE_ENTITIES:
            return "spec.template.spec", conf["spec"]["template"]["spec"]
        if kind == "CronJob":
            return "spec.jobTemplate.spec.template.spec", conf["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    except (KeyError, TypeError):
        return None
    return None


def name_valid(template):
    for segment, value in template.items():
        if isinstance(value, dict):
            if not name_valid(value):
                return False
        elif isinstance(value, list):
            if not all(name_valid(e) for e in value if isinstance(e, dict)):
                return False
        elif segment == "name":
            if not isinstance(value, str) or len(value) > 253 or NAME_DISALLOWED.search(value):
                return False
    return True


def load_like_checkov(path):
    """(resources, None) as Checkov's kubernetes runner sees the file, or (None, reason)."""
    with open(path, encoding="utf-8", errors="replace") as f:
        content = f.read()
    if not all(key in content for key in ("apiVersion", "kind")):
        return None, "no `apiVersion` and `kind` in the text"
    try:
        if path.endswith(".json"):
            text = "[" + content + "]"
            text = text.replace("}{", "},{").replace("}\n{", "},\n{")
            template = yaml.load(text, Loader=SafeLoader)  # nosec: SafeLoader
        else:
            for pattern in HELM_PATTERNS:
                if re.search(pattern, content):
                    return None, "Helm template (`{{ .Values` / `{{ .Release`)"
            template = list(yaml.load_all(content, Loader=SafeLoader))
    except yaml.YAMLError:
        return None, "PyYAML error in the file" + (" (JSON read as YAML)" if path.endswith(".json") else "")
    if not template or not isinstance(template, list):
        return None, "empty"
    resources, dropped = [], []
    typed_list = any(isinstance(t, dict) and str(t.get("kind", "")).endswith("List") and t.get("kind") != "List"
                     for t in template)
    for t in template:
        if not isinstance(t, dict) or "apiVersion" not in t or "kind" not in t:
            continue
        if not name_valid(t):
            dropped.append(t)
            continue
        resources.append(t)
    for r in resources[:]:  # runner.spread_list_items
        if r.get("kind") == "List":
            resources.extend(item for item in (r.get("items") or []) if item)
            resources.remove(r)
    return (resources, dropped, typed_list), None


def resource_id(resource):
    """kubernetes_utils.get_resource_id for named objects (label-built ids are not needed here)."""
    metadata = resource.get("metadata") or {}
    if not isinstance(metadata, dict):
        return None
    name = metadata.get("name")
    if name:
        return f'{resource.get("kind", "Pod")}.{metadata.get("namespace", "default")}.{name}'
    return None


def checkov_containers(resource):
    """[(container path, conf)] in Checkov's order: containers, then initContainers."""
    kind = resource.get("kind")
    found = pod_spec(kind, resource)
    if found is None:
        return None
    prefix, spec = found
    out = []
    for field in ("containers", "initContainers"):
        items = (spec.get(field, []) if isinstance(spec, dict) else []) or []
        if isinstance(items, list):
            out.extend((f"{prefix}.{field}[{i}]", c) for i, c in enumerate(items))
    return out


def resource_verdict(containers, check):
    """BaseK8sContainerCheck aggregation: (result, first failing container path)."""
    results = set()
    for path, conf in containers:
        result = SCAN[check](conf) if isinstance(conf, dict) else UNKNOWN
        results.add(result)
        if result == FAILED:
            return FAILED, path
    return (PASSED if PASSED in results else UNKNOWN), None


# --- the comparison ----------------------------------------------------------------------------

PAIRS = [
    ("CKV_K8S_14", "image tag latest or blank", {"IMG102", "IMG103"}),
    ("CKV_K8S_15", "pull policy should be Always", {"IMG202"}),
    ("CKV_K8S_15", "pull policy should be Always", {"IMG202", "IMG201"}),
    ("CKV_K8S_43", "image should use a digest", {"IMG104"}),
]


def container_of(path):
    """`spec.containers[0]` from `spec.containers[0].image`; image volumes keep `.image`."""
    return path.rsplit(".", 1)[0] if path else None


def load_checkov(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    reports = data if isinstance(data, list) else [data]
    out = {}
    for report in reports:
        if report.get("check_type") != "kubernetes":
            continue
        results = report.get("results", {})
        for result, records in (("FAILED", results.get("failed_checks", [])), ("PASSED", results.get("passed_checks", []))):
            for r in records:
                key = (r["file_path"].lstrip("/"), r["resource"], r["check_id"])
                first = None
                if result == "FAILED":
                    keys = r["check_result"].get("evaluated_keys") or []
                    if keys:
                        parts = keys[0].split("/")
                        # spec/template/spec/containers/[0]/image -> spec.template.spec.containers[0]
                        first = ".".join(parts[:-3]) + f".{parts[-3]}{parts[-2]}"
                out[key] = (result, first)
    return out


def load_imglint(path, root):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    by_container = collections.defaultdict(list)
    syntax_files = set()
    for d in data["diagnostics"]:
        file = os.path.relpath(d["file"], root)
        if d["code"] == "IMG001":
            syntax_files.add(file)
        obj = d.get("object")
        if not obj or not d.get("path"):
            continue
        container = container_of(d["path"])
        key = (file, f'{obj["kind"]}.{obj.get("namespace") or "default"}.{obj.get("name")}', container)
        by_container[key].append(d)
    return by_container, syntax_files


def describe(conf):
    if not isinstance(conf, dict):
        return f"container is {type(conf).__name__}"
    image = conf.get("image", "<absent>")
    text = f"image {json.dumps(image)}"
    if "imagePullPolicy" in conf:
        text += f", imagePullPolicy {json.dumps(conf['imagePullPolicy'])}"
    return text


def classify_checkov_only(check, conf, il_codes):
    """Checkov FAILED the container, imglint has no finding of the paired rule."""
    image = conf.get("image") if isinstance(conf, dict) else None
    if "IMG101" in il_codes and (image is None or image == ""):
        return "missing-image"
    if "IMG101" in il_codes:
        return "invalid-reference"
    if "IMG002" in il_codes or not isinstance(image, (str, type(None))):
        return "image-not-a-string"
    if check == "CKV_K8S_15":
        policy = conf.get("imagePullPolicy", "<absent>")
        tag = re.findall(DOCKER_IMAGE_REGEX, image.split("@")[0])[0][1] if image else ""
        if policy == "<absent>":
            return "version-tag-default-ifnotpresent"
        if policy in ("IfNotPresent", "Never") and tag not in ("", "latest"):
            return "version-tag-explicit-ifnotpresent-or-never"
        if policy not in ("Always", "IfNotPresent", "Never"):
            return "policy-not-a-valid-value"
    return "other"


def classify_imglint_only(key, conf, ck_state, il_codes, all_codes):
    """imglint reports the container, Checkov did not fail it."""
    file, rid, container = key
    if ck_state.startswith("file:"):
        return "file-not-read-by-checkov"
    if ck_state == "document-dropped":
        return "document-dropped-by-checkov"
    if ck_state == "typed-list":
        return "typed-list-items"
    if ck_state == "no-resource" and rid.endswith(".None"):
        return "object-without-name"
    if ck_state == "no-resource":
        return "object-unknown-to-checkov"
    if ck_state == "kind":
        return "kind-not-checked-by-checkov"
    if ".ephemeralContainers[" in container:
        return "ephemeral-container"
    if ".volumes[" in container:
        return "image-volume"
    if ck_state == "not-first":
        return "not-the-first-failing-container"
    image = conf.get("image") if isinstance(conf, dict) else None
    if "IMG101" in all_codes:
        return "invalid-reference"
    if il_codes == {"IMG201"} and isinstance(image, str):
        if "@" in image:
            return "implicit-policy-with-digest"
        return "implicit-policy-default-always"
    return "other"


CLASS_TEXT = {
    "missing-image": "no `image` (or empty): Checkov fails every check, imglint reports IMG101",
    "invalid-reference": "not a valid reference (upper case, `{{ }}`, `@` without a digest): imglint reports IMG101 instead",
    "image-not-a-string": "`image` is not a string: imglint reports IMG002",
    "version-tag-default-ifnotpresent": "version tag, no digest, no policy (default IfNotPresent)",
    "version-tag-explicit-ifnotpresent-or-never": "version tag, no digest, IfNotPresent or Never written",
    "policy-not-a-valid-value": "policy null, empty or not one of the three values",
    "file-not-read-by-checkov": "Checkov skips the whole file",
    "document-dropped-by-checkov": "Checkov's validator drops the document (a `name` with `{`, `}`, `#` or not a string)",
    "object-unknown-to-checkov": "object whose document Checkov does not see",
    "object-without-name": "object without `metadata.name` (`generateName`): Checkov makes no resource of it",
    "typed-list-items": "items of a typed list (`PodList`, `DeploymentList`): Checkov spreads only `kind: List`",
    "kind-not-checked-by-checkov": "kind outside Checkov's list (imglint reads pod templates of CRDs)",
    "ephemeral-container": "ephemeral container (Checkov 3.3.30 checks containers and initContainers)",
    "image-volume": "image volume (KEP-4639), unknown to Checkov",
    "not-the-first-failing-container": "Checkov reports only the first failing container of a resource",
    "implicit-policy-default-always": "tag `latest` or none, no policy: both say the default is Always; IMG201 notes that it is implicit",
    "implicit-policy-with-digest": "digest, no policy: Checkov passes any digest; IMG201 notes the implicit default",
    "other": "other",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", required=True)
    parser.add_argument("--checkov", required=True)
    parser.add_argument("--imglint", required=True)
    parser.add_argument("--markdown", help="also write the tables here")
    parser.add_argument("--examples", type=int, default=2)
    args = parser.parse_args()
    root = os.path.realpath(args.root)

    actual = load_checkov(args.checkov)
    il, il_syntax = load_imglint(args.imglint, root)

    # Every container as Checkov sees it, with the replica's per-container verdicts.
    replica = {}  # (file, rid, container) -> conf
    replica_verdict = {}  # (file, rid, check) -> (result, first)
    skipped = {}  # file -> reason
    dropped = {}  # file -> [rid] of documents the validator dropped
    seen_rids = collections.defaultdict(set)  # file -> rids Checkov knows
    unchecked_kinds = set()
    typed_lists = set()
    files = []
    for dirpath, _, names in os.walk(root):
        for n in names:
            if os.path.splitext(n)[1] in (".yaml", ".yml", ".json"):
                files.append(os.path.join(dirpath, n))
    for path in sorted(files):
        rel = os.path.relpath(path, root)
        loaded, reason = load_like_checkov(path)
        if loaded is None:
            skipped[rel] = reason
            continue
        resources, invalid, typed_list = loaded
        if typed_list:
            typed_lists.add(rel)
        dropped[rel] = [resource_id(t) for t in invalid]
        for r in resources:
            rid = resource_id(r)
            if rid is None or r.get("kind") == "Kustomization":
                continue
            seen_rids[rel].add(rid)
            containers = checkov_containers(r) if r.get("kind") in SUPPORTED_ENTITIES else None
            if containers is None:
                unchecked_kinds.add((rel, rid))
                continue
            for cpath, conf in containers:
                replica[(rel, rid, cpath)] = conf
            for check in CHECKS:
                replica_verdict[(rel, rid, check)] = resource_verdict(containers, check)

    # The replica against Checkov's own output, resource by resource.
    mismatches = []
    for key, (result, first) in actual.items():
        mine = replica_verdict.get(key)
        if mine is None or mine[0] != result or (result == FAILED and mine[1] != first):
            mismatches.append((key, (result, first), mine))
    for key, mine in replica_verdict.items():
        if mine[0] in (FAILED, PASSED) and key not in actual:
            mismatches.append((key, None, mine))

    out = []
    w = out.append
    w(f"Corpus `{args.root}`: {len(files)} files; Checkov skipped {len(skipped)} whole files, "
      f"dropped {sum(len(v) for v in dropped.values())} documents; "
      f"{len({(f, r) for f, r, _ in replica})} resources and {len(replica)} containers checked by Checkov.")
    w(f"Replica of Checkov's checks against its JSON: {len(actual)} resource verdicts, {len(mismatches)} mismatches.")
    for m in mismatches[:10]:
        w(f"  MISMATCH {m}")
    w("")

    # Resource level: exactly what both JSON outputs say.
    w("### Resource level (from the two JSON outputs alone)")
    w("")
    w("| Checkov check | imglint rules | both report | only Checkov | only imglint | Checkov passed, imglint silent |")
    w("|---|---|---|---|---|---|")
    for check, _, codes in PAIRS:
        il_res = {(f, r) for (f, r, _c), ds in il.items() if any(d["code"] in codes for d in ds)}
        ck_fail = {(f, r) for (f, r, c), (res, _) in actual.items() if c == check and res == FAILED}
        ck_pass = {(f, r) for (f, r, c), (res, _) in actual.items() if c == check and res == PASSED}
        w(f"| {check} | {', '.join(sorted(codes))} | {len(il_res & ck_fail)} | {len(ck_fail - il_res)} | "
          f"{len(il_res - ck_fail)} | {len(ck_pass - il_res)} |")
    w("")

    # Container level with classes.
    w("### Container level, with the class of every disagreement")
    w("")
    for check, title, codes in PAIRS:
        both = ck_only = il_only = hidden = 0
        classes = collections.defaultdict(list)
        keys = set(replica) | set(il)
        for key in sorted(keys, key=lambda k: (k[0], k[1], k[2] or "")):
            file, rid, container = key
            if container is None:
                continue
            diags = il.get(key, [])
            codes_here = {d["code"] for d in diags}
            il_flag = bool(codes_here & codes)
            conf = replica.get(key)
            if conf is not None:
                ck_flag = SCAN[check](conf) == FAILED if isinstance(conf, dict) else False
                verdict, first = replica_verdict[(file, rid, check)]
                state = "first" if first == container else ("not-first" if ck_flag else "checked")
            else:
                ck_flag = False
                if file in skipped:
                    state = "file:" + skipped[file]
                elif rid in dropped.get(file, []):
                    state = "document-dropped"
                elif (file, rid) in unchecked_kinds:
                    state = "kind"
                elif file in typed_lists and rid not in seen_rids.get(file, set()):
                    state = "typed-list"
                elif rid not in seen_rids.get(file, set()):
                    state = "no-resource"
                else:
                    state = "container-not-checked"
            if ck_flag and state == "not-first":
                hidden += 1
            if il_flag and ck_flag:
                both += 1
            elif ck_flag:
                ck_only += 1
                cls = classify_checkov_only(check, conf, codes_here)
                classes[("only Checkov", cls)].append((key, describe(conf), sorted(codes_here)))
            elif il_flag:
                il_only += 1
                cls = classify_imglint_only(key, conf, state, codes_here & codes, codes_here)
                detail = describe(conf) if conf is not None else diags[0]["message"]
                if state.startswith("file:"):
                    cls += f" ({state[5:]})"
                classes[("only imglint", cls)].append((key, detail, sorted(codes_here)))
        w(f"**{check}** ({title}) against **{' ∪ '.join(sorted(codes))}**: both {both}, only Checkov {ck_only}, "
          f"only imglint {il_only} containers ({hidden} of the containers Checkov fails are not in its JSON, "
          f"which names only the first failing container of each resource)")
        w("")
        if classes:
            w("| side | class | containers | example |")
            w("|---|---|---|---|")
            for (side, cls), items in sorted(classes.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
                ex = "; ".join(f"`{k[0]}` {k[1]} {k[2]}: {d}" + (f" [imglint: {', '.join(c)}]" if c else "")
                               for k, d, c in items[: args.examples])
                base, _, reason = cls.partition(" (")
                text = CLASS_TEXT[base] + (f": {reason[:-1]}" if reason else "")
                w(f"| {side} | {base}: {text} | {len(items)} | {ex.replace('|', '/')} |")
            w("")
    # References Kubernetes cannot pull, whatever Checkov says about them.
    invalid = [(k, ds) for k, ds in sorted(il.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2] or ""))
               if any(d["code"] == "IMG101" for d in ds)]
    w(f"### Images imglint reports as invalid (IMG101): {len(invalid)} containers")
    w("")
    w("| image | Checkov CKV_K8S_14 / 15 / 43 | file |")
    w("|---|---|---|")
    for (file, rid, container), ds in invalid[: max(args.examples, 10)]:
        conf = replica.get((file, rid, container))
        verdicts = " / ".join(SCAN[c](conf) if isinstance(conf, dict) else "not read" for c in CHECKS)
        image = json.dumps(conf.get("image", "<absent>")) if isinstance(conf, dict) else "?"
        w(f"| {image.replace('|', '/')} | {verdicts} | `{file}` {rid} |")
    w("")
    text = "\n".join(out)
    print(text)
    if args.markdown:
        with open(args.markdown, "w", encoding="utf-8") as f:
            f.write(text + "\n")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
