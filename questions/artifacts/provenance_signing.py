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


# --- "find the line" artifacts (questions/find-the-line-provenance.yaml) ------------------------
#
# Hotspot artifacts are shown as numbered lines and may have at most 40, so these statements are
# printed with `compact_json`: the same JSON as `json.dumps(indent=2)`, except that a list or
# object is written on one line when that whole line stays within 150 characters.


def compact_json(obj, indent: int = 0, width: int = 150, lead: int = 0) -> str:
    """`lead` is the width of what precedes the value on its line (indent and key)."""
    pad = " " * indent
    inner = " " * (indent + 2)
    if isinstance(obj, (dict, list)) and obj:
        flat = json.dumps(obj)
        if len(flat) + max(lead, indent) <= width:
            return flat
        if isinstance(obj, dict):
            items = []
            for k, v in obj.items():
                head = f"{inner}{json.dumps(k)}: "
                items.append(head + compact_json(v, indent + 2, width, len(head)))
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        items = [inner + compact_json(v, indent + 2, width, indent + 2) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    return json.dumps(obj)


def compact_statement(stmt: dict) -> str:
    text = compact_json(check_statement(stmt))
    if json.loads(text) != stmt:  # the compact layout must not change the data
        raise ValueError("compact_json changed the statement")
    return text


def hotspot_builder_id() -> str:
    stmt = slsa_statement(MODEL_FILE, PUBLISHED, repository=OFFICIAL_REPO)
    return "# Decoded provenance payload (DSSE signature verified)\n" + compact_statement(stmt)


def hotspot_source_commit() -> str:
    stmt = slsa_statement("intent-classifier-dev.safetensors", weights(8),
                          repository=OFFICIAL_REPO, ref="refs/heads/main", commit_label="acme-ai/intent-classifier main 2026-04-14",
                          run_id="8577302144")
    stmt["predicate"]["runDetails"]["metadata"].update(
        startedOn="2026-04-14T16:02:51Z", finishedOn="2026-04-14T16:20:09Z")
    return ("# provenance of an intent-classifier dev build, decoded (signature verified)\n"
            + compact_statement(stmt))


def hotspot_dataset_revision() -> str:
    base = "acme-ai/encoder-base@5d3f0c9a1b7e2f4c6a8d0e1f3b5c7d9e2a4f6b8c"
    stmt = slsa_statement("intent-classifier-v4.safetensors", weights(9), repository=OFFICIAL_REPO,
                          ref="refs/tags/v4.0.0", path=".github/workflows/train.yml",
                          commit_label="acme-ai/intent-classifier v4.0.0", run_id="8690215533",
                          inputs={"base_model": base,
                                  "dataset": "acme-ai/support-intents",
                                  "dataset_revision": "main",
                                  "epochs": "3"})
    del stmt["predicate"]["buildDefinition"]["internalParameters"]  # optional; keeps it short
    return ("# provenance of intent-classifier v4 (training run), decoded (signature verified)\n"
            + compact_statement(stmt))


def hotspot_subject_by_digest() -> str:
    full = weights(7)
    # the int8 variant: the same classifier with its weights quantised to int8 (scale 0.1)
    w = (np.arange(12).reshape(3, 4) + 7).astype(np.int8)  # weights(7) divided by the scale
    # (one metadata key only: safetensors writes several keys in no fixed order)
    int8 = save_safetensors({"classifier.weight": w, "classifier.bias": np.zeros(3, np.int8)},
                            metadata={"quantization": "int8, scale 0.1"})
    stmt = slsa_statement(MODEL_FILE, full, repository=OFFICIAL_REPO)
    stmt["subject"].append({"name": "intent-classifier-v3-int8.safetensors",
                            "digest": {"sha256": sha256(int8)}})
    stmt["subject"].append({"name": "tokenizer.json",
                            "digest": {"sha256": sha256(model_files()["tokenizer.json"])}})
    del stmt["predicate"]["buildDefinition"]["internalParameters"]
    return ("# provenance of release v3, decoded (signature verified for the expected builder)\n"
            + compact_statement(stmt)
            + "\n\n$ sha256sum intent-classifier-v3.safetensors   # the copy the mirror served\n"
            + f"{sha256(int8)}  {MODEL_FILE}\n")


# A Fulcio-style signing certificate, built locally with `cryptography` (fixed keys, fixed dates)
# and then parsed back and printed by the same code a reviewer would use. The extension numbers
# and names follow sigstore/fulcio docs/oid-info.md; the identity (SAN URI) follows
# docs.sigstore.dev "OIDC in Fulcio": GitHub's job_workflow_ref becomes
# https://github.com/{job_workflow_ref}. The CA is a stand-in, not Sigstore's.

SIGSTORE_OIDS = {
    "1.3.6.1.4.1.57264.1.8": "Issuer (V2)",
    "1.3.6.1.4.1.57264.1.9": "Build Signer URI",
    "1.3.6.1.4.1.57264.1.11": "Runner Environment",
    "1.3.6.1.4.1.57264.1.12": "Source Repository URI",
    "1.3.6.1.4.1.57264.1.13": "Source Repository Digest",
    "1.3.6.1.4.1.57264.1.14": "Source Repository Ref",
    "1.3.6.1.4.1.57264.1.20": "Build Trigger",
    "1.3.6.1.4.1.57264.1.21": "Run Invocation URI",
}


def _der_utf8(value: str) -> bytes:
    data = value.encode()
    if len(data) < 128:
        return bytes([0x0C, len(data)]) + data
    return bytes([0x0C, 0x81, len(data)]) + data


def _from_der_utf8(der: bytes) -> str:
    if der[0] != 0x0C:
        raise ValueError("expected a UTF8String")
    start = 2 if der[1] < 0x80 else 2 + (der[1] & 0x7F)
    return der[start:].decode()


def fulcio_style_certificate() -> bytes:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca_key = ec.derive_private_key(0x5EED_CA, ec.SECP384R1())
    leaf_key = ec.derive_private_key(0x5EED_1EAF, ec.SECP256R1())
    issuer = x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, "sigstore.dev"),
                        x509.NameAttribute(NameOID.COMMON_NAME, "sigstore-intermediate")])
    repo = "https://github.com/northwind-ml/speech-tagger"
    workflow = f"{repo}/.github/workflows/publish.yml@refs/tags/v1.2.0"
    start = datetime.datetime(2026, 6, 9, 14, 5, 12, tzinfo=datetime.UTC)
    values = {
        "1.3.6.1.4.1.57264.1.8": "https://token.actions.githubusercontent.com",
        "1.3.6.1.4.1.57264.1.9": workflow,
        "1.3.6.1.4.1.57264.1.11": "github-hosted",
        "1.3.6.1.4.1.57264.1.12": repo,
        "1.3.6.1.4.1.57264.1.13": git_commit("northwind-ml/speech-tagger v1.2.0"),
        "1.3.6.1.4.1.57264.1.14": "refs/tags/v1.2.0",
        "1.3.6.1.4.1.57264.1.20": "push",
        "1.3.6.1.4.1.57264.1.21": f"{repo}/actions/runs/9012734418/attempts/1",
    }
    builder = (x509.CertificateBuilder()
               .subject_name(x509.Name([]))
               .issuer_name(issuer)
               .public_key(leaf_key.public_key())
               .serial_number(0x3A0F5C21D97B44E08E1C6B2F7D9045A1C3E5F701)
               .not_valid_before(start)
               .not_valid_after(start + datetime.timedelta(minutes=10))
               .add_extension(x509.KeyUsage(True, False, False, False, False, False, False,
                                            False, False), critical=True)
               .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]),
                              critical=False)
               .add_extension(x509.SubjectAlternativeName(
                   [x509.UniformResourceIdentifier(workflow)]), critical=True))
    for oid, value in values.items():
        builder = builder.add_extension(
            x509.UnrecognizedExtension(x509.ObjectIdentifier(oid), _der_utf8(value)),
            critical=False)
    cert = builder.sign(ca_key, hashes.SHA384())
    return cert.public_bytes(serialization.Encoding.PEM)


def show_certificate(pem: bytes) -> list[str]:
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(pem)
    subject = cert.subject.rfc4514_string() or "(empty)"
    out = [
        f"Serial:      {cert.serial_number:#x}",
        f"Issuer:      {cert.issuer.rfc4514_string()}",
        f"Subject:     {subject}",
        f"Not before:  {cert.not_valid_before_utc:%Y-%m-%d %H:%M:%S} UTC",
        f"Not after:   {cert.not_valid_after_utc:%Y-%m-%d %H:%M:%S} UTC",
    ]
    for ext in cert.extensions:
        crit = " (critical)" if ext.critical else ""
        if isinstance(ext.value, x509.KeyUsage):
            out.append(f"Key usage:   digital_signature={ext.value.digital_signature}{crit}")
        elif isinstance(ext.value, x509.ExtendedKeyUsage):
            out.append("Ext. key usage: " + ", ".join(o._name for o in ext.value) + crit)
        elif isinstance(ext.value, x509.SubjectAlternativeName):
            out.append(f"Subject Alternative Name{crit}:")
            for uri in ext.value.get_values_for_type(x509.UniformResourceIdentifier):
                out.append(f"  URI: {uri}")
        elif isinstance(ext.value, x509.UnrecognizedExtension):
            dotted = ext.oid.dotted_string
            if dotted.startswith("1.3.6.1.4.1.57264.1."):
                if not any(line.startswith("Sigstore extensions") for line in out):
                    out.append("Sigstore extensions (1.3.6.1.4.1.57264.1.N):")
                label = f"  .{dotted.rsplit('.', 1)[1]:<3} {SIGSTORE_OIDS[dotted] + ':':<26}"
                out.append(label + _from_der_utf8(ext.value.value))
    return out


def hotspot_certificate_identity() -> str:
    lines = ["$ python3 show_cert.py signing-cert.pem   # leaf certificate from model.sig (Sigstore bundle)"]
    lines += show_certificate(fulcio_style_certificate())
    return "\n".join(lines) + "\n"


def hotspot_pull_request_event() -> str:
    # A company-run provenance generator (a reusable workflow) that, unlike the GitHub Actions
    # workflow build type, does not refuse events other than create/release/push/workflow_dispatch.
    repo = "https://github.com/northwind-ml/nw-tokenize"
    wheel = b"nw_tokenize 2.3.1 wheel built by the CI workflow"
    stmt = slsa_statement("nw_tokenize-2.3.1-py3-none-any.whl", wheel, repository=repo,
                          ref="refs/heads/main", path=".github/workflows/ci.yml",
                          builder_id=("https://github.com/northwind-ml/build-tools/.github/workflows/"
                                      "provenance.yml@refs/tags/v1.4.0"),
                          commit_label="northwind-ml/nw-tokenize main 2026-06-30",
                          run_id="9203318871", repository_id="688207734")
    stmt["predicate"]["buildDefinition"]["internalParameters"]["github"]["event_name"] = (
        "pull_request_target")
    stmt["predicate"]["runDetails"]["metadata"].update(
        startedOn="2026-06-30T18:41:02Z", finishedOn="2026-06-30T18:47:26Z")
    return ("# nw_tokenize-2.3.1-py3-none-any.whl: provenance payload, decoded (signature valid)\n"
            + compact_statement(stmt))


ARTIFACTS.update({
    "signing-attestation-hotspot-builder-id": hotspot_builder_id,
    "pipeline-integrity-hotspot-source-commit": hotspot_source_commit,
    "pipeline-integrity-hotspot-dataset-revision": hotspot_dataset_revision,
    "signing-attestation-hotspot-subject-by-digest": hotspot_subject_by_digest,
    "signing-attestation-hotspot-certificate-identity": hotspot_certificate_identity,
    "pipeline-integrity-hotspot-pull-request-event": hotspot_pull_request_event,
})
