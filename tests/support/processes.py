"""Generated services as processes, for the tests that run them: the embedded broker, each
service on its own SQLite file and an ephemeral port, JWTs they accept, HTTP calls, and waiting
on a condition with a deadline (never sleeping for luck).

Imported by tests/generate/test_serve.py and tests/contracts/test_conformance.py.
"""

import base64
import hashlib
import hmac
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

# A test-only HS256 key: the services read it from the environment like any deployment would.
SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef"
AUTH = {"ESKIT_AUTH_JWT_ALGORITHM": "HS256", "ESKIT_AUTH_JWT_KEY": SECRET,
        "ESKIT_AUTH_JWT_ISSUER": "eskit-test", "ESKIT_AUTH_JWT_AUDIENCE": "eskit-test"}
DEADLINE = 40  # seconds for anything eventual: group joins take ~3 s, a projection less


def token(*roles, subject="tester"):
    def b64(data):
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()
    now = int(time.time())
    head = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    body = b64(json.dumps({"sub": subject, "roles": list(roles), "iss": "eskit-test",
                           "aud": "eskit-test", "iat": now, "exp": now + 3600}).encode())
    sig = b64(hmac.new(SECRET.encode(), f"{head}.{body}".encode(), hashlib.sha256).digest())
    return f"{head}.{body}.{sig}"


class Answer:
    """One HTTP response: status, content type and the parsed JSON body (None when empty)."""

    def __init__(self, status, content_type, raw):
        self.status = status
        self.content_type = (content_type or "").split(";")[0].strip()
        self.raw = raw
        try:
            self.body = json.loads(raw) if raw else None
        except ValueError:
            self.body = None


def send(method, url, body=None, bearer=None, data=None, content_type="application/json"):
    """The full Answer; `data` sends raw bytes instead of `body` as JSON."""
    if data is None and body is not None:
        data = json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", content_type)
    if bearer:
        request.add_header("Authorization", "Bearer " + bearer)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.headers.get("Content-Type"), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.headers.get("Content-Type"), error.read())


def call(method, url, body=None, bearer=None):
    """(status, JSON body or None)."""
    answer = send(method, url, body, bearer)
    return answer.status, answer.body


def eventually(check, what, deadline=DEADLINE):
    """Polls `check` until it returns a true value; fails naming `what` at the deadline."""
    end = time.monotonic() + deadline
    last = None
    while time.monotonic() < end:
        last = check()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError(f"{what}: not within {deadline} s (last: {last!r})")


class System:
    """The broker and some services, each a process with its own SQLite file."""

    def __init__(self, directory, broker):
        self.dir = Path(directory)
        self.processes = []
        address = self.dir / "broker.address"
        self.start([broker, "--address-file", str(address)], "broker", {})
        self.bootstrap = eventually(lambda: address.exists() and address.read_text().strip(),
                                    "the broker's address")
        self.urls = {}

    def start(self, command, name, env):
        log = open(self.dir / f"{name}.log", "w")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, **env})
        self.processes.append((name, process, log))
        return process

    def service(self, name, binary, env=None):
        """Starts a service and returns its base URL once it answers /ready."""
        log = self.dir / f"{name}.log"
        process = self.start([binary], name, {
            "ESKIT_DB_URL": f"sqlite:{self.dir / name}.db", "ESKIT_HTTP_PORT": "0",
            "ESKIT_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap, **AUTH, **(env or {})})

        def port():
            if process.poll() is not None:
                raise AssertionError(f"{name} exited with {process.returncode}:\n"
                                     f"{log.read_text()[-3000:]}")
            match = re.search(r'"msg":"listening".*"port":(\d+)', log.read_text())
            return match and int(match.group(1))
        url = f"http://127.0.0.1:{eventually(port, name + ' listening')}"
        eventually(lambda: call("GET", url + "/ready")[0] == 200, name + " ready")
        self.urls[name] = url
        return url

    def stop(self, name):
        for n, process, log in self.processes:
            if n == name and process.poll() is None:
                process.terminate()
                process.wait(timeout=30)

    def close(self):
        for _, process, log in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
            log.close()

    def logs(self):
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in self.dir.glob("*.log"))
