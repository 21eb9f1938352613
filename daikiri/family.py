"""A generated family knowledge base: the classic test bed for class-expression learners.

People over four generations with ``Male`` / ``Female`` and the relations ``hasChild``,
``hasParent`` (its inverse, asserted too), ``hasSibling`` and ``married``. Spouses marry in
from outside (they have no parents in the KB), so "has a parent" is informative. The target
concepts (father, aunt, cousin, ...) are *not* asserted: their members are computed here from
the relations, by plain graph queries, and serve as learning problems with known answers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

BASE = "http://example.org/family#"


@dataclass
class Person:
    name: str
    male: bool
    parents: list[str] = field(default_factory=list)
    children: list[str] = field(default_factory=list)
    siblings: list[str] = field(default_factory=list)
    spouse: str | None = None


@dataclass
class Family:
    people: dict[str, Person]

    def iri(self, name: str) -> str:
        return BASE + name

    def members(self, predicate: Callable[[Person], bool]) -> list[str]:
        return sorted(p.name for p in self.people.values() if predicate(p))

    def _has_child_with(self, person: Person, test: Callable[[Person], bool]) -> bool:
        return any(test(self.people[c]) for c in person.children)

    def targets(self) -> dict[str, list[str]]:
        """Members of each target concept, computed from the relations."""
        p = self.people
        has_child = lambda x: bool(x.children)  # noqa: E731
        grandparent = lambda x: self._has_child_with(x, has_child)  # noqa: E731
        great = lambda x: self._has_child_with(x, grandparent)  # noqa: E731
        parent_sibling = lambda x: any(has_child(p[s]) for s in x.siblings)  # noqa: E731
        return {
            "father": self.members(lambda x: x.male and has_child(x)),
            "mother": self.members(lambda x: not x.male and has_child(x)),
            "son": self.members(lambda x: x.male and bool(x.parents)),
            "daughter": self.members(lambda x: not x.male and bool(x.parents)),
            "brother": self.members(lambda x: x.male and bool(x.siblings)),
            "sister": self.members(lambda x: not x.male and bool(x.siblings)),
            "grandparent": self.members(grandparent),
            "grandfather": self.members(lambda x: x.male and grandparent(x)),
            "grandmother": self.members(lambda x: not x.male and grandparent(x)),
            "aunt": self.members(lambda x: not x.male and parent_sibling(x)),
            "uncle": self.members(lambda x: x.male and parent_sibling(x)),
            "cousin": self.members(lambda x: any(parent_sibling(p[q]) for q in x.parents)),
            "great_grandfather": self.members(lambda x: x.male and great(x)),
        }

    def problems(self) -> list[dict]:
        """One learning problem per target: members positive, everyone else negative."""
        everyone = sorted(self.people)
        out = []
        for name, members in self.targets().items():
            chosen = set(members)
            out.append({"name": name, "positives": [self.iri(m) for m in members],
                        "negatives": [self.iri(x) for x in everyone if x not in chosen]})
        return out

    def write_turtle(self, path: str | Path) -> Path:
        """TBox and ABox in one Turtle file (loads in the OWL API and rdflib)."""
        lines = [f"@prefix : <{BASE}> .", "@prefix owl: <http://www.w3.org/2002/07/owl#> .",
                 "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .", "",
                 "<http://example.org/family> a owl:Ontology .",
                 ":Person a owl:Class ; rdfs:label \"person\"@en .",
                 ":Male a owl:Class ; rdfs:subClassOf :Person ; rdfs:label \"male\"@en .",
                 ":Female a owl:Class ; rdfs:subClassOf :Person ; rdfs:label \"female\"@en .",
                 ":Male owl:disjointWith :Female ."]
        for prop, label in [("hasChild", "has child"), ("hasParent", "has parent"),
                            ("hasSibling", "has sibling"), ("married", "is married to")]:
            lines.append(f":{prop} a owl:ObjectProperty ; rdfs:label \"{label}\"@en .")
        lines.append(":hasParent owl:inverseOf :hasChild .")
        for person in self.people.values():
            facts = [f":{person.name} a owl:NamedIndividual , "
                     f":{'Male' if person.male else 'Female'}"]
            facts += [f":hasChild :{c}" for c in person.children]
            facts += [f":hasParent :{q}" for q in person.parents]
            facts += [f":hasSibling :{s}" for s in person.siblings]
            if person.spouse:
                facts.append(f":married :{person.spouse}")
            lines.append(" ;\n    ".join(facts) + " .")
        path = Path(path)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path


def write_family_kg(family: Family, folder: str | Path) -> Path:
    """The family KB in the knowledge-graph folder layout: ``tbox.owl`` (RDF/XML) and
    ``tbox.nt`` (what the learner reads) with the classes and properties,
    ``abox/part-00000.nt`` with the people (streamed by the learner)."""
    from rdflib import Graph

    folder = Path(folder)
    (folder / "abox").mkdir(parents=True, exist_ok=True)
    combined = family.write_turtle(folder / "family.ttl")
    graph = Graph().parse(combined)
    people = {family.iri(name) for name in family.people}
    tbox, abox = Graph(), Graph()
    for triple in graph:
        (abox if str(triple[0]) in people else tbox).add(triple)
    tbox.serialize(folder / "tbox.owl", format="xml")
    tbox.serialize(folder / "tbox.nt", format="nt", encoding="utf-8")
    # sorted: rdflib's order follows Python's per-process string hashing, and the order of
    # individuals decides the learner's hold-out split, so an unsorted file made results vary
    # from one Python process to the next
    lines = sorted(filter(None, abox.serialize(format="nt").splitlines()))
    (folder / "abox" / "part-00000.nt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    combined.unlink()
    return folder


def generate_family(founder_couples: int = 12, generations: int = 4, seed: int = 7,
                    max_children: int = 4) -> Family:
    """Generate a family KB; deterministic for a seed (a few hundred people by default)."""
    rng = random.Random(seed)
    people: dict[str, Person] = {}
    counter = [0]

    def new_person(male: bool, parents: list[str] | None = None) -> Person:
        counter[0] += 1
        person = Person(name=f"p{counter[0]:04d}", male=male, parents=list(parents or []))
        people[person.name] = person
        return person

    def marry(a: Person, b: Person) -> None:
        a.spouse, b.spouse = b.name, a.name

    couples = []
    for _ in range(founder_couples):
        husband, wife = new_person(True), new_person(False)
        marry(husband, wife)
        couples.append((husband, wife))
    for _generation in range(1, generations):
        next_couples = []
        for husband, wife in couples:
            kids = [new_person(rng.random() < 0.5, [husband.name, wife.name])
                    for _ in range(rng.randint(0, max_children))]
            for kid in kids:
                husband.children.append(kid.name)
                wife.children.append(kid.name)
                kid.siblings = [k.name for k in kids if k is not kid]
                if rng.random() < 0.8:
                    spouse = new_person(not kid.male)
                    marry(kid, spouse)
                    next_couples.append((kid, spouse) if kid.male else (spouse, kid))
        couples = next_couples
    return Family(people=people)
