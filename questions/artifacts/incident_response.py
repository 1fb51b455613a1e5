"""Artifacts for questions/incident-response.yaml: real runtime output.

`audit_log` loads a harmless pickle in a child Python process with an audit hook
(`sys.addaudithook`, PEP 578) that prints the events an investigator cares about. The pickle lists
the working folder and opens a decoy `.env` file that this script writes itself (its content is a
placeholder, not a secret); it sends nothing anywhere. Everything runs in a temporary folder and
only relative paths appear in the output.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

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
