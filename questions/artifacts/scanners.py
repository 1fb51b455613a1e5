"""Artifacts for questions/scanner-output.yaml: real transcripts of picklescan, modelscan, fickling
and model_signing, run offline on harmless files this script writes itself.

Payloads are harmless: a pickle that calls `print('hello from a pickle')`, one that calls
`os.getcwd()`, an `OrderedDict`, and a hand-built `.keras` archive whose config names a Lambda
layer (its function bytes are a stub, and nothing is ever loaded). Nothing is fetched from a hub.
The tools run from the same virtual environment as this script (pinned and hashed in
requirements.txt). Each run happens in a fresh temporary folder whose path is replaced by
`/srv/intake` so that the text is reproducible; nothing else in the output is edited. The signing
key is derived from a fixed number so that its fingerprint is reproducible too (a demo key, never
use one like it).
"""

from __future__ import annotations

import base64
import collections
import json
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

BIN = Path(sys.executable).parent
SHOWN = "/srv/intake"


class _PrintPayload:
    def __reduce__(self):
        return (print, ("hello from a pickle",))


class _CwdPayload:
    def __reduce__(self):
        return (os.getcwd, ())


def _write_pickles(folder: Path) -> None:
    (folder / "model.pkl").write_bytes(pickle.dumps(_PrintPayload(), protocol=4))
    (folder / "cwd.pkl").write_bytes(pickle.dumps(_CwdPayload(), protocol=4))
    (folder / "clean.pkl").write_bytes(
        pickle.dumps(collections.OrderedDict(bias=0.25, scale=2.0), protocol=4))


def _write_keras(folder: Path) -> None:
    config = {"module": "keras", "class_name": "Sequential", "config": {"name": "classifier", "layers": [
        {"module": "keras.layers", "class_name": "InputLayer",
         "config": {"batch_shape": [None, 4], "name": "input"}},
        {"module": "keras.layers", "class_name": "Lambda",
         "config": {"name": "scale", "function": {"class_name": "__lambda__",
                                                  "config": {"code": "4wEAAAAAAAAA"}}}},
        {"module": "keras.layers", "class_name": "Dense", "config": {"name": "dense", "units": 1}},
    ]}}
    with zipfile.ZipFile(folder / "classifier.keras", "w") as archive:
        archive.writestr("metadata.json", json.dumps({"keras_version": "3.9.0"}))
        archive.writestr("config.json", json.dumps(config))
        archive.writestr("model.weights.h5", b"")


def _run(folder: Path, *argv: str) -> str:
    env = dict(os.environ, COLUMNS="80", NO_COLOR="1", TERM="dumb", PYTHONIOENCODING="utf-8",
               PYTHONHASHSEED="0")
    proc = subprocess.run([str(BIN / argv[0]), *argv[1:]], cwd=folder, env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, check=False)
    text = proc.stdout.replace(str(folder), SHOWN).rstrip()
    lines = [line.rstrip() for line in text.splitlines()]
    return "\n".join([f"$ {' '.join(argv)}", *lines, f"(exit status {proc.returncode})"])


def _in_folder(build, *runs: tuple[str, ...]) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        build(folder)
        return "\n".join(_run(folder, *argv) for argv in runs)


def picklescan_print_default() -> str:
    return _in_folder(_write_pickles, ("picklescan", "-p", "model.pkl"),
                      ("picklescan", "-p", "model.pkl", "--globals"))


def picklescan_print_strict() -> str:
    return _in_folder(_write_pickles, ("picklescan", "-p", "model.pkl", "--strict"))


def picklescan_getcwd() -> str:
    return _in_folder(_write_pickles, ("picklescan", "-p", "cwd.pkl", "--globals"))


def two_scanners_print() -> str:
    return _in_folder(_write_pickles, ("picklescan", "-p", "model.pkl"),
                      ("modelscan", "-p", "model.pkl"))


def modelscan_getcwd() -> str:
    return _in_folder(_write_pickles, ("modelscan", "-p", "cwd.pkl"))


def modelscan_keras_unscanned() -> str:
    return _in_folder(_write_keras, ("modelscan", "-p", "classifier.keras"))


def _write_misnamed(folder: Path) -> None:
    checkpoint = folder / "checkpoint"
    checkpoint.mkdir()
    (checkpoint / "optimizer.pt").write_bytes(pickle.dumps(_CwdPayload(), protocol=4))
    (checkpoint / "config.json").write_text("{}")


def misnamed_pickle_two_scanners() -> str:
    return _in_folder(_write_misnamed, ("modelscan", "-p", "checkpoint", "--show-skipped"),
                      ("picklescan", "-p", "checkpoint"))


def _write_pt_archive(folder: Path) -> None:
    # The layout of PyTorch's zip-based checkpoints: <name>/data.pkl plus tensor storages.
    with zipfile.ZipFile(folder / "classifier.pt", "w") as archive:
        archive.writestr("classifier/data.pkl", pickle.dumps(_CwdPayload(), protocol=2))
        archive.writestr("classifier/version", "3\n")
        archive.writestr("classifier/data/0", bytes(16))


def picklescan_pt_archive() -> str:
    return _in_folder(_write_pt_archive, ("picklescan", "-p", "classifier.pt", "--globals"))


def fickling_decompile_and_check() -> str:
    return _in_folder(_write_pickles, ("fickling", "model.pkl"),
                      ("fickling", "--check-safety", "--print-results", "model.pkl"))


def fickling_clean_flagged() -> str:
    return _in_folder(_write_pickles, ("fickling", "clean.pkl"),
                      ("fickling", "--check-safety", "--print-results", "clean.pkl"))


# --- model_signing (OpenSSF model signing), key-based so that it runs offline ---------------

def _write_model(folder: Path) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    model = folder / "tiny-model"
    model.mkdir()
    (model / "config.json").write_text('{"model_type": "toy", "hidden_size": 8}\n')
    (model / "model.safetensors").write_bytes(b"demo weights, not a real safetensors file\n")
    (model / "tokenizer.json").write_text('{"version": "1.0"}\n')
    for name, number in (("publisher", 0x5EED1), ("other", 0x5EED2)):
        key = ec.derive_private_key(number, ec.SECP256R1())
        (folder / f"{name}.key").write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        (folder / f"{name}.pub").write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    _run(folder, "model_signing", "sign", "key", "tiny-model", "--private_key", "publisher.key",
         "--signature", "model.sig")


def _verify(pub: str = "publisher.pub") -> tuple[str, ...]:
    return ("model_signing", "verify", "key", "tiny-model", "--signature", "model.sig",
            "--public_key", pub)


def signing_success_statement() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_model(folder)
        out = [_run(folder, *_verify())]
        bundle = json.loads((folder / "model.sig").read_text())
        statement = json.loads(base64.b64decode(bundle["dsseEnvelope"]["payload"]))
        out.append("$ python3 show_bundle.py model.sig   # DSSE payload decoded, keys sorted")
        out.append(json.dumps({
            "mediaType": bundle["mediaType"],
            "verificationMaterial": bundle["verificationMaterial"],
            "dsseEnvelope.payloadType": bundle["dsseEnvelope"]["payloadType"],
            "dsseEnvelope.payload (decoded)": statement,
        }, indent=2, sort_keys=True))
        return "\n".join(out)


def signing_key_mismatch() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_model(folder)
        return _run(folder, *_verify("other.pub"))


def signing_config_changed() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_model(folder)
        (folder / "tiny-model" / "config.json").write_text(
            '{"model_type": "toy", "hidden_size": 8, '
            '"auto_map": {"AutoModel": "modeling_toy.ToyModel"}}\n')
        (folder / "tiny-model" / "tokenizer.json").unlink()
        return _run(folder, *_verify())


# --- "find the line" (hotspot) artifacts, questions/find-the-line-formats.yaml ---------------

def _state_dict_pickle(extra: bytes = b"") -> bytes:
    """A one-tensor PyTorch-style data.pkl (OrderedDict fc.weight -> _rebuild_tensor_v2(...)),
    with `extra` opcodes run first and their result popped. Built opcode by opcode, never loaded."""
    def text(value: str) -> bytes:
        raw = value.encode()
        return b"X" + len(raw).to_bytes(4, "little") + raw

    tensor = (b"ctorch._utils\n_rebuild_tensor_v2\n((" + text("storage") + b"ctorch\nFloatStorage\n"
              + text("0") + text("cpu") + b"K\x04tQK\x00K\x04\x85K\x01\x85\x89"
              + b"ccollections\nOrderedDict\n)RtR")
    return (b"\x80\x02" + extra + b"ccollections\nOrderedDict\n)R(" + text("fc.weight") + tensor
            + b"u.")


_STAMP = (2026, 11, 30, 10, 2, 0)  # fixed member dates, so that the archives' digests are stable


def _write_checkpoint(folder: Path) -> None:
    # A trainer-style checkpoint folder: every .bin/.pt file a zip with <name>/data.pkl, as
    # torch.save writes them; only optimizer.pt carries an extra exec("print('hello')") call.
    payload = b"c__builtin__\nexec\n(Vprint('hello')\ntR0"
    checkpoint = folder / "checkpoint-500"
    checkpoint.mkdir()
    for name, extra in (("pytorch_model.bin", b""), ("optimizer.pt", payload),
                        ("scheduler.pt", b"")):
        stem = name.split(".")[0]
        with zipfile.ZipFile(checkpoint / name, "w") as archive:
            for member, data in ((f"{stem}/data.pkl", _state_dict_pickle(extra)),
                                 (f"{stem}/version", b"3\n"), (f"{stem}/data/0", bytes(16))):
                archive.writestr(zipfile.ZipInfo(member, _STAMP), data)
    (checkpoint / "config.json").write_text('{"model_type": "toy"}\n')


def picklescan_checkpoint_folder() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _write_checkpoint(folder)
        env = dict(os.environ, LC_ALL="C")
        listing = subprocess.run(["ls", "-1", "checkpoint-500"], cwd=folder, env=env,
                                 stdout=subprocess.PIPE, text=True, check=True).stdout
        files = [str(folder / "checkpoint-500" / name)
                 for name in ("pytorch_model.bin", "optimizer.pt", "scheduler.pt")]
        digests = subprocess.run(["sha256sum", *files], cwd=folder, env=env,
                                 stdout=subprocess.PIPE, text=True, check=True).stdout
        return "\n".join([
            "$ ls -1 checkpoint-500", listing.rstrip("\n"),
            f"$ sha256sum {SHOWN}/checkpoint-500/*.bin {SHOWN}/checkpoint-500/*.pt",
            digests.replace(str(folder), SHOWN).rstrip("\n"),
            _run(folder, "picklescan", "-p", "checkpoint-500"),
        ])


def _write_injected(folder: Path) -> None:
    # The same insertion Hugging Face's pickle-scanning page demonstrates, done with fickling's
    # own API on a one-tensor state dict.
    from fickling.fickle import Pickled

    pickled = Pickled.load(_state_dict_pickle())
    pickled.insert_python_exec("print('hello')")
    (folder / "data.pkl").write_bytes(pickled.dumps())


def fickling_injected_state_dict() -> str:
    return _in_folder(_write_injected, ("fickling", "data.pkl"))


def _write_broken(folder: Path) -> None:
    # nullifAI's shape: a call at the start of the stream, then bytes that are not opcodes.
    class _ExecHello:
        def __reduce__(self):
            return (exec, ("print('hello')",))

    good = pickle.dumps(_ExecHello(), protocol=2)
    (folder / "checkpoint.pkl").write_bytes(good[:-1] + b"\xff\xfe not a pickle any more")


def broken_stream_two_scanners() -> str:
    return _in_folder(_write_broken, ("picklescan", "-p", "checkpoint.pkl", "--globals"),
                      ("modelscan", "-p", "checkpoint.pkl"))


ARTIFACTS = {
    "serialization-scan-picklescan-print-exit-zero": picklescan_print_default,
    "serialization-scan-picklescan-strict-mode": picklescan_print_strict,
    "serialization-scan-picklescan-posix-alias": picklescan_getcwd,
    "serialization-scan-two-scanners-disagree": two_scanners_print,
    "serialization-scan-modelscan-critical-finding": modelscan_getcwd,
    "serialization-scan-modelscan-keras-not-scanned": modelscan_keras_unscanned,
    "serialization-scan-modelscan-skipped-checkpoint": misnamed_pickle_two_scanners,
    "serialization-scan-picklescan-pt-archive": picklescan_pt_archive,
    "serialization-scan-fickling-decompiled-call": fickling_decompile_and_check,
    "serialization-scan-fickling-benign-flagged": fickling_clean_flagged,
    "signing-attestation-oms-verified-statement": signing_success_statement,
    "signing-attestation-oms-key-mismatch": signing_key_mismatch,
    "signing-attestation-oms-config-changed": signing_config_changed,
    "serialization-hotspot-fickling-injected-exec": fickling_injected_state_dict,
    "serialization-hotspot-picklescan-checkpoint-member": picklescan_checkpoint_folder,
    "serialization-hotspot-broken-stream-two-scanners": broken_stream_two_scanners,
}
