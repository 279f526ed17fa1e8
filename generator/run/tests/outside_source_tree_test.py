#!/usr/bin/env python3
"""An installed eskit runs a system that lives outside eskit's source tree: a team's own
repository holding only its model, its hand-written rules and its scenarios. `eskit run`
generates the services, configures <system>/.eskit/build against the installed eskit package
(find_package(eskit)), builds them and plays a scenario; a second run reuses that build.

Usage: outside_source_tree_test.py BUILD_DIR EXAMPLE_DIR SCENARIO
"""

import os
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

BUILD, EXAMPLE, SCENARIO = (Path(a) for a in sys.argv[1:4])
sys.argv = sys.argv[:1] + sys.argv[4:]


def run(*command, **kwargs):
    return subprocess.run([str(c) for c in command], capture_output=True, text=True,
                          timeout=900, **kwargs)


class OutsideTheSourceTree(unittest.TestCase):
    def test_an_installed_eskit_generates_builds_and_runs_a_system_of_its_own(self):
        with tempfile.TemporaryDirectory() as tmp:
            prefix, system = Path(tmp) / "prefix", Path(tmp) / "repo"
            installed = run("cmake", "--install", BUILD, "--prefix", prefix)
            self.assertEqual(0, installed.returncode, installed.stdout + installed.stderr)
            self.assertTrue((prefix / "lib/cmake/eskit/eskitConfig.cmake").exists())

            # What a team keeps in its own repository: no generated code, no CMakeLists.txt.
            system.mkdir()
            shutil.copy(EXAMPLE / "model.yaml", system)
            shutil.copytree(EXAMPLE / "scenarios", system / "scenarios")
            for rules in EXAMPLE.glob("*/src"):
                shutil.copytree(rules, system / rules.parent.name / "src")

            eskit = prefix / "bin" / "eskit"
            scenario = system / "scenarios" / SCENARIO
            first = run(eskit, "run", system, "--scenario", scenario)
            self.assertEqual(0, first.returncode, first.stdout + first.stderr)
            self.assertIn("every step held", first.stdout)
            self.assertTrue((system / "CMakeLists.txt").exists(), "eskit run generated the system")
            cache = (system / ".eskit/build/CMakeCache.txt").read_text()
            self.assertIn(f"eskit_DIR:PATH={prefix}/lib/cmake/eskit", cache,
                          "built against the installed package, not the source tree")

            again = run(eskit, "run", system, "--no-build", "--scenario", scenario)
            self.assertEqual(0, again.returncode, again.stdout + again.stderr)


if __name__ == "__main__":
    unittest.main()
