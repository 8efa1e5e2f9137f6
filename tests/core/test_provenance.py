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


def test_capture_collects_what_the_block_read_and_keeps_the_record():
    provenance.reset()
    paper.table(1)
    with provenance.capture() as read:
        paper.table(2)
    assert list(read) == ["data/raw/paper/table2_per_capita_coefficients.csv"]
    assert set(provenance.reads()) == {
        "data/raw/paper/table1_gva_structure.csv",
        "data/raw/paper/table2_per_capita_coefficients.csv",
    }


def test_every_notebook_that_uses_the_cached_ledger_records_its_inputs():
    """The ledger is built by the first notebook of a process that compares with the paper; a
    later one, answered from the cache, records the same files (population.csv among them), so a
    step's record does not depend on which step ran before it in the same kernel or worker."""
    from analysis import study

    study._LEDGER.clear()
    study._LEDGER_READS.clear()
    provenance.reset()
    study._ledger()
    first = provenance.reads()
    provenance.reset()
    study._ledger()  # from the cache
    assert provenance.reads() == first
    assert "data/interim/rosstat/population.csv" in first
