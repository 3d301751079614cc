"""The page "What we don't know": flagged statements, conflicts between sources, cities whose
Michelin sites are not known, and where to send a correction."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request

from ..i18n import label_languages
from ..pages.unknowns import build_unknowns
from .i18n import negotiate_language
from .links import local_href
from .state import get_store, rendered

blueprint = Blueprint("unknowns", __name__)


def corrections_url() -> str:
    """Where readers send corrections: RIVM_CORRECTIONS_URL, else the publisher's contact."""
    return current_app.config.get("CORRECTIONS_URL") or current_app.config.get("CONTACT_URL") or ""


@blueprint.get("/what-we-do-not-know")
def page():
    language = negotiate_language(request)

    def build() -> str:
        unknowns = build_unknowns(get_store(), label_languages(language), local_href)
        return render_template("unknowns.html", unknowns=unknowns, corrections=corrections)

    corrections = corrections_url()
    key = ("unknowns", language, request.url_root, request.query_string, corrections)
    return rendered(key, build)
