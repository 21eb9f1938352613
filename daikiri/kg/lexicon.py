"""The verbalizer's lexicon of a knowledge graph built from a spec, made from the spec itself.

The TBox (``daikiri.kg.tbox``) writes these same labels and units into the ontology; reading
them back with rdflib would need the whole knowledge-graph folder in every verbalization task.
``lexicon_from_tbox`` (``daikiri.verbalize``) stays for ontologies made elsewhere; a test keeps
the two equal on the default data.
"""

from __future__ import annotations

from daikiri.kg.bins import Bins
from daikiri.kg.naming import camel_case, vocabulary
from daikiri.kg.tbox import humanise
from daikiri.spec import DatasetSpec
from daikiri.verbalize import CategoryValue, Lexicon


def lexicon_from_spec(spec: DatasetSpec, categories: dict[str, list[str]]) -> Lexicon:
    """Labels of the entity class, properties, value, bin and label classes; units of the
    properties; the categorical value classes. ``categories`` as for ``vocabulary``
    (``daikiri.kg.naming.categories_of``)."""
    vocab = vocabulary(spec, categories)
    lexicon = Lexicon()
    lexicon.labels[vocab.entity] = humanise(spec.entity)
    for column, iri in vocab.properties.items():
        lexicon.labels[iri] = spec.label_of(column)
        if spec.unit_of(column):
            lexicon.units[iri] = spec.unit_of(column)
    for column, values in vocab.value_classes.items():
        attribute = spec.label_of(column)
        lexicon.labels[spec.base_iri + camel_case(attribute)] = attribute
        for value, iri in values.items():
            lexicon.labels[iri] = f"{attribute} {value}"
            lexicon.values[iri] = CategoryValue(attribute, value)
    for column, cuts in spec.bins.items():
        bins = Bins(column, tuple(cuts))
        for index in range(bins.count):
            lexicon.labels[vocab.bin_class(column, index)] = bins.describe(
                index, spec.label_of(column), spec.unit_of(column))
    for column, iri in vocab.label_classes.items():
        lexicon.labels[iri] = spec.label_of(column)
    return lexicon
