"""Content hashes and provenance records: stable for equal content, different otherwise."""

import shutil

import pandas as pd
import pytest

from daikiri.provenance import (
    Artifact,
    ProvenanceRecord,
    code_version,
    frame_hash,
    ontology_provenance,
    spec_hash,
    tree_hash,
)
from daikiri.spec import default_spec


def test_a_folder_hash_depends_on_content_and_names_not_on_location(tmp_path):
    first = tmp_path / "a"
    (first / "abox").mkdir(parents=True)
    (first / "abox" / "part-00000.nt").write_text("<a> <b> <c> .\n")
    (first / "tbox.ttl").write_text("# tbox\n")
    copy = tmp_path / "elsewhere" / "b"
    shutil.copytree(first, copy)
    assert tree_hash(first) == tree_hash(copy)
    (copy / "abox" / "part-00000.nt").write_text("<a> <b> <d> .\n")
    assert tree_hash(first) != tree_hash(copy)
    shutil.rmtree(copy)
    shutil.copytree(first, copy)
    (copy / "abox" / "part-00000.nt").rename(copy / "abox" / "part-00001.nt")
    assert tree_hash(first) != tree_hash(copy)


def test_table_and_spec_hashes_follow_the_content():
    frame = pd.DataFrame({"id": ["a", "b"], "x": [1.0, 2.0]})
    assert frame_hash(frame) == frame_hash(frame.copy())
    assert frame_hash(frame) != frame_hash(frame.assign(x=[1.0, 2.5]))
    assert frame_hash(frame) != frame_hash(frame.rename(columns={"x": "y"}))
    spec = default_spec()
    other = default_spec()
    assert spec_hash(spec) == spec_hash(other)
    other.columns["torque_nm"].unit = "N·m"
    assert spec_hash(spec) != spec_hash(other)


def test_code_version_comes_from_the_image_or_the_checkout(monkeypatch):
    monkeypatch.setenv("DAIKIRI_CODE_VERSION", "abc123")
    assert code_version() == "abc123"
    monkeypatch.delenv("DAIKIRI_CODE_VERSION")
    version = code_version()
    assert len(version.removesuffix("-dirty")) == 40


def test_the_record_becomes_ontology_annotations():
    record = ProvenanceRecord(workflow="diagnose", code_version="abc", execution="local",
                              created="2026-11-28T00:00:00+00:00", parameters={"seed": "1"},
                              inputs=[Artifact("clean table", "11")],
                              outputs=[Artifact("knowledge graph", "22", "/x")])
    notes = ontology_provenance(record)
    assert notes["sha256CleanTable"] == "11" and notes["sha256KnowledgeGraph"] == "22"
    assert notes["codeVersion"] == "abc" and notes["parameters"] == '{"seed": "1"}'
    assert record.hash_of("knowledge graph") == "22"
    with pytest.raises(KeyError, match="no artifact named 'model'"):
        record.hash_of("model")
