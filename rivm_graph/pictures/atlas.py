"""The Natural Earth atlas: country outlines (1:110m), as decoded countries.

The outlines are vendored from the `world-atlas` package as TopoJSON, in the package data folder
`world-atlas/` beside this module (see its `SOURCE.txt`). The TopoJSON is decoded here, in
Python, once (on first use, never at import).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

ATLAS_PATH = resources.files(__package__) / "world-atlas" / "countries-110m.json"

# ISO 3166-1 numeric code -> alpha-2 code, for every id that occurs in world-atlas 2.0.2's
# countries-110m.json (taken from Debian's iso-codes 4.15 tables). N. Cyprus, Somaliland and
# Kosovo have no ISO numeric id there, so they cannot be highlighted.
_ISO_NUMERIC_ALPHA2 = """
004AF 008AL 010AQ 012DZ 024AO 031AZ 032AR 036AU 040AT 044BS 050BD 051AM 056BE 064BT 068BO
070BA 072BW 076BR 084BZ 090SB 096BN 100BG 104MM 108BI 112BY 116KH 120CM 124CA 140CF 144LK
148TD 152CL 156CN 158TW 170CO 178CG 180CD 188CR 191HR 192CU 196CY 203CZ 204BJ 208DK 214DO
218EC 222SV 226GQ 231ET 232ER 233EE 238FK 242FJ 246FI 250FR 260TF 262DJ 266GA 268GE 270GM
275PS 276DE 288GH 300GR 304GL 320GT 324GN 328GY 332HT 340HN 348HU 352IS 356IN 360ID 364IR
368IQ 372IE 376IL 380IT 384CI 388JM 392JP 398KZ 400JO 404KE 408KP 410KR 414KW 417KG 418LA
422LB 426LS 428LV 430LR 434LY 440LT 442LU 450MG 454MW 458MY 466ML 478MR 484MX 496MN 498MD
499ME 504MA 508MZ 512OM 516NA 524NP 528NL 540NC 548VU 554NZ 558NI 562NE 566NG 578NO 586PK
591PA 598PG 600PY 604PE 608PH 616PL 620PT 624GW 626TL 630PR 634QA 642RO 643RU 646RW 682SA
686SN 688RS 694SL 703SK 704VN 705SI 706SO 710ZA 716ZW 724ES 728SS 729SD 732EH 740SR 748SZ
752SE 756CH 760SY 762TJ 764TH 768TG 780TT 784AE 788TN 792TR 795TM 800UG 804UA 807MK 818EG
826GB 834TZ 840US 854BF 858UY 860UZ 862VE 887YE 894ZM
"""
ISO_NUMERIC_TO_ALPHA2: Mapping[str, str] = {
    item[:3]: item[3:] for item in _ISO_NUMERIC_ALPHA2.split()
}

LonLat = tuple[float, float]
Ring = tuple[LonLat, ...]


@dataclass(frozen=True)
class Country:
    """One country of the atlas: its ids, its name and its polygons (rings of lon/lat degrees).

    The first ring of each polygon is its exterior, the others are holes.
    """

    numeric: str | None
    alpha2: str | None
    name: str
    polygons: tuple[tuple[Ring, ...], ...]


def decode_topology(topology: Mapping, object_name: str = "countries") -> list[Country]:
    """Decode a TopoJSON geometry collection of polygons into countries.

    Arcs are delta-encoded integer positions when the topology has a `transform` (quantized):
    position = cumulative sum * scale + translate. Arc index `~i` (negative) is arc `i` reversed;
    consecutive arcs of a ring share their joining point, which is kept once.
    """
    transform = topology.get("transform")
    arcs: list[list[LonLat]] = []
    for arc in topology["arcs"]:
        if transform:
            (kx, ky), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                points.append((x * kx + tx, y * ky + ty))
        else:
            points = [(float(p[0]), float(p[1])) for p in arc]
        arcs.append(points)

    def ring(indexes: Sequence[int]) -> Ring:
        points: list[LonLat] = []
        for i in indexes:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(part if not points else part[1:])
        return tuple(points)

    countries = []
    for geometry in topology["objects"][object_name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [geometry["arcs"]]
        elif kind == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        numeric = geometry.get("id")
        numeric = str(numeric) if numeric is not None else None
        name = (geometry.get("properties") or {}).get("name") or ""
        countries.append(
            Country(
                numeric=numeric,
                alpha2=ISO_NUMERIC_TO_ALPHA2.get(numeric) if numeric else None,
                name=name,
                polygons=tuple(tuple(ring(r) for r in polygon) for polygon in polygons),
            )
        )
    return countries


@functools.cache
def world_countries() -> tuple[Country, ...]:
    """The vendored Natural Earth countries, read and decoded on first call only."""
    with ATLAS_PATH.open(encoding="utf-8") as f:
        return tuple(decode_topology(json.load(f)))
