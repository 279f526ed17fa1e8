#!/usr/bin/env python3
"""`eskit diff` over the corpus in tests/diff/cases/<name>/: old.yaml, new.yaml and
expected.txt, whose header gives the arguments (`# args:`) and the exit status (`# exit:`) and
whose other lines are exactly what the command must print, locations included. Also checks the
JSON format, reading a model from git, and the errors for a bad reference or category.

Usage: check_cases.py ESKIT CASES_DIR
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

ESKIT, CASES = sys.argv[1], Path(sys.argv[2])
failures = []


def run(args, cwd):
    return subprocess.run([ESKIT, "diff", *args], capture_output=True, text=True, cwd=cwd)


cases = sorted(p for p in CASES.iterdir() if p.is_dir())
for case in cases:
    lines = (case / "expected.txt").read_text().splitlines()
    args = lines[0].removeprefix("# args:").split()
    status = int(lines[1].removeprefix("# exit:"))
    expected = lines[2:]
    r = run(["old.yaml", "new.yaml", *args], case)
    if r.returncode != status or r.stdout.splitlines() != expected:
        failures.append(f"{case.name}: exit {r.returncode} (expected {status})\n"
                        f"  got:      {r.stdout.splitlines()}\n  expected: {expected}\n"
                        f"  stderr: {r.stderr.strip()}")
    # Every case must make a difference, or it proves nothing: identical files say nothing.
    if (case / "old.yaml").read_text() == (case / "new.yaml").read_text():
        failures.append(f"{case.name}: old.yaml and new.yaml are the same")

if len(cases) < 30:
    failures.append(f"only {len(cases)} cases; the corpus keeps at least 30")

# The same findings as JSON, with the fields tools read.
case = CASES / "event-field-removed"
r = run(["old.yaml", "new.yaml", "--format", "json"], case)
items = json.loads(r.stdout)
if r.returncode != 1 or [(i["severity"], i["category"], i["line"]) for i in items] != \
        [("breaking", "wire", 45)] or not items[0]["file"].endswith("new.yaml"):
    failures.append(f"json format: {r.returncode} {r.stdout}")

# A model read from git, and a reference that does not exist (exit 2, git's reason).
with tempfile.TemporaryDirectory() as tmp:
    git = ["git", "-C", tmp, "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run(["git", "init", "-q", tmp], check=True)
    model = Path(tmp) / "model.yaml"
    model.write_text((CASES / "route-removed" / "old.yaml").read_text())
    subprocess.run([*git, "add", "model.yaml"], check=True)
    subprocess.run([*git, "commit", "-qm", "old"], check=True)
    model.write_text((CASES / "route-removed" / "new.yaml").read_text())
    r = run(["git:HEAD:model.yaml", "model.yaml"], tmp)
    expected = (CASES / "route-removed" / "expected.txt").read_text().splitlines()[2:]
    if r.returncode != 1 or r.stdout.splitlines() != [l.replace("new.yaml", "model.yaml")
                                                     for l in expected]:
        failures.append(f"git source: {r.returncode} {r.stdout} {r.stderr}")
    r = run(["git:no-such-ref:model.yaml", "model.yaml"], tmp)
    if r.returncode != 2 or "git:no-such-ref:model.yaml: error:" not in r.stderr:
        failures.append(f"bad git reference: {r.returncode} {r.stderr}")

r = run(["old.yaml", "new.yaml", "--categories", "wire,api"], CASES / "route-removed")
if r.returncode != 2 or "'api'" not in r.stderr:
    failures.append(f"bad category: {r.returncode} {r.stderr}")
r = run(["missing.yaml", "new.yaml"], CASES / "route-removed")
if r.returncode != 2:
    failures.append(f"missing file: {r.returncode} {r.stderr}")

for f in failures:
    print("FAIL:", f)
print(f"{len(cases)} cases, {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
