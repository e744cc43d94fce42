#!/usr/bin/env bash
# Replaces section NAME of bench/REPORT.md (the lines between "<!-- NAME:begin -->" and
# "<!-- NAME:end -->") with the contents of FILE, or appends it when the report has none.
# Sections written this way come from runs on real Kafka (bench/workers.sh, make
# reliability-kafka) and are kept when `make bench` rewrites the rest of the report.
# Usage: tools/report-section.sh NAME FILE [REPORT]
set -euo pipefail
name=$1 file=$2 report=${3:-$(cd "$(dirname "$0")/.." && pwd)/bench/REPORT.md}
python3 - "$name" "$file" "$report" <<'PY'
import os, re, sys
name, file, report = sys.argv[1:4]
body = open(file).read().rstrip("\n")
block = f"<!-- {name}:begin -->\n{body}\n<!-- {name}:end -->"
text = open(report).read() if os.path.exists(report) else ""
pattern = re.compile(rf"<!-- {re.escape(name)}:begin -->.*?<!-- {re.escape(name)}:end -->", re.S)
if pattern.search(text):
    text = pattern.sub(lambda _: block, text)
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
open(report, "w").write(text)
PY
