"""The load run (`make loadtest`) in miniature: it runs, and the server comes out of it whole.

The figures of a real run (60 s, 16 clients) go in the README and the issue notes; this checks
that the driver works and what it reports holds on any machine: the only server errors are the
runaway queries' deadline answers, nothing restarts, and the health check answers afterwards.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent


def test_a_short_load_run_reports_only_the_runaway_queries_as_errors():
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.loadtest",
            "--duration",
            "5",
            "--warmup",
            "1",
            "--clients",
            "4",
            "--timeout",
            "1",
            "--pause",
            "0.05",
            "--unloaded-samples",
            "20",
            "--hot-samples",
            "50",
        ],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    report = run.stdout
    errors = re.search(r"5xx or failed: (\d+) \((\d+) of them the runaway queries' 503\)", report)
    assert errors, report
    assert int(errors[1]) == int(errors[2]) >= 1, report
    assert re.search(r"^lookup +\d+ .*\{200: \d+\}$", report, re.M), report
    for route in ("search", "reconcile"):  # in the mix, and answered
        assert re.search(rf"^{route} +\d+ .*\{{200: \d+", report, re.M), report
    assert "health check after the run: 200" in report
    assert "gunicorn master kept: True" in report
    assert re.search(r"lookups sent while runaway at idle priority: [1-9]", report), report
