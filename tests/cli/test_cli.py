#!/usr/bin/env python3
"""The `eskit` command-line contract: exit codes, output formats, and hostile inputs.

Usage: test_cli.py ESKIT_BINARY SOURCE_DIR
Exit codes are part of the contract CI relies on: 0 valid, 1 model errors, 2 usage or I/O.
Every hostile input must end in a clear message within the time limit, never a crash.
"""

import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ESKIT = sys.argv[1] if len(sys.argv) > 1 else "eskit"
ROOT = Path(sys.argv[2] if len(sys.argv) > 2 else ".").resolve()
LIMIT = 20  # seconds; a hang is a failure, not a wait


def run(*args, cwd=None):
    return subprocess.run([ESKIT, *args], capture_output=True, text=True, timeout=LIMIT,
                          cwd=cwd, errors="replace")


class Cli(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self.tmp.name)

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, name, content):
        path = self.dir / name
        mode = "wb" if isinstance(content, bytes) else "w"
        with open(path, mode) as f:
            f.write(content)
        return str(path)

    def assert_not_crashed(self, result):
        # A signal shows as a negative return code.
        self.assertGreaterEqual(result.returncode, 0, result.stderr)

    # -- conventions ---------------------------------------------------------------------
    def test_version_and_help(self):
        r = run("--version")
        self.assertEqual(0, r.returncode)
        self.assertRegex(r.stdout.strip(), r"^eskit \d+\.\d+\.\d+$")
        r = run("--help")
        self.assertEqual(0, r.returncode)
        self.assertIn("validate", r.stdout)
        r = run("validate", "--help")
        self.assertEqual(0, r.returncode)
        self.assertIn("--error-format", r.stdout)
        self.assertIn("Exit status", r.stdout)

    def test_usage_errors_exit_2(self):
        self.assertEqual(2, run().returncode)
        self.assertEqual(2, run("frobnicate").returncode)
        self.assertEqual(2, run("validate").returncode)
        r = run("validate", "--error-format", "xml", "x.yaml")
        self.assertEqual(2, r.returncode)
        self.assertIn("xml", r.stderr)

    # -- results -------------------------------------------------------------------------
    def test_examples_are_valid(self):
        models = sorted(str(p) for p in (ROOT / "examples").glob("*/model.yaml"))
        self.assertEqual(5, len(models))
        r = run("validate", *models)
        self.assertEqual(0, r.returncode, r.stderr)
        self.assertEqual(5, r.stdout.count(": ok ("), r.stdout)

    def test_model_errors_exit_1_with_compiler_style_diagnostics(self):
        path = self.write("m.yaml", "model: shop\nversion: 1.0.0\ncontexts:\n  sales:\n    kind: cor\n")
        r = run("validate", "--color", "never", path)
        self.assertEqual(1, r.returncode)
        self.assertIn(f"{path}:5:11: error: kind must be core, supporting or generic, found 'cor'",
                      r.stderr)
        self.assertIn("      kind: cor\n            ^\n  note: did you mean 'core'?", r.stderr)

    def test_every_error_is_reported_at_once(self):
        path = self.write("m.yaml", "model: shop\nversion: 1\ncontexts:\n  sales:\n    kind: cor\n"
                                    "    storage: mysql\n")
        r = run("validate", "--error-format", "json", path)
        self.assertEqual(1, r.returncode)
        diagnostics = json.loads(r.stdout)
        self.assertEqual([(2, 10), (5, 11), (6, 14)],
                         [(d["line"], d["column"]) for d in diagnostics])
        self.assertTrue(all(d["severity"] == "error" and d["file"] == path for d in diagnostics))

    def test_github_format_annotates(self):
        path = self.write("m.yaml", "model: shop\nversion: 1.0.0\ncontexts:\n  sales:\n    kind: cor\n")
        r = run("validate", "--error-format", "github", path)
        self.assertEqual(1, r.returncode)
        self.assertIn(f"::error file={path},line=5,col=11::kind must be core", r.stdout)

    def test_one_unreadable_file_exits_2_but_still_checks_the_others(self):
        good = str(ROOT / "examples" / "drivercall" / "model.yaml")
        r = run("validate", good, str(self.dir / "missing.yaml"))
        self.assertEqual(2, r.returncode)
        self.assertIn("missing.yaml: error: no such file", r.stderr)
        self.assertIn(": ok (", r.stdout)

    # -- hostile inputs ------------------------------------------------------------------
    def test_duplicate_keys_are_errors(self):
        path = self.write("m.yaml", "model: a\nversion: 1.0.0\nmodel: b\ncontexts: {}\n")
        r = run("validate", path)
        self.assertEqual(1, r.returncode)
        self.assertIn(f"{path}:3:1: error: duplicate key 'model'", r.stderr)

    def test_malformed_yaml(self):
        path = self.write("m.yaml", "model: a\ncontexts: {x: [1, 2}\n")
        r = run("validate", path)
        self.assertEqual(1, r.returncode)
        self.assertRegex(r.stderr, rf"{path}:2:\d+: error: invalid YAML: ")

    def test_binary_file(self):
        path = self.write("m.yaml", bytes(range(256)) * 64)
        r = run("validate", path)
        self.assertEqual(1, r.returncode)
        self.assertIn("is not a text file", r.stderr)
        self.assertLess(len(r.stderr), 2000, "a binary file must not be echoed back")

    def test_empty_and_comment_only_files(self):
        for content in ["", "\n\n  \n", "# just a comment\n"]:
            path = self.write("m.yaml", content)
            r = run("validate", path)
            self.assertEqual(1, r.returncode, repr(content))
            self.assertIn("error: the model file is empty", r.stderr)

    def test_fifty_megabyte_file_is_refused_quickly(self):
        path = self.dir / "big.yaml"
        with open(path, "w") as f:
            line = "# " + "x" * 1022 + "\n"
            for _ in range(50 * 1024):
                f.write(line)
        r = run("validate", str(path))
        self.assertEqual(2, r.returncode)
        self.assertIn("the file is 50 MB; eskit reads model files up to 16 MB", r.stderr)

    def test_deeply_nested_yaml(self):
        for text in ["a: " + "[" * 100000, "a:\n" + "".join(" " * i + "- \n" for i in range(1, 3000)),
                     "a: " + "{b: " * 50000]:
            path = self.write("m.yaml", text)
            r = run("validate", path)
            self.assert_not_crashed(r)
            self.assertEqual(1, r.returncode, r.stderr[-500:])
            self.assertRegex(r.stderr, r"nests deeper than 64 levels|invalid YAML")

    def test_directory_passed_as_file(self):
        r = run("validate", str(self.dir))
        self.assertEqual(2, r.returncode)
        self.assertIn("is a directory; pass the model file", r.stderr)

    def test_invalid_utf8_is_reported_not_crashed(self):
        path = self.write("m.yaml", b"model: caf\xc3\x28\nversion: 1.0.0\n")
        r = run("validate", path)
        self.assert_not_crashed(r)
        self.assertEqual(1, r.returncode)


class Broker(unittest.TestCase):
    """`eskit broker`: runs eskit-broker, which announces its address and serves real Kafka."""

    def test_announces_address_serves_kafka_and_stops_cleanly(self):
        with tempfile.TemporaryDirectory() as tmp:
            address_file = Path(tmp) / "broker.address"
            broker = subprocess.Popen([ESKIT, "broker", "--address-file", str(address_file),
                                       "--topic", "rides:3"],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            try:
                announced = broker.stdout.readline().strip()  # blocks until it listens
                self.assertRegex(announced, r"^127\.0\.0\.1:\d+(,127\.0\.0\.1:\d+)*$")
                self.assertEqual(announced, address_file.read_text().strip())
                # kcat is an independent Kafka client: the topic and its partitions are real.
                listing = subprocess.run(["kcat", "-b", announced, "-L", "-t", "rides"],
                                         capture_output=True, text=True, timeout=LIMIT)
                self.assertEqual(0, listing.returncode, listing.stderr)
                self.assertIn('topic "rides" with 3 partitions', listing.stdout)
            finally:
                broker.terminate()
                _, err = broker.communicate(timeout=LIMIT)
            self.assertEqual(0, broker.returncode, err)
            self.assertFalse(address_file.exists(), "a stale address file would mislead a reader")

    def test_options_belong_to_the_broker(self):
        r = run("broker", "--help")
        self.assertEqual(0, r.returncode, r.stderr)
        self.assertIn("--address-file", r.stdout)
        r = run("broker", "--brokers", "0")
        self.assertEqual(2, r.returncode)
        self.assertIn("--brokers", r.stderr)


class Gateway(unittest.TestCase):
    """`eskit gateway`: runs eskit-gateway, which refuses to start half-configured."""

    def test_help_names_its_configuration(self):
        r = run("gateway", "--help")
        self.assertEqual(0, r.returncode, r.stderr)
        self.assertIn("--config", r.stdout)

    def test_missing_configuration_is_exit_78_naming_every_setting(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("ESKIT_")}
        r = subprocess.run([ESKIT, "gateway"], capture_output=True, text=True, timeout=LIMIT,
                           env=env)
        self.assertEqual(78, r.returncode, r.stdout + r.stderr)
        text = r.stdout + r.stderr
        for setting, variable in [("gateway.routes", "ESKIT_GATEWAY_ROUTES"),
                                  ("gateway.upstreams", "ESKIT_GATEWAY_UPSTREAMS"),
                                  ("auth.jwt.key", "ESKIT_AUTH_JWT_KEY")]:
            self.assertIn(setting, text)
            self.assertIn(variable, text)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=1)
