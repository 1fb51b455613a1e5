"""Artifacts for questions/find-the-line-tools.yaml: what everyday integrity tools really print.

Each generator builds harmless files in a temporary folder, runs the real tool on them
(GNU coreutils sha256sum, git, Info-ZIP unzip) and returns what the tool printed, with the command line as the
first line ("$ ...") and the exit status as the last. The temporary folder's
path is replaced by a fixed one so the output is deterministic; nothing else is edited.
No network; git gets fixed names and dates.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import tempfile
import zipfile
from pathlib import Path

SHOWN = "/srv/release"


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ, LC_ALL="C", LANG="C", COLUMNS="200", NO_COLOR="1", TERM="dumb",
               PYTHONIOENCODING="utf-8")
    env.update(extra)
    return env


def _run(folder: Path, shown: list[str], argv: list[str], env: dict[str, str] | None = None,
         root: str = SHOWN) -> str:
    """Run argv in folder with stdout and stderr on one unbuffered pipe (the order a terminal shows)."""
    proc = subprocess.run(argv, cwd=folder, env=env or _env(), stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, check=False)
    text = proc.stdout.replace(str(folder), root).rstrip()
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join([f"$ {' '.join(shown)}", *lines, f"(exit status {proc.returncode})"])


# --- sha256sum -c: one file missing, one file changed -------------------------------------------

def _release_files() -> dict[str, bytes]:
    return {
        "config.json": b'{"architectures": ["BertForSequenceClassification"], "num_labels": 4}\n',
        "model-00001-of-00002.safetensors": b"\x00" * 4096,
        "model-00002-of-00002.safetensors": b"\x01" * 4096,
        "special_tokens_map.json": b'{"cls_token": "[CLS]", "sep_token": "[SEP]"}\n',
        "tokenizer.json": b'{"version": "1.0", "model": {"type": "WordPiece"}}\n',
        "tokenizer_config.json": b'{"do_lower_case": true}\n',
    }


def sha256sum_check() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = _release_files()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        # The publisher's list, written by sha256sum itself over the files as published.
        listing = subprocess.run(["sha256sum", *sorted(files)], cwd=folder, env=_env(),
                                 capture_output=True, text=True, check=True).stdout
        (folder / "SHA256SUMS").write_text(listing)
        # What the downloader ends up with: one shard never arrived, one file was changed.
        (folder / "model-00002-of-00002.safetensors").unlink()
        (folder / "tokenizer.json").write_bytes(
            b'{"version": "1.0", "model": {"type": "WordPiece"}, "added_tokens": []}\n')
        # stdbuf -o0: sha256sum's stdout unbuffered, so its lines interleave with stderr as on a tty.
        return _run(folder, ["sha256sum", "-c", "SHA256SUMS"],
                    ["stdbuf", "-o0", "sha256sum", "-c", "SHA256SUMS"])


# --- git log: a tagged release commit applied by someone other than the merge bot ---------------

def _git(folder: Path, *args: str, who: tuple[str, str], committer: tuple[str, str] | None = None,
         date: str = "") -> None:
    committer = committer or who
    env = _env(GIT_AUTHOR_NAME=who[0], GIT_AUTHOR_EMAIL=who[1],
               GIT_COMMITTER_NAME=committer[0], GIT_COMMITTER_EMAIL=committer[1],
               GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date,
               GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1")
    subprocess.run(["git", *args], cwd=folder, env=env, check=True, capture_output=True)


def git_log_release_committer() -> str:
    bot = ("merge-queue-bot", "merge-bot@acme-ai.example")
    dana = ("Dana Okafor", "dana@acme-ai.example")
    lee = ("Lee Park", "lee@acme-ai.example")
    ext = ("Ravi Menon", "ravi.menon@contributor.example")
    deps = ("dependabot[bot]", "49699333+dependabot[bot]@users.noreply.github.com")
    # (file, content, subject, author, committer, tag)
    history = [
        ("train.py", "epochs = 3\n", "Add training script", dana, bot, "v2.2.0"),
        ("requirements.txt", "numpy==2.1.3\n", "Bump numpy from 2.1.2 to 2.1.3", deps, bot, None),
        ("eval.py", "metric = 'f1'\n", "Report macro F1 in eval", ext, bot, None),
        ("train.py", "epochs = 4\n", "Train for one more epoch", lee, bot, "v2.3.0"),
        ("README.md", "# intent-classifier\n", "Document the eval script", dana, bot, None),
        ("convert.py", "fmt = 'safetensors'\n", "Fix export of the tokenizer", dana, lee, "v2.3.1"),
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _git(folder, "init", "-q", "-b", "main", who=bot, date="2026-03-01T09:00:00+00:00")
        for day, (name, content, subject, author, committer, tag) in enumerate(history, start=2):
            date = f"2026-03-{day:02d}T10:{day:02d}:00+00:00"
            (folder / name).write_text(content)
            _git(folder, "add", name, who=author, date=date)
            _git(folder, "commit", "-q", "-m", subject, who=author, committer=committer, date=date)
            if tag:
                _git(folder, "tag", tag, who=committer, date=date)
        fmt = "%h %ad%d%n    author:    %an <%ae>%n    committer: %cn <%ce>%n    %s"
        argv = ["git", "log", "--date=short", f"--format={fmt}"]
        text = _run(folder, ["git", "log", "--date=short", f"--format='{fmt}'"], argv,
                    env=_env(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", GIT_PAGER="cat"))
        return text


# --- unzip -l: a library wheel with a path configuration file at its root ------------------------

def _b64_sha256(data: bytes) -> str:
    """The digest form wheel RECORD files use: urlsafe base64 without padding."""
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _write_zip(target: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 3, 9, 14, 2, 0)), data)


def unzip_wheel_pth() -> str:
    """A tokenizer library's patch release whose wheel also ships a .pth file in its root.

    The .pth holds one harmless `import` line (it would only import the package's own module);
    nothing is installed or run here: unzip only lists the archive.
    """
    dist, version = "acme_tokenizers", "0.4.3"
    info = f"{dist}-{version}.dist-info"
    members = {
        f"{dist}/__init__.py": b"from .bpe import BPETokenizer\n__version__ = '0.4.3'\n",
        f"{dist}/bpe.py": b"class BPETokenizer:\n    def __init__(self, vocab):\n        self.vocab = vocab\n",
        f"{dist}/_speedups.py": b"ENABLED = True\n",
        f"{dist}/cli.py": b"def main():\n    print('acme-tokenize')\n",
        f"{dist}/data/vocab.json": b'{"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3}\n',
        f"{dist}_speedups.pth": b"import acme_tokenizers._speedups\n",
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: acme-tokenizers\nVersion: {version}\n".encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: bdist_wheel (0.45.1)\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info}/entry_points.txt": b"[console_scripts]\nacme-tokenize = acme_tokenizers.cli:main\n",
        f"{info}/top_level.txt": f"{dist}\n".encode(),
    }
    record = [f"{name},sha256={_b64_sha256(data)},{len(data)}" for name, data in members.items()]
    record.append(f"{info}/RECORD,,")
    members[f"{info}/RECORD"] = ("\n".join(record) + "\n").encode()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wheel = f"{dist}-{version}-py3-none-any.whl"
        _write_zip(folder / wheel, members)
        return _run(folder, ["unzip", "-l", wheel], ["unzip", "-l", wheel],
                    env=_env(TZ="UTC"))


ARTIFACTS = {
    "model-provenance-hotspot-sha256sum-changed-file": sha256sum_check,
    "pipeline-integrity-hotspot-release-committer": git_log_release_committer,
    "pipeline-integrity-hotspot-wheel-pth-member": unzip_wheel_pth,
}

if __name__ == "__main__":
    for fn in ARTIFACTS.values():
        print(fn(), end="\n\n")
