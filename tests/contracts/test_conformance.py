#!/usr/bin/env python3
"""The contract test of every context of one system, generated from its own documents and run
against its services as processes (embedded broker, SQLite each, sync calls wired to the real
callee):

- every HTTP operation in <context>/openapi.json is called with a request built from its schema
  (ids taken from what the creates answered) and with a token holding one of its roles; then
  without a token (401), with a field of the wrong type (400), with malformed JSON (400) and
  with the wrong content type (415) — every answer must be a documented status whose body fits
  the documented schema;
- every message on the topics <context>/asyncapi.json says the context sends must fit the
  documented headers and payload, keyed by its aggregate id, and a context whose writes
  succeeded must have published.

Usage: test_conformance.py BROKER KCAT SYSTEM_DIR CONTEXT=BINARY...
"""

import json
import re
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "support"))
from conformance import AsyncApi, OpenApi, exercise_order, sample, wrong_type  # noqa: E402
from processes import System, eventually, send, token  # noqa: E402

BROKER, KCAT, SYSTEM_DIR = sys.argv[1], sys.argv[2], Path(sys.argv[3])
BINARIES = dict(arg.split("=", 1) for arg in sys.argv[4:] if "=" in arg)
sys.argv = [sys.argv[0]] + [a for a in sys.argv[4:] if "=" not in a]


def setting_env(setting):
    """`caller.approvePayment.url` → `ESKIT_CALLER_APPROVE_PAYMENT_URL` (docs/configuration.md)."""
    return "ESKIT_" + re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", setting).replace(".", "_").upper()


def required_settings(context, spec):
    """A test value for each setting the model gives no default (a deployment's Secret or
    ConfigMap would): the service refuses to start without them."""
    values = {"int": "1", "long": "1", "decimal": "1", "double": "1", "bool": "true"}
    return {setting_env(f"{context}.{name}"):
            values.get(entry.get("type"), "" if str(entry.get("type")).startswith("list")
                       else f"test-{name}")
            for name, entry in (spec.get("config") or {}).items()
            if isinstance(entry, dict) and "default" not in entry}


def start_order(contexts):
    """Callees before their callers, so a caller starts with its callee's real URL."""
    callees = {name: {call["to"].split(".")[0] for call in (spec.get("calls") or {}).values()}
               for name, spec in contexts.items()}
    order = []
    while len(order) < len(callees):
        ready = sorted(n for n, c in callees.items() if n not in order and c <= set(order))
        order += ready or sorted(n for n in callees if n not in order)  # a cycle: any order
    return order


class Conformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        model = yaml.safe_load((SYSTEM_DIR / "model.yaml").read_text())
        cls.contexts = model["contexts"]
        cls.tmp = tempfile.TemporaryDirectory()
        cls.system = System(cls.tmp.name, BROKER)
        for name in start_order(cls.contexts):
            env = required_settings(name, cls.contexts[name])
            env |= {setting_env(f"{name}.{call_name[0].lower()}{call_name[1:]}.url"):
                   cls.system.urls[call["to"].split(".")[0]]
                   for call_name, call in (cls.contexts[name].get("calls") or {}).items()
                   if call["to"].split(".")[0] in cls.system.urls}
            cls.system.service(name, BINARIES[name], env)

    @classmethod
    def tearDownClass(cls):
        cls.system.close()
        cls.tmp.cleanup()

    def run(self, result=None):
        outcome = super().run(result)
        if result and (result.failures or result.errors):
            print(self.system.logs(), file=sys.stderr)
        return outcome

    def document(self, context, name):
        path = SYSTEM_DIR / "contracts" / context / name
        return json.loads(path.read_text()) if path.exists() else None

    def exercise(self, context, api):
        """Calls every operation; returns (problems, statuses seen, writes that succeeded)."""
        base = self.system.urls[context]
        known = {}  # path parameter → an id a create answered with
        problems, seen, writes = [], [], 0

        def check(op, what, answer, expected=None):
            seen.append((op.id, what, answer.status))
            if expected is not None and answer.status != expected:
                problems.append(f"{context} {op.id} ({what}): {answer.status}, expected "
                                f"{expected}: {answer.raw[:300]!r}")
            for p in op.answer_problems(answer.status, answer.content_type, answer.body):
                problems.append(f"{context} {op.id} ({what}): {p}")

        for op in exercise_order(api.operations):
            path = op.template
            for name in op.path_parameters:
                schema = next(p["schema"] for p in op.parameters if p["name"] == name)
                value = known.get(name, sample(api.doc, schema, name))
                path = path.replace("{" + name + "}", urllib.parse.quote(str(value), safe=""))
            query = {p["name"]: sample(api.doc, p["schema"], p["name"])
                     for p in op.query_parameters() if p.get("required")}
            url = base + path + ("?" + urllib.parse.urlencode(query) if query else "")
            bearer = token(op.roles[0]) if op.roles else None
            body = sample(api.doc, op.body_schema) if op.body_schema else None

            answer = send(op.method, url, body, bearer)
            check(op, "valid request", answer)
            if 200 <= answer.status < 300:
                writes += op.method != "GET"
                if isinstance(answer.body, dict):
                    for name, value in answer.body.items():
                        if isinstance(value, (int, str)):
                            known.setdefault(name, value)
            if op.roles:
                check(op, "no token", send(op.method, url, body), 401)
            if op.body_schema:
                schema = api.doc["components"]["schemas"][op.body_schema["$ref"].split("/")[-1]]
                required = schema.get("required", [])
                if required:
                    field = required[0]
                    broken = dict(body, **{field: wrong_type(api.doc,
                                                             schema["properties"][field])})
                    check(op, f"{field} of the wrong type", send(op.method, url, broken, bearer),
                          400)
                check(op, "malformed JSON", send(op.method, url, bearer=bearer, data=b"{\"x\":"),
                      400)
                check(op, "text/plain", send(op.method, url, bearer=bearer, data=b"{}",
                                             content_type="text/plain"), 415)
        return problems, seen, writes

    def published(self, topic, minimum):
        """Every message on `topic` (kcat -J), once at least `minimum` have arrived."""
        def read():
            r = subprocess.run([KCAT, "-b", self.system.bootstrap, "-C", "-t", topic, "-o",
                                "beginning", "-e", "-J", "-q"], capture_output=True, text=True,
                               timeout=60)
            messages = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
            if r.returncode != 0 and "Unknown topic" not in r.stderr:
                raise AssertionError(f"kcat on {topic}: {r.stderr.strip()}")
            return messages if len(messages) >= minimum else None
        return read() if minimum == 0 else eventually(read, f"{minimum} message(s) on {topic}")

    def test_every_context_keeps_its_contract(self):
        report, writes = [], {}
        for context in sorted(self.contexts):
            openapi = self.document(context, "openapi.json")
            if not openapi:
                continue
            api = OpenApi(openapi)
            self.assertTrue(api.operations, f"{context}: an OpenAPI document with no operation")
            problems, seen, writes[context] = self.exercise(context, api)
            self.assertEqual([], problems, f"{context} broke its OpenAPI contract")
            report.append(f"{context}: {len(api.operations)} operations, {len(seen)} calls; "
                          "valid requests answered " + ", ".join(
                              f"{op} {status}" for op, what, status in seen
                              if what == "valid request"))
        # Events last, so that what the flows caused in other contexts (a policy's command, a
        # sync call's change) has been published too: a context whose own writes succeeded must
        # have published; any other context's messages are checked as far as they have come.
        for context in sorted(self.contexts):
            asyncapi = self.document(context, "asyncapi.json")
            events = AsyncApi(asyncapi) if asyncapi else None
            if not events or not events.sent:
                continue
            for topic in sorted(events.topics):
                messages = self.published(topic, 1 if writes.get(context) else 0)
                problems = []
                for m in messages:
                    headers = dict(zip(m.get("headers", [])[0::2], m.get("headers", [])[1::2]))
                    problems += events.message_problems(headers, m.get("key"),
                                                        json.loads(m["payload"]))
                self.assertEqual([], problems, f"{context} broke its AsyncAPI contract")
                report.append(f"{context}: {len(messages)} message(s) on {topic} conform "
                              f"({', '.join(sorted({json.loads(m['payload'])['type'] for m in messages}))})")
        print("\n".join(report), file=sys.stderr)


class Checker(unittest.TestCase):
    """The checks themselves reject what breaks a contract (so a pass means something)."""

    DOC = {"openapi": "3.1.0", "paths": {"/things/{thingId}": {"get": {
        "operationId": "GetThing",
        "parameters": [{"name": "thingId", "in": "path", "required": True,
                        "schema": {"type": "integer"}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {
            "schema": {"$ref": "#/components/schemas/Thing"}}}}}}}},
        "components": {"schemas": {"Thing": {
            "type": "object", "properties": {"thingId": {"type": "integer"},
                                             "at": {"type": "string", "format": "date"}},
            "required": ["thingId"]}}}}

    def test_wrong_bodies_statuses_and_types_are_reported(self):
        op = OpenApi(self.DOC).find("GET", "/things/7")
        self.assertIsNotNone(op)
        self.assertEqual([], op.answer_problems(200, "application/json", {"thingId": 7}))
        self.assertTrue(op.answer_problems(200, "application/json", {"thingId": "7"}))
        self.assertTrue(op.answer_problems(200, "application/json", {}))
        self.assertTrue(op.answer_problems(200, "application/json",
                                           {"thingId": 7, "at": "2026-13-45"}))
        self.assertTrue(op.answer_problems(500, "application/json", {"thingId": 7}))
        self.assertTrue(op.answer_problems(200, "text/html", {"thingId": 7}))
        self.assertIsNone(OpenApi(self.DOC).find("POST", "/things/7"))

    def test_messages_off_contract_are_reported(self):
        documents = [json.loads(p.read_text())
                     for p in sorted((SYSTEM_DIR / "contracts").glob("*/asyncapi.json"))]
        doc = next(d for d in documents if AsyncApi(d).sent)
        events = AsyncApi(doc)
        kind, message = sorted(events.sent.items())[0]
        payload = sample(doc, message["payload"])
        headers = sample(doc, message["headers"])
        key = payload["aggregateId"]
        self.assertEqual([], events.message_problems(headers, key, payload))
        self.assertTrue(events.message_problems(headers, key + "x", payload), "wrong key")
        self.assertTrue(events.message_problems(dict(headers, **{"eskit-event-type": "Nope"}),
                                                key, payload), "undocumented type")
        self.assertTrue(events.message_problems(headers, key, dict(payload, data={})),
                        "data without its required fields")

    def test_samples_fit_their_schemas(self):
        doc = self.DOC
        thing = sample(doc, {"$ref": "#/components/schemas/Thing"})
        self.assertEqual([], OpenApi(doc).find("GET", "/things/1").answer_problems(
            200, "application/json", thing))


if __name__ == "__main__":
    unittest.main()
