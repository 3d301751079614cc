"""The SHACL shapes, tested on small self-contained Turtle cases (conventions 9 and 10).

Each file in ``tests/shape_cases/`` holds its data and one ``rivmt:ShapeCase`` node: which shapes
file to run (``rivmt:shapes``), whether the data conforms (``rivmt:conforms``), exactly which focus
nodes fail (``rivmt:focus``) and, optionally, which named shapes report them (``rivmt:shape``).
The ontology is merged into the data graph for "violations" and "warnings" cases, because the
shapes rely on its rdfs:subClassOf axioms; "ontology" cases hold an ontology fragment instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import RDF, BNode, Graph, Namespace, URIRef
from rdflib.term import Node

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "shape_cases"
SHAPES = ROOT / "shapes"
ONTOLOGY = ROOT / "ontology" / "rivm.ttl"

RIVMT = Namespace("https://w3id.org/rivm/test#")
SH = Namespace("http://www.w3.org/ns/shacl#")

SEVERITY = {"violations": SH.Violation, "warnings": SH.Warning, "ontology": SH.Violation}
TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode, SH.target)
CASE_FILES = sorted(CASES.glob("*.ttl"))


@dataclass(frozen=True)
class Outcome:
    conforms: bool
    focus: frozenset[Node]
    shapes: frozenset[Node]
    messages: tuple[str, ...] = ()


@cache
def shapes_graph(name: str) -> Graph:
    return Graph().parse(SHAPES / f"{name}.ttl")


@cache
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY)


def named_shape(shapes: Graph, shape: Node) -> Node:
    """A property shape is reported by its blank node; name the node shape that holds it."""
    if isinstance(shape, BNode):
        return next(shapes.subjects(SH.property, shape), shape)
    return shape


def run(data: Graph, shapes_name: str) -> Outcome:
    """Validate and keep the top-level results of the severity the shapes file is about."""
    shapes = shapes_graph(shapes_name)
    _, report, _ = validate(
        data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
    )
    severity = SEVERITY[shapes_name]
    results = [
        r for r in report.objects(None, SH.result) if report.value(r, SH.resultSeverity) == severity
    ]
    return Outcome(
        conforms=not results,
        focus=frozenset(report.value(r, SH.focusNode) for r in results),
        shapes=frozenset(named_shape(shapes, report.value(r, SH.sourceShape)) for r in results),
        messages=tuple(
            sorted(
                f"{report.value(r, SH.focusNode)}: {report.value(r, SH.resultMessage)}"
                for r in results
            )
        ),
    )


def load_case(path: Path) -> tuple[Graph, str, Outcome]:
    """Split a case file into its data and its expected outcome."""
    graph = Graph().parse(path)
    cases = list(graph.subjects(RDF.type, RIVMT.ShapeCase))
    assert len(cases) == 1, f"{path.name}: expected one rivmt:ShapeCase"
    case = cases[0]
    shapes_name = str(graph.value(case, RIVMT.shapes))
    assert shapes_name in SEVERITY, f"{path.name}: unknown rivmt:shapes {shapes_name!r}"
    expected = Outcome(
        conforms=graph.value(case, RIVMT.conforms).toPython(),
        focus=frozenset(graph.objects(case, RIVMT.focus)),
        shapes=frozenset(graph.objects(case, RIVMT.shape)),
    )
    for triple in list(graph):
        if any(isinstance(t, URIRef) and t.startswith(str(RIVMT)) for t in triple):
            graph.remove(triple)
    if shapes_name != "ontology":
        graph += ontology_graph()
    return graph, shapes_name, expected


@cache
def case_outcome(path: Path) -> tuple[Outcome, Outcome]:
    data, shapes_name, expected = load_case(path)
    return expected, run(data, shapes_name)


@pytest.mark.parametrize("path", CASE_FILES, ids=[p.name for p in CASE_FILES])
def test_shape_case(path: Path) -> None:
    expected, actual = case_outcome(path)
    assert path.name.endswith(".valid.ttl") == expected.conforms, "name and rivmt:conforms differ"
    assert expected.conforms or expected.focus, "an invalid case lists its rivmt:focus"
    assert actual.conforms == expected.conforms, actual.messages
    assert actual.focus == expected.focus, actual.messages
    if expected.shapes:
        assert actual.shapes == expected.shapes, actual.messages


def test_every_shape_has_a_failing_case() -> None:
    """Each named shape with a target is shown failing by at least one case."""
    covered: set[Node] = set()
    for path in CASE_FILES:
        covered |= load_case(path)[2].shapes
    for name in SEVERITY:
        shapes = shapes_graph(name)
        targeted = {s for p in TARGETS for s in shapes.subjects(p, None) if isinstance(s, URIRef)}
        missing = sorted(str(s) for s in targeted - covered)
        assert not missing, f"shapes/{name}.ttl: no failing case for {missing}"


def test_ontology_conforms_to_its_shapes() -> None:
    outcome = run(ontology_graph(), "ontology")
    assert outcome.conforms, outcome.messages
