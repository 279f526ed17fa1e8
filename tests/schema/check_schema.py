#!/usr/bin/env python3
"""Checks schemas/model.schema.json.

1. The schema is a valid JSON Schema (draft 2020-12).
2. Every examples/*/model.yaml and tests/schema/valid/*.yaml is accepted
   (and at least MIN_EXAMPLES example models exist).
3. Every file named in tests/schema/corpus-sample.txt (a sample of the checker's corpus,
   tests/models/invalid) is rejected.
4. Every tests/schema/invalid/*.yaml is rejected, and every error is reported
   at a JSON path containing the text of the file's first-line comment
   `# expect-path: <substring>` (so each file holds exactly the one mistake
   it is about).

Prints each failure as `path: message` and a final `schema: N passed, M failed`
line; exits 0 when nothing failed, 1 otherwise. Run from anywhere:

    python3 tests/schema/check_schema.py [-v]
"""

import json
import re
import sys
from pathlib import Path

import yaml
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schemas" / "model.schema.json"
MIN_EXAMPLES = 5
EXPECT_RE = re.compile(r"^#\s*expect-path:\s*(\S.*?)\s*$")


class Yaml12Loader(yaml.SafeLoader):
    """A safe loader that resolves plain scalars the YAML 1.2 core way.

    yaml-language-server reads models as YAML 1.2, where `on`, `yes`, `no`
    and `off` are strings and `2024-05-01` is a string, not a date. PyYAML
    follows YAML 1.1 (where `on: Event` would become `True: Event`), so the
    bool, int, float and timestamp resolvers are replaced by the 1.2 core ones.
    """


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int",
                           "tag:yaml.org,2002:float", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
               r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"),
    list("-+0123456789."))


def _construct_int(loader, node):
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text)


Yaml12Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def rel(path):
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Yaml12Loader)


def describe(error):
    """`json_path: message`, with the most relevant reason of a oneOf/anyOf failure."""
    text = f"{error.json_path}: {error.message}"
    if error.context:
        # Prefer the branch the instance's type fits, then the deepest error in it.
        cause = min(error.context,
                    key=lambda e: (e.validator == "type", e.validator == "additionalProperties",
                                   -len(e.absolute_path)))
        text += f" (closest: {cause.json_path}: {cause.message})"
    return text


class Checker:
    def __init__(self, verbose):
        self.verbose = verbose
        self.passed = 0
        self.failed = 0

    def ok(self, name, note="ok"):
        self.passed += 1
        if self.verbose:
            print(f"{name}: {note}")

    def fail(self, name, message):
        self.failed += 1
        print(f"{name}: {message}")

    def errors(self, validator, path):
        """The validation errors of a YAML file, or None after reporting a load failure."""
        try:
            document = load_yaml(path)
        except (OSError, yaml.YAMLError) as e:
            self.fail(rel(path), f"cannot load: {e}".replace("\n", " "))
            return None
        return sorted(validator.iter_errors(document), key=lambda e: list(e.path))

    def check_valid(self, validator, path):
        errors = self.errors(validator, path)
        if errors is None:
            return
        if errors:
            for e in errors:
                self.fail(rel(path), describe(e))
        else:
            self.ok(rel(path))

    def check_rejected(self, validator, path):
        """A broken model from the checker's corpus: the schema alone must refuse it."""
        errors = self.errors(validator, path)
        if errors is None:
            return
        if errors:
            self.ok(rel(path), "rejected: " + describe(errors[0]))
        else:
            self.fail(rel(path), "accepted, but the schema should reject it")

    def check_invalid(self, validator, path):
        with open(path, encoding="utf-8") as f:
            first = f.readline()
        m = EXPECT_RE.match(first)
        if not m:
            self.fail(rel(path), "first line must be `# expect-path: <substring>`")
            return
        expected = m.group(1)
        errors = self.errors(validator, path)
        if errors is None:
            return
        if not errors:
            self.fail(rel(path), f"accepted, but should be rejected at a path containing '{expected}'")
            return
        stray = [e for e in errors if expected not in e.json_path]
        if stray:
            for e in stray:
                self.fail(rel(path), f"error not at a path containing '{expected}': {describe(e)}")
        else:
            self.ok(rel(path), "rejected: " + "; ".join(describe(e) for e in errors))


def main(argv):
    checker = Checker(verbose="-v" in argv[1:])

    try:
        with open(SCHEMA, encoding="utf-8") as f:
            schema = json.load(f)
        Draft202012Validator.check_schema(schema)
    except (OSError, ValueError) as e:
        checker.fail(rel(SCHEMA), f"cannot load: {e}")
    except SchemaError as e:
        checker.fail(rel(SCHEMA), f"not a valid draft 2020-12 schema: {e.json_path}: {e.message}")
    else:
        checker.ok(rel(SCHEMA), "valid draft 2020-12 schema")
        validator = Draft202012Validator(schema)

        examples = sorted(ROOT.glob("examples/*/model.yaml"))
        if len(examples) < MIN_EXAMPLES:
            checker.fail("examples", f"found {len(examples)} example model(s) "
                         f"(examples/*/model.yaml), expected at least {MIN_EXAMPLES}")
        else:
            checker.ok("examples", f"{len(examples)} example models")
        for path in examples:
            checker.check_valid(validator, path)

        valid = sorted((ROOT / "tests" / "schema" / "valid").glob("*.yaml"))
        if not valid:
            checker.fail("tests/schema/valid", "no valid models found")
        for path in valid:
            checker.check_valid(validator, path)

        invalid = sorted((ROOT / "tests" / "schema" / "invalid").glob("*.yaml"))
        if not invalid:
            checker.fail("tests/schema/invalid", "no invalid models found")
        for path in invalid:
            checker.check_invalid(validator, path)

        # A sample of the checker's corpus of broken models (tests/models/invalid).
        sample = ROOT / "tests" / "schema" / "corpus-sample.txt"
        names = [line.strip() for line in sample.read_text(encoding="utf-8").splitlines()
                 if line.strip() and not line.startswith("#")]
        for name in names:
            path = ROOT / "tests" / "models" / "invalid" / name
            if not path.exists():
                checker.fail(rel(path), "listed in corpus-sample.txt but missing")
                continue
            checker.check_rejected(validator, path)

    print(f"schema: {checker.passed} passed, {checker.failed} failed")
    return 1 if checker.failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
