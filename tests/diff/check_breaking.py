#!/usr/bin/env python3
"""scripts/check-breaking in a scratch repository: no previous commit is a skip, a breaking
commit fails, the same commit with a `Breaking-Change:` trailer passes, a safe one passes, and
a model new in the commit is skipped.

Usage: check_breaking.py ESKIT SOURCE_DIR
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ESKIT, SOURCE = sys.argv[1], Path(sys.argv[2])
SCRIPT = SOURCE / "scripts" / "check-breaking"
CASES = SOURCE / "tests" / "diff" / "cases"
failures = []

with tempfile.TemporaryDirectory() as tmp:
    def git(*args):
        subprocess.run(["git", "-C", tmp, "-c", "user.name=t", "-c", "user.email=t@example.com",
                        *args], check=True, capture_output=True)

    def check(what, expected_status, needle):
        r = subprocess.run([str(SCRIPT), ESKIT, "model.yaml"], cwd=tmp, capture_output=True,
                           text=True)
        out = r.stdout + r.stderr
        if r.returncode != expected_status or needle not in out:
            failures.append(f"{what}: exit {r.returncode}, expected {expected_status} with "
                            f"{needle!r}:\n{out}")

    model = Path(tmp) / "model.yaml"
    git("init", "-q")
    shutil.copy(CASES / "route-removed" / "old.yaml", model)
    git("add", "model.yaml")
    git("commit", "-qm", "first")
    check("first commit", 0, "no previous commit")

    shutil.copy(CASES / "route-removed" / "new.yaml", model)
    git("commit", "-qam", "drop the shipment route")
    check("breaking commit", 1, "breaking[http]")

    git("commit", "-q", "--amend", "-m",
        "drop the shipment route\n\nBreaking-Change: the shipment route moved to the gateway")
    check("breaking commit with a trailer", 0, "accepted")

    shutil.copy(CASES / "optional-input-added" / "new.yaml", model)
    shutil.copy(CASES / "optional-input-added" / "old.yaml", model)
    git("commit", "-qam", "back to the old model", "--allow-empty")
    shutil.copy(CASES / "optional-input-added" / "new.yaml", model)
    git("commit", "-qam", "an optional input")
    check("safe commit", 0, "0 breaking")

    git("mv", "model.yaml", "renamed.yaml")
    git("commit", "-qm", "rename")
    shutil.copy(Path(tmp) / "renamed.yaml", model)
    git("add", "model.yaml")
    git("commit", "-qm", "a new model file")
    check("new model", 0, "new in this commit")

for f in failures:
    print("FAIL:", f)
print(f"check-breaking: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
