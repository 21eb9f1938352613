"""Semantification: a table described by a DatasetSpec becomes an OWL knowledge graph."""
