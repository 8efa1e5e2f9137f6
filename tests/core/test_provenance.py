"""The record of what a notebook read."""

from __future__ import annotations

import hashlib

from analysis.core import paths, provenance
from analysis.inputs import paper


def test_reads_are_recorded_with_their_digest_also_from_a_cache():
    provenance.reset()
    paper.table(1)
    paper.table(1)  # cached: still recorded after a reset
    provenance.reset()
    paper.table(1)
    got = provenance.reads()
    f = paths.RAW_PAPER / "table1_gva_structure.csv"
    assert got == {"data/raw/paper/table1_gva_structure.csv": hashlib.sha256(f.read_bytes()).hexdigest()}


def test_code_digest_is_stable():
    assert provenance.code_digest() == provenance.code_digest()
    assert len(provenance.code_digest()) == 64
