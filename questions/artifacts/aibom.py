"""Artifacts for questions/aibom-and-vulns.yaml: CycloneDX ML-BOM excerpts and validator output.

Every BOM shown as valid is validated against the official CycloneDX JSON schema (strict) through
cyclonedx-python-lib's JsonStrictValidator before it is printed; a validation error raises. The two
"validator output" artifacts deliberately build an invalid BOM and print what the same validator
reports; for those the generator raises if the validator unexpectedly accepts the document.

All data is fixed (no timestamps, no random values, no network), so the output is deterministic.
"""

from __future__ import annotations

import hashlib
import json

from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator

SERIAL = "urn:uuid:6f1c2a9e-0b7d-4c35-9a61-2d8e4f0b7c13"
BASE_COMMIT = "3b9e1f0c2a7d4e6b8c0f1a2d3e4b5c6d7e8f9a0b"
FT_COMMIT = "9c4d2e1f0a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d"


def _validate(bom: dict, version: SchemaVersion = SchemaVersion.V1_6) -> None:
    error = JsonStrictValidator(version).validate_str(json.dumps(bom))
    if error is not None:
        raise ValueError(f"CycloneDX validation failed: {error.data.message}")


def _dump(obj: dict) -> str:
    return json.dumps(obj, indent=2, ensure_ascii=False)


def _bom(components: list, **extra) -> dict:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": SERIAL,
        "version": 1,
        "components": components,
    }
    bom.update(extra)
    return bom


def _valid(bom: dict) -> str:
    _validate(bom)
    return _dump(bom)


def _validator_output(bom: dict, version: SchemaVersion) -> str:
    """Run the strict JSON validator on a deliberately invalid BOM and report its verdict."""
    error = JsonStrictValidator(version).validate_str(json.dumps(bom))
    if error is None:
        raise ValueError("expected the validator to reject this BOM, but it passed")
    err = error.data
    label = {SchemaVersion.V1_4: "1.4", SchemaVersion.V1_6: "1.6"}[version]
    return (
        _dump(bom)
        + f"\n\n--- CycloneDX {label} JSON schema validation (strict) ---\n"
        + f"INVALID at {err.json_path}\n"
        + err.message
    )


def trace_training_dataset() -> str:
    model = {
        "type": "machine-learning-model",
        "bom-ref": "model-ticket-router",
        "name": "ticket-router",
        "version": "2.0.0",
        "modelCard": {
            "modelParameters": {
                "task": "text-classification",
                "datasets": [{"ref": "ds-support-tickets-2024"}],
            }
        },
    }
    tickets = {
        "type": "data",
        "bom-ref": "ds-support-tickets-2024",
        "name": "support-tickets-2024",
        "data": [{
            "type": "dataset",
            "name": "support-tickets-2024",
            "classification": "confidential",
            "sensitiveData": ["customer email addresses", "order numbers"],
            "description": "Helpdesk tickets exported from the CRM, used for training",
        }],
    }
    reviews = {
        "type": "data",
        "bom-ref": "ds-public-reviews",
        "name": "public-product-reviews",
        "data": [{
            "type": "dataset",
            "name": "public-product-reviews",
            "classification": "public",
            "description": "Scraped product reviews, used for a sentiment baseline",
        }],
    }
    return _valid(_bom([model, tickets, reviews]))


def read_sliced_metrics() -> str:
    model = {
        "type": "machine-learning-model",
        "bom-ref": "model-asr-small",
        "name": "asr-small",
        "version": "1.3.0",
        "modelCard": {
            "quantitativeAnalysis": {
                "performanceMetrics": [
                    {"type": "word-accuracy", "value": "0.94",
                     "confidenceInterval": {"lowerBound": "0.93", "upperBound": "0.95"}},
                    {"type": "word-accuracy", "value": "0.81", "slice": "speakers with non-native accents",
                     "confidenceInterval": {"lowerBound": "0.76", "upperBound": "0.86"}},
                    {"type": "word-accuracy", "value": "0.95", "slice": "studio-quality audio",
                     "confidenceInterval": {"lowerBound": "0.94", "upperBound": "0.96"}},
                ]
            }
        },
    }
    return _valid(_bom([model]))


MODEL_BYTES_PUBLISHED = b"safetensors weights for sentiment-small v1.0.0 as released"
MODEL_BYTES_DOWNLOADED = b"safetensors weights for sentiment-small v1.0.0 as mirrored"


def digest_mismatch() -> str:
    published = hashlib.sha256(MODEL_BYTES_PUBLISHED).hexdigest()
    downloaded = hashlib.sha256(MODEL_BYTES_DOWNLOADED).hexdigest()
    model = {
        "type": "machine-learning-model",
        "bom-ref": "model-sentiment-small",
        "name": "sentiment-small",
        "version": "1.0.0",
        "hashes": [{"alg": "SHA-256", "content": published}],
        "externalReferences": [{
            "type": "distribution",
            "url": "https://models.example.com/sentiment-small/1.0.0/model.safetensors",
        }],
    }
    bom_text = _valid(_bom([model]))
    return (
        "# excerpt of the supplier's CycloneDX ML-BOM\n"
        + bom_text
        + "\n\n# the copy your pipeline fetched from the internal mirror\n"
        + f"$ sha256sum model.safetensors\n{downloaded}  model.safetensors"
    )


def compositions_incomplete() -> str:
    model = {
        "type": "machine-learning-model",
        "bom-ref": "model-claims-triage",
        "name": "claims-triage",
        "version": "4.1.0",
        "modelCard": {"modelParameters": {"datasets": [{"ref": "ds-claims-2023"}]}},
    }
    data = {
        "type": "data",
        "bom-ref": "ds-claims-2023",
        "name": "claims-2023",
        "data": [{"type": "dataset", "name": "claims-2023"}],
    }
    bom = _bom(
        [model, data],
        dependencies=[
            {"ref": "model-claims-triage", "dependsOn": ["ds-claims-2023"]},
            {"ref": "ds-claims-2023", "dependsOn": []},
        ],
        compositions=[{"aggregate": "incomplete", "dependencies": ["model-claims-triage"]}],
    )
    return _valid(bom)


def vex_ray_entries() -> str:
    ray = {
        "type": "framework",
        "bom-ref": "pkg-ray",
        "name": "ray",
        "version": "2.9.0",
        "purl": "pkg:pypi/ray@2.9.0",
    }
    vulns = [
        {
            "id": "CVE-2023-6019",
            "source": {"name": "NVD", "url": "https://nvd.nist.gov/vuln/detail/CVE-2023-6019"},
            "cwes": [78],
            "analysis": {
                "state": "resolved",
                "detail": "Fixed upstream in 2.8.1; this image ships ray 2.9.0.",
            },
            "affects": [{"ref": "pkg-ray"}],
        },
        {
            "id": "CVE-2023-48022",
            "source": {"name": "NVD", "url": "https://nvd.nist.gov/vuln/detail/CVE-2023-48022"},
            "analysis": {
                "state": "not_affected",
                "justification": "protected_at_perimeter",
                "detail": "Dashboard and Jobs API (port 8265) reachable only from the training VPC.",
            },
            "affects": [{"ref": "pkg-ray"}],
        },
    ]
    return _valid(_bom([ray], vulnerabilities=vulns))


def data_governance_roles() -> str:
    data = {
        "type": "data",
        "bom-ref": "ds-clinical-notes",
        "name": "clinical-notes-deid",
        "version": "2024.2",
        "data": [{
            "type": "dataset",
            "name": "clinical-notes-deid",
            "classification": "restricted",
            "governance": {
                "owners": [{"organization": {"name": "Hospital Research Office"}}],
                "stewards": [{"organization": {"name": "Clinical Data Quality Team"}}],
                "custodians": [{"organization": {"name": "Platform Storage Team"}}],
            },
        }],
    }
    return _valid(_bom([data]))


def pedigree_base_model() -> str:
    base = {
        "type": "machine-learning-model",
        "name": "base-llm-7b",
        "group": "example-lab",
        "version": BASE_COMMIT,
        "purl": f"pkg:huggingface/example-lab/base-llm-7b@{BASE_COMMIT}",
    }
    tuned = {
        "type": "machine-learning-model",
        "bom-ref": "model-support-llm",
        "name": "support-llm-7b",
        "group": "acme",
        "version": FT_COMMIT,
        "purl": f"pkg:huggingface/acme/support-llm-7b@{FT_COMMIT}",
        "pedigree": {
            "ancestors": [base],
            "notes": "LoRA fine-tune on internal support transcripts, adapters merged into the weights",
        },
    }
    return _valid(_bom([tuned]))


def validator_approach_error() -> str:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [{
            "type": "machine-learning-model",
            "name": "defect-detector",
            "modelCard": {
                "modelParameters": {
                    "approach": {"type": "transfer-learning"},
                    "task": "image-classification",
                }
            },
        }],
    }
    return _validator_output(bom, SchemaVersion.V1_6)


def consumer_on_1_4_schema() -> str:
    bom = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [{
            "type": "machine-learning-model",
            "name": "fraud-scorer",
            "version": "3.2.0",
        }],
    }
    return _validator_output(bom, SchemaVersion.V1_4)


ARTIFACTS = {
    "ai-bom-trace-training-dataset": trace_training_dataset,
    "ai-bom-read-sliced-metrics": read_sliced_metrics,
    "ai-bom-digest-mismatch": digest_mismatch,
    "ai-bom-compositions-incomplete": compositions_incomplete,
    "ai-bom-vex-ray-entries": vex_ray_entries,
    "ai-bom-data-governance-roles": data_governance_roles,
    "ai-bom-pedigree-base-model": pedigree_base_model,
    "ai-bom-validator-approach-error": validator_approach_error,
    "ai-bom-consumer-on-1-4-schema": consumer_on_1_4_schema,
}


# --- "find the line" artifact (questions/find-the-line-provenance.yaml) -------------------------
# Package URLs for Hugging Face models follow purl-spec types/huggingface-definition.json: the
# version is the model revision's git commit hash. The adapter below names a branch instead;
# CycloneDX's schema accepts any purl string, so the BOM still validates.


def purl_branch_revision() -> str:
    base = {
        "type": "machine-learning-model",
        "bom-ref": "model-base-llm",
        "group": "example-lab",
        "name": "base-llm-7b",
        "version": BASE_COMMIT,
        "purl": f"pkg:huggingface/example-lab/base-llm-7b@{BASE_COMMIT}",
    }
    adapter = {
        "type": "machine-learning-model",
        "bom-ref": "model-support-adapter",
        "group": "acme",
        "name": "support-lora",
        "purl": "pkg:huggingface/acme/support-lora@main",
        "externalReferences": [{
            "type": "distribution",
            "url": "https://huggingface.co/acme/support-lora",
        }],
    }
    return _valid(_bom([base, adapter]))


ARTIFACTS["ai-bom-hotspot-purl-branch-revision"] = purl_branch_revision


# --- "find the line" artifact (questions/find-the-line-tools.yaml) -------------------------------
# The schema's hash-content pattern accepts 32, 40, 64, 96 or 128 hex digits whatever "alg" says,
# so a SHA-1 value (40 hex digits) labelled SHA-256 passes the strict validator.


def hash_length_for_alg() -> str:
    weights = b"intent-classifier v4 weights (stand-in bytes)"
    data = b"support-intents train split 2026-02 (stand-in bytes)"
    model = {
        "type": "machine-learning-model",
        "bom-ref": "model-intent-classifier",
        "name": "intent-classifier",
        "version": "4.0.0",
        "hashes": [
            {"alg": "SHA-256", "content": hashlib.sha256(weights).hexdigest()},
            {"alg": "SHA-512", "content": hashlib.sha512(weights).hexdigest()},
        ],
    }
    dataset = {
        "type": "data",
        "bom-ref": "data-support-intents",
        "name": "support-intents",
        "version": "2026-02",
        # what a careless export wrote: a SHA-1 value under the SHA-256 label
        "hashes": [{"alg": "SHA-256", "content": hashlib.sha1(data).hexdigest()}],
    }
    return _valid(_bom([model, dataset]))


ARTIFACTS["ai-bom-hotspot-hash-length-for-alg"] = hash_length_for_alg
