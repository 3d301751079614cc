"""The EU and IANA vocabularies DCAT-AP expects, as the few codes and labels this dataset needs.

Countries and languages are looked up from codes the graph holds (ISO 3166-1 alpha-2, BCP 47
language tags); a code missing here is skipped by the descriptions and caught by a test.
"""

from __future__ import annotations

AUTHORITY = "http://publications.europa.eu/resource/authority/"
COUNTRY_SCHEME = AUTHORITY + "country"
LANGUAGE_SCHEME = AUTHORITY + "language"
FILE_TYPE_SCHEME = AUTHORITY + "file-type"
DATA_THEME_SCHEME = AUTHORITY + "data-theme"
AVAILABILITY_SCHEME = AUTHORITY + "planned-availability"
LICENCE_TYPE_SCHEME = "http://purl.org/adms/licencetype/1.0"
PUBLISHER_TYPE_SCHEME = "http://purl.org/adms/publishertype/1.0"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
W3C_FORMATS = "http://www.w3.org/ns/formats/"

#: ISO 3166-1 alpha-2 → the EU Countries authority code (ISO alpha-3) of the network's countries.
COUNTRY_ALPHA3: dict[str, str] = {
    "BR": "BRA",
    "BY": "BLR",
    "CA": "CAN",
    "CN": "CHN",
    "DE": "DEU",
    "ES": "ESP",
    "FR": "FRA",
    "GA": "GAB",
    "GB": "GBR",
    "HU": "HUN",
    "IN": "IND",
    "IT": "ITA",
    "JP": "JPN",
    "MX": "MEX",
    "PT": "PRT",
    "RO": "ROU",
    "TH": "THA",
    "UA": "UKR",
    "US": "USA",
}

#: Primary language subtag → the EU Languages authority code, for the tags the data uses.
LANGUAGE_CODES: dict[str, str] = {
    "be": "BEL",
    "de": "DEU",
    "en": "ENG",
    "es": "SPA",
    "eu": "EUS",
    "fr": "FRA",
    "hi": "HIN",
    "hu": "HUN",
    "it": "ITA",
    "ja": "JPN",
    "pt": "POR",
    "ro": "RON",
    "ta": "TAM",
    "th": "THA",
    "uk": "UKR",
    "zh": "ZHO",
}

#: The data themes of the dataset: code → labels.
DATA_THEMES: dict[str, dict[str, str]] = {
    "REGI": {"en": "Regions and cities", "fr": "Régions et villes"},
    "GOVE": {"en": "Government and public sector", "fr": "Gouvernement et secteur public"},
}

#: ADMS publisher types (http://purl.org/adms/publishertype/…) with their English labels.
PUBLISHER_TYPES: dict[str, str] = {
    "Academia-ScientificOrganisation": "Academia/Scientific organisation",
    "Company": "Company",
    "IndustryConsortium": "Industry consortium",
    "LocalAuthority": "Local Authority",
    "NationalAuthority": "National authority",
    "NonGovernmentalOrganisation": "Non-Governmental Organisation",
    "NonProfitOrganisation": "Non-Profit Organisation",
    "PrivateIndividual(s)": "Private Individual(s)",
    "RegionalAuthority": "Regional authority",
    "StandardisationBody": "Standardisation body",
    "SupraNationalAuthority": "Supra-national authority",
}


def country_iri(alpha2: str) -> str | None:
    code = COUNTRY_ALPHA3.get(alpha2.upper())
    return f"{AUTHORITY}country/{code}" if code else None


def language_iri(tag: str) -> str | None:
    code = LANGUAGE_CODES.get(tag.split("-")[0].lower())
    return f"{AUTHORITY}language/{code}" if code else None


def media_type_iri(media_type: str) -> str:
    return IANA_MEDIA_TYPES + media_type
