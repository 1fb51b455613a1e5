"""Artifacts for questions/provenance-and-signing.yaml (provenance, signing, model signing).

Every provenance artifact is an in-toto Statement v1 built here from fixed data, with real
SHA-256 digests of small files generated in memory (safetensors weights made with NumPy, JSON
configs, a tokenizer file). `check_statement` refuses any statement that is not a well-formed
in-toto Statement v1, so a broken artifact cannot reach the bank.

Shapes follow the sources the questions cite:
- SLSA provenance v1 predicate (buildDefinition / runDetails), https://slsa.dev/spec/v1.0/provenance
- in-toto Statement v1, https://github.com/in-toto/attestation/blob/main/spec/v1/statement.md
- OpenSSF model signing payload (predicateType https://model_signing/signature/v1.0, one subject
  whose digest is SHA-256 over the per-file digests in name order, predicate.serialization and
  predicate.resources), sigstore/model-transparency src/model_signing/_signing/signing.py.
  Checked against model-signing 1.0.1 (`signing.Payload` over the same files gives the same
  subject and resource digests; its serialization has no "ignore_paths" key).

Nothing here touches the network or writes files: all "files" are byte strings.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
from safetensors.numpy import save as save_safetensors

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
SLSA_PROVENANCE_V1 = "https://slsa.dev/provenance/v1"
OMS_PREDICATE_TYPE = "https://model_signing/signature/v1.0"
GH_BUILD_TYPE = "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1"
GENERIC_GENERATOR = (
    "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
    "generator_generic_slsa3.yml@refs/tags/v2.1.0"
)


# --- checks -----------------------------------------------------------------------------------


def check_statement(stmt: dict) -> dict:
    """Raise ValueError unless `stmt` is a well-formed in-toto Statement v1."""
    if not isinstance(stmt, dict):
        raise ValueError("statement must be a JSON object")
    if stmt.get("_type") != STATEMENT_TYPE:
        raise ValueError(f"_type must be {STATEMENT_TYPE}, got {stmt.get('_type')!r}")
    subjects = stmt.get("subject")
    if not isinstance(subjects, list) or not subjects:
        raise ValueError("subject must be a non-empty list")
    for s in subjects:
        if not isinstance(s, dict) or not isinstance(s.get("name"), str) or not s["name"]:
            raise ValueError(f"each subject needs a name: {s!r}")
        digest = s.get("digest")
        if not isinstance(digest, dict) or not digest:
            raise ValueError(f"each subject needs a digest map: {s!r}")
        for alg, value in digest.items():
            if not isinstance(alg, str) or not isinstance(value, str) or not value:
                raise ValueError(f"bad digest entry {alg!r}: {value!r}")
            if alg == "sha256" and (len(value) != 64 or value.strip("0123456789abcdef")):
                raise ValueError(f"sha256 digest must be 64 lowercase hex chars: {value!r}")
    ptype = stmt.get("predicateType")
    if not isinstance(ptype, str) or not ptype.startswith("https://"):
        raise ValueError(f"predicateType must be a URI, got {ptype!r}")
    if not isinstance(stmt.get("predicate"), dict):
        raise ValueError("predicate must be an object")
    if ptype == SLSA_PROVENANCE_V1:
        pred = stmt["predicate"]
        bd, rd = pred.get("buildDefinition"), pred.get("runDetails")
        if not isinstance(bd, dict) or not isinstance(rd, dict):
            raise ValueError("SLSA v1 needs buildDefinition and runDetails")
        if not bd.get("buildType") or not isinstance(bd.get("externalParameters"), dict):
            raise ValueError("buildDefinition needs buildType and externalParameters")
        if not (rd.get("builder") or {}).get("id"):
            raise ValueError("runDetails.builder.id is required")
    if ptype == OMS_PREDICATE_TYPE:
        pred = stmt["predicate"]
        if len(subjects) != 1:
            raise ValueError("a model signing statement has exactly one subject")
        resources = pred.get("resources")
        if not isinstance(resources, list) or not resources:
            raise ValueError("model signing predicate needs resources")
        if [r["name"] for r in resources] != sorted(r["name"] for r in resources):
            raise ValueError("resources must be sorted by name")
        if subjects[0]["digest"]["sha256"] != root_digest(resources):
            raise ValueError("subject digest must be the root digest over the resources")
    return stmt


def dumps(obj: dict) -> str:
    return json.dumps(obj, indent=2, sort_keys=False)


def statement_json(stmt: dict) -> str:
    return dumps(check_statement(stmt))


# --- fixed "files" ------------------------------------------------------------------------------


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def git_commit(label: str) -> str:
    """A stand-in git commit id: the SHA-1 of a fixed label (40 hex chars, deterministic)."""
    return hashlib.sha1(label.encode()).hexdigest()


def weights(seed: int, tamper: bool = False) -> bytes:
    w = (np.arange(12, dtype=np.float32).reshape(3, 4) + seed) / 10
    if tamper:
        w[2, 3] = 9.5
    return save_safetensors({"classifier.weight": w, "classifier.bias": np.zeros(3, np.float32)})


def model_files(tamper: bool = False) -> dict[str, bytes]:
    config = json.dumps({"architectures": ["IntentClassifier"], "num_labels": 3,
                         "hidden_size": 4}, sort_keys=True).encode()
    tokenizer = json.dumps({"model": {"type": "WordLevel",
                                      "vocab": {"[UNK]": 0, "refund": 1, "track": 2}}},
                           sort_keys=True).encode()
    return {
        "config.json": config,
        "model-00001-of-00002.safetensors": weights(1),
        "model-00002-of-00002.safetensors": weights(2, tamper=tamper),
        "tokenizer.json": tokenizer,
    }


def resources_for(files: dict[str, bytes]) -> list[dict]:
    return [{"name": n, "algorithm": "sha256", "digest": sha256(files[n])} for n in sorted(files)]


def root_digest(resources: list[dict]) -> str:
    h = hashlib.sha256()
    for r in resources:
        h.update(bytes.fromhex(r["digest"]))
    return h.hexdigest()


def oms_statement(model_name: str, files: dict[str, bytes]) -> dict:
    resources = resources_for(files)
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": model_name, "digest": {"sha256": root_digest(resources)}}],
        "predicateType": OMS_PREDICATE_TYPE,
        "predicate": {
            # model_signing 1.0.x writes exactly these three keys; 1.1+ adds
            # "ignore_paths" only when some paths were excluded.
            "serialization": {"method": "files", "hash_type": "sha256",
                              "allow_symlinks": False},
            "resources": resources,
        },
    }


def slsa_statement(subject_name: str, subject_bytes: bytes, *, repository: str,
                   ref: str = "refs/tags/v3.0.0", path: str = ".github/workflows/release.yml",
                   builder_id: str = GENERIC_GENERATOR, inputs: dict | None = None,
                   commit_label: str = "acme-ai/intent-classifier v3.0.0",
                   run_id: str = "8123456789", repository_id: str = "702113457") -> dict:
    external: dict = {"workflow": {"ref": ref, "repository": repository, "path": path}}
    event_name = "push"
    if inputs:
        # The GitHub Actions workflow buildType records `inputs` only for
        # workflow_dispatch runs, so the event must match.
        external["inputs"] = inputs
        event_name = "workflow_dispatch"
    owner_repo = repository.removeprefix("https://github.com/")
    return {
        "_type": STATEMENT_TYPE,
        "subject": [{"name": subject_name, "digest": {"sha256": sha256(subject_bytes)}}],
        "predicateType": SLSA_PROVENANCE_V1,
        "predicate": {
            "buildDefinition": {
                "buildType": GH_BUILD_TYPE,
                "externalParameters": external,
                "internalParameters": {"github": {"event_name": event_name,
                                                  "repository_id": repository_id}},
                "resolvedDependencies": [{
                    "uri": f"git+{repository}@{ref}",
                    "digest": {"gitCommit": git_commit(commit_label)},
                }],
            },
            "runDetails": {
                "builder": {"id": builder_id},
                "metadata": {
                    "invocationId": f"https://github.com/{owner_repo}/actions/runs/{run_id}/attempts/1",
                    "startedOn": "2026-03-02T09:14:05Z",
                    "finishedOn": "2026-03-02T09:31:47Z",
                },
            },
        },
    }


PUBLISHED = weights(7)
MODEL_FILE = "intent-classifier-v3.safetensors"
OFFICIAL_REPO = "https://github.com/acme-ai/intent-classifier"


# --- artifacts ----------------------------------------------------------------------------------


def provenance_digest_mismatch() -> str:
    stmt = slsa_statement(MODEL_FILE, PUBLISHED, repository=OFFICIAL_REPO)
    downloaded = weights(7, tamper=True)
    return (
        "# Decoded payload of intent-classifier-v3.safetensors.intoto.jsonl\n"
        "# (the DSSE signature on it verified against the expected builder)\n"
        + statement_json(stmt)
        + "\n\n$ sha256sum intent-classifier-v3.safetensors\n"
        + f"{sha256(downloaded)}  {MODEL_FILE}\n"
    )


def provenance_fork_source() -> str:
    stmt = slsa_statement(MODEL_FILE, PUBLISHED,
                          repository="https://github.com/mlops-helper/intent-classifier",
                          commit_label="mlops-helper/intent-classifier v3.0.0",
                          run_id="8123490017", repository_id="739015526")
    return (
        "# Verifier expectations for package acme-intent-classifier:\n"
        f"#   builder id      {GENERIC_GENERATOR}\n"
        f"#   source repo     {OFFICIAL_REPO}\n"
        "# Signature on the provenance: valid. Decoded payload:\n"
        + statement_json(stmt)
    )


def provenance_unknown_parameter() -> str:
    stmt = slsa_statement(MODEL_FILE, PUBLISHED, repository=OFFICIAL_REPO,
                          inputs={"extra_index_url": "https://pypi.fast-mirror.example/simple"})
    return "# Decoded provenance payload (signature valid)\n" + statement_json(stmt)


def provenance_untrusted_builder() -> str:
    self_hosted = ("https://github.com/acme-ai/intent-classifier/.github/workflows/"
                   "build-on-gpu-box.yml@refs/heads/main")
    stmt = slsa_statement(MODEL_FILE, PUBLISHED, repository=OFFICIAL_REPO,
                          builder_id=self_hosted, path=".github/workflows/build-on-gpu-box.yml",
                          ref="refs/heads/main")
    policy = {
        "slsaRootsOfTrust": [
            {"builderId": GENERIC_GENERATOR, "slsaBuildLevel": 3},
        ],
        "requiredBuildLevel": 3,
        "expectedSource": OFFICIAL_REPO,
    }
    return ("# verifier-policy.json\n" + dumps(policy)
            + "\n\n# Decoded provenance payload (signature valid)\n" + statement_json(stmt))


def provenance_fields() -> str:
    stmt = slsa_statement(MODEL_FILE, PUBLISHED, repository=OFFICIAL_REPO)
    return statement_json(stmt)


def provenance_bare_file() -> str:
    stmt = slsa_statement(MODEL_FILE, PUBLISHED, repository=OFFICIAL_REPO)
    return ("$ ls release-v3/\n"
            f"{MODEL_FILE}  provenance.json\n\n"
            "$ cat release-v3/provenance.json\n" + statement_json(stmt))


def oms_root_digest() -> str:
    stmt = oms_statement("acme-intent-v3", model_files())
    return ("# model.sig -> dsseEnvelope.payload, base64-decoded\n" + statement_json(stmt))


def oms_extra_file() -> str:
    files = model_files()
    stmt = oms_statement("acme-intent-v3", files)
    downloaded = dict(files)
    downloaded["modeling_intent.py"] = (
        b"def build_model(config):\n    return IntentClassifier(config)\n"
    )
    listing = "\n".join(f"{sha256(downloaded[n])}  {n}" for n in sorted(downloaded))
    return ("# Signed statement (signature verified for the expected identity)\n"
            + statement_json(stmt)
            + "\n\n$ cd acme-intent-v3 && sha256sum *\n" + listing + "\n")


def oms_tampered_shard() -> str:
    signed = resources_for(model_files())
    local = model_files(tamper=True)
    lines = ["# predicate.resources from the verified signature"]
    lines += [f"{r['digest']}  {r['name']}" for r in signed]
    lines += ["", "# re-hash of the downloaded directory", "$ sha256sum *"]
    lines += [f"{sha256(local[n])}  {n}" for n in sorted(local)]
    return "\n".join(lines) + "\n"


ARTIFACTS = {
    "signing-attestation-provenance-digest-mismatch": provenance_digest_mismatch,
    "pipeline-integrity-provenance-fork-source": provenance_fork_source,
    "pipeline-integrity-provenance-unknown-parameter": provenance_unknown_parameter,
    "pipeline-integrity-provenance-untrusted-builder": provenance_untrusted_builder,
    "signing-attestation-provenance-statement-fields": provenance_fields,
    "signing-attestation-unsigned-provenance-file": provenance_bare_file,
    "model-provenance-oms-root-digest": oms_root_digest,
    "model-provenance-oms-extra-file": oms_extra_file,
    "model-provenance-oms-tampered-shard": oms_tampered_shard,
}
