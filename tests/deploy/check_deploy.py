#!/usr/bin/env python3
"""Checks `eskit deploy` on the five examples.

For each example the artifacts are generated into a temporary folder (twice: byte-stable),
`kubectl kustomize` renders the base, both overlays and an overlay with the optional Strimzi
component, and every rendered resource is validated against the Kubernetes API schemas of the
npm package kubernetes-models (pinned below, installed once into TOOLS_DIR) by
validate_resources.mjs. Then what the manifests must do for the services to run: probes on
/ready and /health at the container port, the hardened securityContext, no literal secrets,
ConfigMap keys that are settings the generated service declares (read from its gen/service.cpp),
Deployment/Service/HPA/PDB per context, Ingress paths = the gateway routes, a compose file with
every service, kafka and postgres. A negative control proves the validator rejects a broken
resource.

Usage: check_deploy.py ESKIT SOURCE_DIR TOOLS_DIR
"""
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

KUBERNETES_MODELS = ("kubernetes-models", "5.1.0")
EXAMPLES = ["datecourse", "drivercall", "petcare", "rental", "tutoring"]
HERE = Path(__file__).resolve().parent
# The runtime's own settings every service declares (docs/configuration.md).
STANDARD = {"ESKIT_HTTP_ADDRESS", "ESKIT_HTTP_PORT", "ESKIT_KAFKA_BOOTSTRAP_SERVERS",
            "ESKIT_KAFKA_CLIENT_ID", "ESKIT_LOG_LEVEL", "ESKIT_DB_URL"}
AUTH = {"ESKIT_AUTH_JWT_ALGORITHM", "ESKIT_AUTH_JWT_KEY", "ESKIT_AUTH_JWT_PREVIOUS_KEY",
        "ESKIT_AUTH_JWT_ISSUER", "ESKIT_AUTH_JWT_AUDIENCE", "ESKIT_AUTH_JWT_LEEWAY",
        "ESKIT_AUTH_JWT_SIGNING_KEY", "ESKIT_AUTH_JWT_TOKEN_LIFETIME",
        "ESKIT_AUTH_TRUST_FORWARDED_IDENTITY"}
failures = []


def fail(message):
    failures.append(message)
    print(f"FAIL: {message}", flush=True)


def env_var(setting):
    """runtime/src/config/schema.cpp env_var_name with the ESKIT prefix."""
    out, previous = "ESKIT_", "."
    for c in setting:
        if c in ".-":
            out += "_"
        elif c.isupper():
            if previous.islower() or previous.isdigit():
                out += "_"
            out += c
        else:
            out += c.upper()
        previous = c
    return out


def kebab(name):
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).replace("_", "-").lower()


def installed_version(tools, package):
    try:
        return json.loads((tools / "node_modules" / package / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def ensure_tools(tools):
    package, version = KUBERNETES_MODELS
    if installed_version(tools, package) == version:
        return
    tools.mkdir(parents=True, exist_ok=True)
    (tools / "package.json").write_text(json.dumps({
        "name": "eskit-deploy-tools", "private": True,
        "dependencies": {package: version}}, indent=2) + "\n")
    print(f"installing {package}@{version} into {tools}", flush=True)
    r = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--no-update-notifier",
                        "--prefix", str(tools)], capture_output=True, text=True, timeout=900)
    if r.returncode != 0 or installed_version(tools, package) != version:
        sys.exit(f"npm install of {package}@{version} failed:\n{r.stdout}\n{r.stderr}")


def validate(tools, resources):
    r = subprocess.run(["node", str(HERE / "validate_resources.mjs"), str(tools / "node_modules")],
                       input=json.dumps(resources), capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        sys.exit(f"validator crashed: {r.stderr}")
    return json.loads(r.stdout)


def kustomize(folder):
    r = subprocess.run(["kubectl", "kustomize", str(folder)], capture_output=True, text=True,
                       timeout=120)
    if r.returncode != 0:
        fail(f"kubectl kustomize {folder}: {r.stderr.strip()}")
        return []
    return [d for d in yaml.safe_load_all(r.stdout) if d]


def generate(eskit, model, out):
    r = subprocess.run([eskit, "deploy", str(model), "-o", str(out), "-q"], capture_output=True,
                       text=True)
    if r.returncode != 0:
        fail(f"eskit deploy {model}: exit {r.returncode}: {r.stderr}")


def snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def declared_settings(source, system, context):
    """The env vars a generated service reads: its declared settings, auth's, the runtime's."""
    text = (source / "examples" / system / context / "gen" / "service.cpp").read_text()
    names = {env_var(n) for n in re.findall(
        r'schema\.(?:string|strings|number|integer|boolean|duration)\(\s*"([^"]+)"', text)}
    required = {env_var(n) for n in re.findall(
        r'schema\.\w+\(\s*"([^"]+)",\s*eskit::runtime::config::required', text)}
    if "declare_auth_settings(schema)" in text:
        names |= AUTH
        required |= {"ESKIT_AUTH_JWT_KEY", "ESKIT_AUTH_JWT_ISSUER", "ESKIT_AUTH_JWT_AUDIENCE"}
    return names | STANDARD, required


def check_container(where, c):
    ports = {p.get("name"): p.get("containerPort") for p in c.get("ports", [])}
    if ports.get("http") != 8080:
        fail(f"{where}: no port http=8080: {ports}")
    for probe, path in (("readinessProbe", "/ready"), ("livenessProbe", "/health"),
                        ("startupProbe", "/health")):
        get = c.get(probe, {}).get("httpGet", {})
        if get.get("path") != path or get.get("port") not in ("http", 8080):
            fail(f"{where}: {probe} is {get}, want {path} on the container port")
    sc = c.get("securityContext", {})
    want = {"runAsNonRoot": True, "readOnlyRootFilesystem": True,
            "allowPrivilegeEscalation": False}
    for k, v in want.items():
        if sc.get(k) != v:
            fail(f"{where}: securityContext.{k} is {sc.get(k)}")
    if not isinstance(sc.get("runAsUser"), int) or sc["runAsUser"] == 0:
        fail(f"{where}: runAsUser {sc.get('runAsUser')}")
    if sc.get("capabilities", {}).get("drop") != ["ALL"]:
        fail(f"{where}: capabilities do not drop ALL")
    if sc.get("seccompProfile", {}).get("type") != "RuntimeDefault":
        fail(f"{where}: seccomp is not RuntimeDefault")
    res = c.get("resources", {})
    if not res.get("requests") or not res.get("limits"):
        fail(f"{where}: resources need requests and limits")
    mounts = {m["mountPath"] for m in c.get("volumeMounts", [])}
    if "/tmp" not in mounts:
        fail(f"{where}: /tmp is not writable")
    for e in c.get("env", []):
        if "value" in e and re.search(r"KEY|PASSWORD|SECRET|DB_URL", e["name"]):
            fail(f"{where}: {e['name']} has a literal value")
    return mounts


def check_system(eskit, source, tools, system, tmp):
    model_path = source / "examples" / system / "model.yaml"
    model = yaml.safe_load(model_path.read_text())
    out = tmp / system
    generate(eskit, model_path, out)
    first = snapshot(out)
    generate(eskit, model_path, tmp / (system + "-again"))
    if snapshot(tmp / (system + "-again")) != first:
        fail(f"{system}: two runs differ")
    k8s = out / "kubernetes"
    strimzi = k8s / "overlays" / "with-strimzi-topics"
    strimzi.mkdir(parents=True)
    (strimzi / "kustomization.yaml").write_text(
        "resources: [../dev]\ncomponents: [../../components/strimzi-topics]\n")
    rendered = {name: kustomize(k8s / path) for name, path in (
        ("base", "base"), ("dev", "overlays/dev"), ("prod", "overlays/prod"),
        ("strimzi", "overlays/with-strimzi-topics"))}
    for name, docs in rendered.items():
        for r in validate(tools, docs):
            if r["error"] == "skipped" and r["kind"] == "KafkaTopic":
                continue
            if r["error"]:
                fail(f"{system}/{name}: {r['kind']} {r['name']}: {r['error']}")
    topics = [d for d in rendered["strimzi"] if d["kind"] == "KafkaTopic"]
    if not topics or any(not isinstance(t["spec"].get("partitions"), int) for t in topics):
        fail(f"{system}: the Strimzi component has no well-formed KafkaTopic")

    contexts = model["contexts"]
    for name, docs in rendered.items():
        by = {(d["kind"], d["metadata"]["name"]): d for d in docs}
        if any(d["kind"] == "Secret" for d in docs):
            fail(f"{system}/{name}: a Secret with values is generated")
        for ctx, spec in contexts.items():
            svc = kebab(ctx)
            for kind in ("Deployment", "Service", "HorizontalPodAutoscaler",
                         "PodDisruptionBudget", "ConfigMap"):
                key = (kind, svc + "-config" if kind == "ConfigMap" else svc)
                if key not in by:
                    fail(f"{system}/{name}: no {kind} {key[1]}")
            dep = by.get(("Deployment", svc))
            if not dep:
                continue
            pod = dep["spec"]["template"]["spec"]
            c = pod["containers"][0]
            mounts = check_container(f"{system}/{name}/{svc}", c)
            if (spec or {}).get("storage", "sqlite") == "sqlite" and "/var/lib/eskit" not in mounts:
                fail(f"{system}/{name}/{svc}: the SQLite directory is not writable")
            for vol in ((spec or {}).get("volumes") or {}).values():
                if vol["path"] not in mounts:
                    fail(f"{system}/{name}/{svc}: volume {vol['path']} not mounted")
            claims = {v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]
                      if "persistentVolumeClaim" in v}
            for claim in claims:
                if ("PersistentVolumeClaim", claim) not in by:
                    fail(f"{system}/{name}/{svc}: no PersistentVolumeClaim {claim}")
            declared, required = declared_settings(source, system, ctx)
            data = by.get(("ConfigMap", svc + "-config"), {}).get("data", {})
            from_secrets = {e["name"] for e in c.get("env", [])
                            if "secretKeyRef" in e.get("valueFrom", {})}
            for key in data:
                if key not in declared:
                    fail(f"{system}/{name}/{svc}: ConfigMap key {key} is no setting it reads")
            for key in from_secrets:
                if key not in declared:
                    fail(f"{system}/{name}/{svc}: secret env {key} is no setting it reads")
            for key in required:
                if key not in data and key not in from_secrets:
                    fail(f"{system}/{name}/{svc}: required setting {key} is not set")
            if (spec or {}).get("storage") == "postgresql" and "ESKIT_DB_URL" not in from_secrets:
                fail(f"{system}/{name}/{svc}: the PostgreSQL URL does not come from a Secret")
        routes = set(((model.get("gateway") or {}).get("routes") or {}).keys())
        ingress = [d for d in docs if d["kind"] == "Ingress"]
        paths = {p["path"] for i in ingress for rule in i["spec"]["rules"]
                 for p in rule["http"]["paths"]}
        if not routes <= paths:
            fail(f"{system}/{name}: Ingress lacks routes {sorted(routes - paths)}")
        gw = by.get(("ConfigMap", "gateway-config"), {}).get("data", {})
        if routes and set(x.split("=")[0] for x in gw.get("ESKIT_GATEWAY_ROUTES", "").split(",")) != routes:
            fail(f"{system}/{name}: gateway routes {gw.get('ESKIT_GATEWAY_ROUTES')} != {routes}")

    compose = yaml.safe_load((out / "docker-compose.yaml").read_text())
    services = set(compose.get("services", {}))
    wanted = {kebab(c) for c in contexts} | {"kafka", "postgres"}
    if not wanted <= services:
        fail(f"{system}: compose lacks {sorted(wanted - services)}")
    for name, s in compose["services"].items():
        for k, v in (s.get("environment") or {}).items():
            if re.search(r"KEY|PASSWORD|SECRET|DB_URL", k) and "${" not in str(v) and \
                    not str(v).startswith("sqlite:"):
                fail(f"{system}: compose {name}.{k} has a literal secret")
    for ctx in contexts:
        df = out / "docker" / f"{model['model']}-{ctx}.Dockerfile"
        text = df.read_text() if df.exists() else ""
        for needle in ("FROM debian:12 AS build", "FROM debian:12-slim", "EXPOSE 8080",
                       "HEALTHCHECK", "USER 10001", f"--target {model['model']}_{ctx}"):
            if needle not in text:
                fail(f"{system}: {df.name} lacks {needle!r}")
    blob = b"".join(first.values())
    if b"BEGIN" in blob and b"PRIVATE KEY" in blob:
        fail(f"{system}: a private key is in the output")


def negative_control(tools):
    broken = [{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "broken"},
               "spec": {"replicas": "two", "selector": {}, "template": {"spec": {}}}},
              {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "broken"},
               "spec": {"ports": [{"port": "http"}]}}]
    for r in validate(tools, broken):
        if r["error"] in (None, "skipped"):
            fail(f"negative control: broken {r['kind']} was accepted")


def main():
    eskit, source, tools = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    ensure_tools(tools)
    negative_control(tools)
    with tempfile.TemporaryDirectory() as t:
        for system in EXAMPLES:
            check_system(eskit, source, tools, system, Path(t))
    if failures:
        print(f"{len(failures)} problem(s)")
        return 1
    print("deploy artifacts of 5 examples: rendered, schema-valid, behaviour checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
