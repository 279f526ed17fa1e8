"""Does a running service keep its own contract? Checks an HTTP answer against the context's
OpenAPI document and a published Kafka message against its AsyncAPI document, and derives the
requests that exercise every operation from the OpenAPI document alone — so the contract test of
each context is generated from the same documents `eskit contracts` writes.

JSON Schema validation is python3-jsonschema (draft 2020-12, which OpenAPI 3.1 and the event
schemas use); `$ref`s resolve inside the document they come from.
"""

import re
import uuid

from jsonschema import Draft202012Validator

FORMATS = Draft202012Validator.FORMAT_CHECKER


def pointer(doc, ref):
    """The node at a local `#/a/b~1c` reference."""
    node = doc
    for part in ref.lstrip("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def deref(doc, node):
    while isinstance(node, dict) and "$ref" in node:
        node = pointer(doc, node["$ref"])
    return node


def schema_problems(doc, schema, instance):
    """Every way `instance` fails `schema`, a schema inside `doc` (so its `$ref`s resolve)."""
    root = {key: value for key, value in doc.items() if key != "$schema"}
    root.update(schema if "$ref" not in schema else {"$ref": schema["$ref"]})
    validator = Draft202012Validator(root, format_checker=FORMATS)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
            for e in sorted(validator.iter_errors(instance), key=lambda e: list(e.path))]


class Operation:
    def __init__(self, doc, template, method, spec):
        self.doc = doc
        self.template = template
        self.method = method.upper()
        self.spec = spec
        self.id = spec.get("operationId", f"{method} {template}")
        names = re.findall(r"\{([^}]+)\}", template)
        self.path_parameters = names
        self.pattern = re.compile(
            "^" + re.sub(r"\\\{[^}]+\\\}", "([^/]+)", re.escape(template)) + "$")
        self.parameters = [deref(doc, p) for p in spec.get("parameters", [])]
        body = spec.get("requestBody")
        self.body_schema = None
        if body:
            body = deref(doc, body)
            self.body_schema = body["content"]["application/json"]["schema"]

    @property
    def roles(self):
        """The roles of the first security alternative; None when the operation is open."""
        security = self.spec.get("security")
        if not security:
            return None
        return sorted({role for alternative in security for role in alternative.get("bearerAuth", [])})

    def query_parameters(self):
        return [p for p in self.parameters if p["in"] == "query"]

    def answer_problems(self, status, content_type, body):
        """Why this answer breaks the contract; empty when it keeps it."""
        responses = self.spec.get("responses", {})
        response = responses.get(str(status), responses.get("default"))
        if response is None:
            return [f"{self.method} {self.template}: status {status} is not documented "
                    f"(documented: {', '.join(sorted(responses))})"]
        response = deref(self.doc, response)
        content = response.get("content")
        if not content:
            return [] if body is None else [f"{status}: a body where the contract has none"]
        if content_type not in content:
            return [f"{self.method} {self.template} {status}: content type {content_type!r}, "
                    f"the contract says {sorted(content)}"]
        schema = content[content_type]["schema"]
        return [f"{self.method} {self.template} {status}: {p}"
                for p in schema_problems(self.doc, schema, body)]


class OpenApi:
    def __init__(self, doc):
        self.doc = doc
        self.operations = [Operation(doc, template, method, spec)
                           for template, item in doc.get("paths", {}).items()
                           for method, spec in item.items()
                           if method in ("get", "post", "put", "patch", "delete")]

    def find(self, method, path):
        for op in self.operations:
            if op.method == method.upper() and op.pattern.match(path):
                return op
        return None


class AsyncApi:
    """The messages a context sends, by event type."""

    def __init__(self, doc):
        self.doc = doc
        self.sent = {}
        self.topics = set()
        for operation in doc.get("operations", {}).values():
            if operation["action"] != "send":
                continue
            channel = deref(doc, operation["channel"])
            self.topics.add(channel["address"])
            for ref in operation["messages"]:
                message = deref(doc, ref)
                self.sent[message["name"]] = message

    def message_problems(self, headers, key, payload):
        kind = headers.get("eskit-event-type")
        message = self.sent.get(kind)
        if message is None:
            return [f"event type {kind!r} is not one this context documents sending "
                    f"({', '.join(sorted(self.sent))})"]
        problems = [f"{kind} headers: {p}"
                    for p in schema_problems(self.doc, message["headers"], headers)]
        problems += [f"{kind} payload: {p}"
                     for p in schema_problems(self.doc, message["payload"], payload)]
        if isinstance(payload, dict) and key != payload.get("aggregateId"):
            problems.append(f"{kind}: Kafka key {key!r} is not the aggregate id "
                            f"{payload.get('aggregateId')!r}")
        return problems


def sample(doc, schema, name="", depth=0):
    """A value that fits `schema`, plausible for a person reading the test's log: the first
    enum value, a date for dates, a positive number large enough for typical minimums."""
    schema = deref(doc, schema)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for combinator in ("oneOf", "anyOf"):
        if combinator in schema:
            choices = [c for c in schema[combinator] if deref(doc, c).get("type") != "null"]
            return sample(doc, choices[0], name, depth)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "object":
        properties = schema.get("properties", {})
        return {key: sample(doc, value, key, depth + 1) for key, value in properties.items()}
    if kind == "array":
        return [sample(doc, schema.get("items", {}), name, depth + 1)] if depth < 3 else []
    if kind == "integer":
        return max(schema.get("minimum", 10000), 1) if not name.lower().endswith("id") else 1
    if kind == "number":
        return float(max(schema.get("minimum", 10000.5), 1))
    if kind == "boolean":
        return True
    form = schema.get("format")
    if form == "date":
        return "2026-12-07"
    if form == "date-time":
        return "2026-12-07T10:00:00.000000Z"
    if form == "uuid":
        return str(uuid.uuid5(uuid.NAMESPACE_URL, name or "eskit"))
    if form == "decimal" or schema.get("pattern", "").startswith("^-?[0-9]"):
        return "10000.50"
    text = f"sample {name}".strip()
    length = schema.get("minLength", 0)
    return text + "x" * max(0, length - len(text))


def wrong_type(doc, schema):
    """A value that cannot fit `schema`'s type, for the 400 a malformed field must get."""
    kind = deref(doc, schema).get("type")
    return "not a number" if kind in ("integer", "number", "boolean") else 12345


def exercise_order(operations):
    """Creates before reads before changes before deletes, so that every path parameter has an
    id that exists by the time an operation needs it."""
    def rank(op):
        if op.method == "POST" and not op.path_parameters:
            return 0
        if op.method == "GET":
            return 1
        return 3 if op.method == "DELETE" else 2
    return sorted(operations, key=lambda op: (rank(op), op.template, op.method))
