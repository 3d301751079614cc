"""SHACL validation of the project: data against its shapes, the ontology, the query catalogue.

Each check runs pySHACL over rdflib graphs; the findings are grouped by severity then by focus
node, with the node's label and the file that defines it, so a person can go and fix it.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from ..i18n import DEFAULT_LANGUAGE, label_languages
from ..rdf.labels import LABEL_PREDICATES, best_label, compact
from ..rdf.namespaces import SH, bind_all
from ..stores.files import data_files, ontology_files, query_files, shape_file

SEVERITY_ORDER = ("Violation", "Warning", "Info")

#: What is checked: (name, shapes files, the files validated).
CHECKS = (
    ("data", ("violations", "warnings"), lambda root: ontology_files(root) + data_files(root)),
    ("ontology", ("ontology",), ontology_files),
    ("catalogue", ("catalogue",), query_files),
)


@dataclass(frozen=True)
class Finding:
    check: str
    severity: str
    focus: str
    label: str | None
    file: str | None
    message: str
    path: str | None
    value: str | None
    shape: str | None


@dataclass
class ValidationReport:
    findings: list[Finding]
    files_checked: int

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def conforms(self) -> bool:
        """Only violations make the project wrong; warnings never fail."""
        return self.count("Violation") == 0

    def to_dict(self) -> dict:
        return {
            "conforms": self.conforms,
            "violations": self.count("Violation"),
            "warnings": self.count("Warning"),
            "filesChecked": self.files_checked,
            "findings": [asdict(f) for f in self.findings],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_text(self) -> str:
        lines: list[str] = []
        for severity in SEVERITY_ORDER:
            found = [f for f in self.findings if f.severity == severity]
            if not found:
                continue
            lines.append(f"{severity}s ({len(found)})")
            by_focus: dict[tuple, list[Finding]] = defaultdict(list)
            for f in found:
                by_focus[(f.focus, f.label, f.file)].append(f)
            for (focus, label, file), items in sorted(by_focus.items(), key=lambda kv: kv[0][0]):
                name = f"{label} <{focus}>" if label else f"<{focus}>"
                lines.append(f"  {name}" + (f"  [{file}]" if file else ""))
                for item in items:
                    where = f"{item.path}: " if item.path else ""
                    lines.append(f"    - {where}{item.message}")
            lines.append("")
        verdict = "conforms" if self.conforms else "does NOT conform"
        lines.append(
            f"{self.files_checked} files checked: {self.count('Violation')} violations, "
            f"{self.count('Warning')} warnings; the project {verdict}."
        )
        return "\n".join(lines)


def _parse_all(paths: list[Path]) -> tuple[Graph, dict[Path, Graph]]:
    merged, per_file = Graph(), {}
    for path in paths:
        graph = Graph().parse(path, format="turtle")
        per_file[path] = graph
        merged += graph
    bind_all(merged)
    return merged, per_file


def _defining_file(node: Node, per_file: dict[Path, Graph], root: Path) -> str | None:
    """The file that types the node, else the first where it is a subject."""
    for predicate in (RDF.type, None):
        for path, graph in per_file.items():
            if (node, predicate, None) in graph:
                return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    return None


def _label(node: Node, graph: Graph) -> str | None:
    pairs = [
        (p, o)
        for p in LABEL_PREDICATES
        for o in graph.objects(node, URIRef(p))
        if isinstance(o, Literal)
    ]
    return best_label(pairs, label_languages(DEFAULT_LANGUAGE))


def _findings(check: str, results: Graph, data: Graph, per_file, root: Path) -> list[Finding]:
    findings = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        severity = results.value(result, SH.resultSeverity)
        path = results.value(result, SH.resultPath)
        value = results.value(result, SH.value)
        messages = [str(m) for m in results.objects(result, SH.resultMessage)]
        component = results.value(result, SH.sourceConstraintComponent)
        shape = results.value(result, SH.sourceShape)
        findings.append(
            Finding(
                check=check,
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
                focus=str(focus),
                label=_label(focus, data) if focus is not None else None,
                file=_defining_file(focus, per_file, root) if focus is not None else None,
                message="; ".join(sorted(messages))
                or f"fails {compact(str(component)) if component else 'a constraint'}",
                path=compact(str(path)) if isinstance(path, URIRef) else None,
                value=None if value is None else str(value),
                shape=compact(str(shape)) if isinstance(shape, URIRef) else None,
            )
        )
    return findings


def validate_files(check: str, paths: list[Path], shapes: list[Path], root: Path) -> list[Finding]:
    data, per_file = _parse_all(paths)
    shapes_graph = Graph()
    for shape in shapes:
        shapes_graph.parse(shape, format="turtle")
    _, results, _ = validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True
    )
    return _findings(check, results, data, per_file, root)


def validate_project(root: Path | str) -> ValidationReport:
    root = Path(root)
    findings: list[Finding] = []
    checked: set[Path] = set()
    for check, shape_names, select in CHECKS:
        paths = select(root)
        shapes = [shape_file(root, name) for name in shape_names]
        shapes = [s for s in shapes if s.exists()]
        if not paths or not shapes:
            continue
        checked.update(paths)
        findings += validate_files(check, paths, shapes, root)
    severity_rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
    findings.sort(key=lambda f: (severity_rank.get(f.severity, 9), f.focus, f.message))
    return ValidationReport(findings=findings, files_checked=len(checked))
