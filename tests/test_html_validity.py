"""Every kind of page is valid HTML for the Nu Html Checker (vnu.jar, the W3C validator's engine):
no error and no warning (an unnamed empty nav, a section without a heading…).

vnu.jar comes from the npm registry (package vnu-jar in `tests/npm/package.json`, installed by
`make test`) and runs on Java (Debian's default-jre-headless, which `make test` installs when it
can). Without them this test skips; in CI it fails.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.system_programs import require, require_tool
from tests.test_accessibility import PAGES
from tests.test_sparql_protocol import local_fetch

VNU = Path(__file__).parent / "npm" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def test_pages_are_valid_html(client, tmp_path):
    java = require("java")
    vnu = require_tool(VNU, "vnu.jar", "npm ci in tests/npm")
    files = []
    for name, path in PAGES.items():
        file = tmp_path / f"{name}.html"
        file.write_bytes(local_fetch(client, path)[2])  # the 404 page is a page too
        files.append(str(file))
    checked = subprocess.run(
        [java, "-jar", str(vnu), "--format", "json", "--stdout", "--also-check-svg", *files],
        capture_output=True,
        text=True,
        timeout=600,
    )
    messages = json.loads(checked.stdout)["messages"]
    found = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('type')} {m['message']}"
        for m in messages
    ]
    assert found == []
