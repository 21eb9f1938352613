"""Spark twins of the data-heavy steps (ingestion, knowledge graph) for large tables."""
