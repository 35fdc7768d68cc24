#!/bin/sh
# `make audit`: known vulnerabilities in the locked Python dependencies (pip-audit over
# requirements.txt and requirements-dev.txt, every pin checked by hash) and the
# front-end ones (npm audit over package-lock.json). Needs network access to PyPI's
# vulnerability data and to the npm registry's audit service; where they cannot be
# reached it says so and fails, rather than reporting "no known vulnerabilities" having
# checked nothing. The routine around it: docs/security-releases.md.
set -u
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
UV=${UV:-.venv/bin/uv}
[ -x "$PYTHON" ] || PYTHON=python3
[ -x "$UV" ] || UV=uv
# pip-audit runs from its own environment (uv tool run): nothing is added to the locks.
PIP_AUDIT=${PIP_AUDIT:-pip-audit==2.10.1}

unreachable() {
    echo "make audit: $1 cannot be reached from this machine, so nothing was audited." >&2
    echo "Run make audit where pypi.org and the npm registry answer (docs/security-releases.md)." >&2
    exit 2
}

# pip-audit asks PyPI for the known vulnerabilities of each pinned version; a mirror that
# lacks these pages makes it report every package as "not found on PyPI".
django=$(sed -n "s/^django==\([^ ]*\).*/\1/p" requirements.txt)
"$PYTHON" - "$django" <<'PY' || unreachable "PyPI's vulnerability data (https://pypi.org/pypi/<name>/<version>/json)"
import json
import sys
import urllib.request

url = f"https://pypi.org/pypi/django/{sys.argv[1]}/json"
try:
    with urllib.request.urlopen(url, timeout=20) as answer:
        assert "vulnerabilities" in json.load(answer), "no vulnerability data in the answer"
except Exception as error:
    sys.exit(f"{url}: {error}")
PY

registry=$(npm config get registry)
"$PYTHON" - "${registry%/}/-/npm/v1/security/advisories/bulk" <<'PY' || unreachable "the npm registry's audit service ($registry)"
import sys
import urllib.request

request = urllib.request.Request(
    sys.argv[1], data=b"{}", headers={"Content-Type": "application/json"}, method="POST"
)
try:
    with urllib.request.urlopen(request, timeout=20) as answer:
        assert answer.status == 200, f"answered {answer.status}"
except Exception as error:
    sys.exit(f"{sys.argv[1]}: {error}")
PY

status=0
for lock in requirements.txt requirements-dev.txt; do
    echo "== pip-audit -r $lock"
    "$UV" tool run --from "$PIP_AUDIT" pip-audit --strict --require-hashes --disable-pip \
        --progress-spinner off -r "$lock" || status=1
done
echo "== npm audit (package-lock.json)"
npm audit --audit-level=low || status=1

if [ "$status" -ne 0 ]; then
    echo "make audit: vulnerable dependencies above; docs/security-releases.md says what to do." >&2
fi
exit "$status"
