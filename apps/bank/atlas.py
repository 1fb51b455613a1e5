"""The MITRE ATLAS ids the bank may cite, vendored from mitre-atlas/atlas-data.

apps/bank/data/atlas.json is written by `tools/atlas_vendor.py` and records the ATLAS release,
tag and commit it came from. It is the one list the validator (`bankfile.validate_question`)
checks `atlas:` ids against, so every entry point (the bank folder, the curation editor, imports,
signed packs) refuses an id that ATLAS does not have, and the site names and links ids from it.
Upgrading it is a reviewed change (questions/README.md, "MITRE ATLAS").

Pure Python, like bankfile: no Django.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "atlas.json"
SITE = "https://atlas.mitre.org"
# Where atlas.mitre.org shows each kind of id.
_PAGES = {"technique": "techniques", "sub-technique": "techniques", "mitigation": "mitigations",
          "case-study": "studies"}
KINDS = tuple(_PAGES)


@dataclass(frozen=True)
class AtlasEntry:
    id: str
    kind: str  # technique | sub-technique | mitigation | case-study
    name: str

    @property
    def url(self) -> str:
        return f"{SITE}/{_PAGES[self.kind]}/{self.id}"

    @property
    def label(self) -> str:
        return f"{self.id} {self.name}"


@dataclass(frozen=True)
class Catalogue:
    release: str
    tag: str
    commit: str
    entries: dict[str, AtlasEntry]

    def get(self, atlas_id: str) -> AtlasEntry | None:
        return self.entries.get(atlas_id)

    @property
    def version(self) -> str:
        return f"ATLAS {self.release} ({self.tag or 'untagged'}, commit {self.commit[:12]})"


@cache
def catalogue(path: Path = CATALOGUE_PATH) -> Catalogue:
    data = json.loads(path.read_text(encoding="utf-8"))
    entries = {i: AtlasEntry(id=i, kind=v["kind"], name=v["name"])
               for i, v in data["ids"].items()}
    return Catalogue(release=data["release"], tag=data.get("tag", ""), commit=data["commit"],
                     entries=entries)


def kind_of(atlas_id: str) -> str:
    if atlas_id.startswith("AML.CS"):
        return "case-study"
    if atlas_id.startswith("AML.M"):
        return "mitigation"
    return "sub-technique" if atlas_id.count(".") == 2 else "technique"


def entries_for(ids) -> list[AtlasEntry]:
    """The catalogue entries of `ids`, in the given order. An id the vendored list no longer
    holds (an old question version may cite an id a later ATLAS release removed) keeps its id
    and link, with a name that says so."""
    cat = catalogue()
    return [cat.get(i) or AtlasEntry(id=i, kind=kind_of(i), name="(not in the vendored list)")
            for i in ids]


def links(ids) -> list[dict[str, str]]:
    """`{"id", "name", "url"}` of each id, for pages and the API. The url passes the same link
    rule as the bank's Markdown (absolute http(s) only), or is left empty."""
    from apps.bank.markdown import safe_href

    return [{"id": e.id, "name": e.name, "url": e.url if safe_href(e.url) else ""}
            for e in entries_for(ids)]
