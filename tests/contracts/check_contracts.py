#!/usr/bin/env python3
"""`eskit contracts` over the five examples, checked by independent tools.

Usage:
  check_contracts.py lint ESKIT SOURCE_DIR TOOLS_DIR
      OpenAPI documents pass `redocly lint` (tests/contracts/redocly.yaml) and AsyncAPI
      documents parse without an error diagnostic (@asyncapi/parser). Both come from the npm
      registry, pinned below, installed once into TOOLS_DIR (a folder of the build tree).
  check_contracts.py schemas ESKIT SOURCE_DIR
      Every event JSON Schema is a valid draft 2020-12 schema and accepts the event instances
      the examples' given/then lists carry.

Each run also feeds the tools a broken document and expects a failure, so a tool that accepts
everything (or was never run) cannot pass the test.
"""

import copy
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REDOCLY = ("@redocly/cli", "2.77.0")
ASYNCAPI_PARSER = ("@asyncapi/parser", "3.6.6")
SYSTEMS = ["datecourse", "drivercall", "petcare", "rental", "tutoring"]
HERE = Path(__file__).resolve().parent


def fail(message):
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


def generate(eskit, root, out):
    """The contracts of every example under out/<system>/."""
    for system in SYSTEMS:
        r = subprocess.run([eskit, "contracts", str(root / "examples" / system / "model.yaml"),
                            "-o", str(out / system), "-q"], capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"eskit contracts {system} exited {r.returncode}: {r.stderr}")
    return out


def installed_version(tools, package):
    manifest = tools / "node_modules" / package / "package.json"
    try:
        return json.loads(manifest.read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def ensure_tools(tools):
    """Installs the pinned packages unless TOOLS_DIR already holds exactly those versions."""
    wanted = [REDOCLY, ASYNCAPI_PARSER]
    if all(installed_version(tools, p) == v for p, v in wanted):
        return
    tools.mkdir(parents=True, exist_ok=True)
    (tools / "package.json").write_text(json.dumps({
        "name": "eskit-contract-tools", "private": True,
        "dependencies": {p: v for p, v in wanted}}, indent=2) + "\n")
    print(f"installing {', '.join(f'{p}@{v}' for p, v in wanted)} into {tools}", flush=True)
    r = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--no-update-notifier",
                        "--prefix", str(tools)], capture_output=True, text=True, timeout=900)
    if r.returncode != 0:
        fail(f"npm install failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
    for p, v in wanted:
        if installed_version(tools, p) != v:
            fail(f"npm installed {p} {installed_version(tools, p)}, not {v}")


def redocly(tools, files):
    return subprocess.run(
        [str(tools / "node_modules" / ".bin" / "redocly"), "lint", "--config",
         str(HERE / "redocly.yaml"), "--format", "stylish", *map(str, files)],
        capture_output=True, text=True, env={**os.environ, "REDOCLY_TELEMETRY": "off",
                                            "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"})


def asyncapi(tools, files):
    return subprocess.run(["node", str(HERE / "parse_asyncapi.cjs"), str(tools), *map(str, files)],
                          capture_output=True, text=True)


def lint(eskit, root, tools):
    ensure_tools(tools)
    with tempfile.TemporaryDirectory() as tmp:
        out = generate(eskit, root, Path(tmp))
        openapi = sorted(out.glob("*/*/openapi.json"))
        events = sorted(out.glob("*/*/asyncapi.json"))
        if len(openapi) < 5 or len(events) < 5:
            fail(f"too few documents: {len(openapi)} OpenAPI, {len(events)} AsyncAPI")

        r = redocly(tools, openapi)
        print(r.stdout + r.stderr)
        if r.returncode != 0:
            fail(f"redocly lint found errors in the OpenAPI documents (exit {r.returncode})")
        r = asyncapi(tools, events)
        print(r.stdout + r.stderr)
        if r.returncode != 0:
            fail("the AsyncAPI parser reported errors")

        # The controls: one dangling reference in each kind of document must fail.
        broken = Path(tmp) / "broken"
        broken.mkdir()
        doc = json.loads(openapi[0].read_text())
        first_path = next(iter(doc["paths"].values()))
        next(iter(first_path.values()))["responses"]["503"] = {"$ref": "#/components/responses/X"}
        (broken / "openapi.json").write_text(json.dumps(doc))
        if redocly(tools, [broken / "openapi.json"]).returncode == 0:
            fail("redocly lint accepted a document with a dangling $ref")
        doc = json.loads(events[0].read_text())
        next(iter(doc["operations"].values()))["channel"] = {"$ref": "#/channels/nowhere"}
        (broken / "asyncapi.json").write_text(json.dumps(doc))
        if asyncapi(tools, [broken / "asyncapi.json"]).returncode == 0:
            fail("the AsyncAPI parser accepted a document with a dangling $ref")
    print(f"ok: {len(openapi)} OpenAPI and {len(events)} AsyncAPI documents")


# -- event schemas -------------------------------------------------------------------------

def load_yaml(path):
    """The model as data, with dates left as the text the model wrote (JSON carries text)."""
    import yaml

    class Loader(yaml.SafeLoader):
        pass

    Loader.yaml_implicit_resolvers = {
        k: [(tag, regexp) for tag, regexp in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


def instances(model):
    """(context, event, fields) for every event instance of every example. Instances list the
    fields an example cares about, not always all of them (a `then` checks some fields, a
    `given` may leave out what the command does not read)."""
    for context_name, context in (model.get("contexts") or {}).items():
        for command in (context.get("commands") or {}).values():
            for example in command.get("examples") or []:
                for key in ("given", "then"):
                    for item in example.get(key) or []:
                        for event, fields in item.items():
                            owner, _, name = event.rpartition(".")
                            yield owner or context_name, name, fields or {}


def schemas(eskit, root):
    from jsonschema import Draft202012Validator
    checked = 0
    with tempfile.TemporaryDirectory() as tmp:
        out = generate(eskit, root, Path(tmp))
        files = sorted(out.glob("*/*/events/*.schema.json"))
        if not files:
            fail("no event schemas were written")
        for f in files:
            Draft202012Validator.check_schema(json.loads(f.read_text()))
        for system in SYSTEMS:
            model = load_yaml(root / "examples" / system / "model.yaml")
            for context, event, fields in instances(model):
                found = list((out / system / context / "events").glob(f"{event}.v*.schema.json"))
                if len(found) != 1:
                    fail(f"{system}: no single schema for {context}.{event}: {found}")
                schema = json.loads(found[0].read_text())
                # Every field an instance names must be one the event has, of the right type;
                # the fields it leaves out are the example's choice.
                schema = copy.deepcopy(schema)
                schema.pop("required", None)
                schema["additionalProperties"] = False
                validator = Draft202012Validator(schema,
                                                 format_checker=Draft202012Validator.FORMAT_CHECKER)
                errors = sorted(validator.iter_errors(fields), key=lambda e: list(e.path))
                if errors:
                    fail(f"{system}: {context}.{event} {fields} does not fit its schema: "
                         + "; ".join(e.message for e in errors))
                checked += 1
        # The control: a value of the wrong type must be refused.
        schema = json.loads(files[0].read_text())
        wrong = {name: [] for name in schema.get("properties", {})}
        if not list(Draft202012Validator(schema).iter_errors(wrong)):
            fail(f"{files[0].name} accepted lists for every field")
        schema.pop("required", None)
        schema["additionalProperties"] = False
        if not list(Draft202012Validator(schema).iter_errors({"noSuchField": 1})):
            fail(f"{files[0].name} accepted an instance naming a field the event does not have")
    print(f"ok: {len(files)} event schemas, {checked} example instances")


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "lint":
        lint(sys.argv[2], Path(sys.argv[3]).resolve(), Path(sys.argv[4]).resolve())
    elif len(sys.argv) >= 4 and sys.argv[1] == "schemas":
        schemas(sys.argv[2], Path(sys.argv[3]).resolve())
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
