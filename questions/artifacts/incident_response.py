"""Artifacts for questions/incident-response.yaml: real runtime output.

`audit_log` loads a harmless pickle in a child Python process with an audit hook
(`sys.addaudithook`, PEP 578) that prints the events an investigator cares about. The pickle lists
the working folder and opens a decoy `.env` file that this script writes itself (its content is a
placeholder, not a secret); it sends nothing anywhere. Everything runs in a temporary folder and
only relative paths appear in the output.
"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from provenance_signing import compact_statement, slsa_statement

WATCHED = ("open", "os.listdir", "os.scandir", "pickle.find_class", "socket.connect",
           "socket.getaddrinfo", "subprocess.Popen", "os.system")

LOADER = f"""
import pickle, sys
WATCHED = {WATCHED!r}
def hook(event, args):
    if event in WATCHED:
        shown = tuple(a for a in args if not isinstance(a, int))
        print(f"audit: {{event:<18}} {{shown!r}}", flush=True)
sys.addaudithook(hook)
with open("model.pkl", "rb") as f:
    obj = pickle.load(f)
print("loaded object type:", type(obj).__name__)
"""


class _List:
    def __reduce__(self):
        return (os.listdir, (".",))


class _Open:
    def __reduce__(self):
        return (open, (".env",))


def audit_log() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / ".env").write_text("DEMO_PLACEHOLDER=not-a-real-secret\n")
        (folder / "config.json").write_text("{}\n")
        (folder / "model.pkl").write_bytes(pickle.dumps([_List(), _Open()], protocol=4))
        (folder / "loader.py").write_text(LOADER)
        proc = subprocess.run([sys.executable, "loader.py"], cwd=folder, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, check=False,
                              env=dict(os.environ, PYTHONHASHSEED="0"))
        lines = [line for line in proc.stdout.splitlines() if "loader.py" not in line]
        return "\n".join(["$ python3 loader.py   # pickle.load(model.pkl) under sys.addaudithook",
                          *lines, f"(exit status {proc.returncode})"])


ARTIFACTS = {
    "incident-response-audit-log-blast-radius": audit_log,
}


# --- "find the line" artifact (questions/find-the-line-provenance.yaml) -------------------------
# A SLSA provenance statement for a released wheel, built by provenance_signing.py's generator
# (checked in-toto Statement v1, real SHA-256 of a stand-in wheel built in memory).


def provenance_invocation() -> str:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as wheel:
        info = zipfile.ZipInfo("nw_serving/__init__.py", date_time=(2026, 5, 6, 10, 0, 0))
        wheel.writestr(info, "__version__ = '3.0.1'\n")
    stmt = slsa_statement("nw_serving-3.0.1-py3-none-any.whl", buf.getvalue(),
                          repository="https://github.com/northwind-ml/nw-serving",
                          ref="refs/tags/v3.0.1", commit_label="northwind-ml/nw-serving v3.0.1",
                          run_id="8841177032", repository_id="688204117")
    stmt["predicate"]["runDetails"]["metadata"].update(
        startedOn="2026-05-06T10:02:13Z", finishedOn="2026-05-06T10:09:58Z")
    return ("# nw_serving-3.0.1-py3-none-any.whl.intoto.jsonl, payload decoded (signature valid)\n"
            + compact_statement(stmt))


ARTIFACTS["incident-response-hotspot-provenance-build-run"] = provenance_invocation
