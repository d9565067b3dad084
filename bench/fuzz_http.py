"""The HTTP fuzzer, run long: the tests of tests/test_fuzz.py with many more examples, counting answers.

    .venv/bin/python bench/fuzz_http.py                     # 1000 examples per test, SQLite
    .venv/bin/python bench/fuzz_http.py --examples 5000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test DATABASE_TEST_NAME=test_fuzz \
        .venv/bin/python bench/fuzz_http.py

Unlike the suite, a 5xx does not stop the run: every one is recorded, and the distinct ones are printed with
their exception at the end. Exits 1 when there was any.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, default=1000, help="hypothesis examples per test (default 1000)")
    parser.add_argument("-k", default="", help="pytest -k expression, e.g. 'form_bodies and organiser'")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        report = Path(workdir) / "report.jsonl"
        env = {**os.environ, "FUZZ_EXAMPLES": str(args.examples), "FUZZ_REPORT": str(report)}
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_fuzz.py"]
        if args.k:
            command += ["-k", args.k]
        subprocess.run(command, cwd=ROOT, env=env, check=False)
        lines = [json.loads(line) for line in report.read_text().splitlines()] if report.exists() else []
    requests = sum(line["requests"] for line in lines)
    errors = [error for line in lines for error in line["errors"]]
    print(f"\nrequests: {requests}   5xx: {len(errors)}")
    for summary, count in collections.Counter(errors).most_common(40):
        print(f"{count:6d}  {summary}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
