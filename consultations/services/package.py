"""Importing a consultation announced elsewhere (on e-consultare, or another CONECT)
from its package (docs/e-consultare-package.md), and reading what a person pasted from
an announcement to prefill the form of a new consultation."""

import datetime
import io
import json
import re
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.html import escape
from django.utils.translation import gettext as _

from registry.models import County, Domain, Region

from ..models import Consultation, Document
from ..package import FORMAT, JSON_NAME, VERSION
from .consultations import consultation_create
from .documents import document_add, document_add_version

MAX_PACKAGE_BYTES = 200 * 1024 * 1024
MAX_DOCUMENTS = 50


def _refuse(message: str):
    raise ValidationError({"package": message})


def _read_package(archive) -> tuple[dict, zipfile.ZipFile]:
    if archive.size > MAX_PACKAGE_BYTES:
        _refuse(_("The package is larger than 200 MB."))
    try:
        zipped = zipfile.ZipFile(io.BytesIO(archive.read()))
        raw = zipped.read(JSON_NAME)
    except (zipfile.BadZipFile, KeyError):
        _refuse(_("This is not a consultation package: a zip file with consultation.json."))
    try:
        package = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        _refuse(_("The package's consultation.json is not valid JSON."))
    if not isinstance(package, dict) or package.get("format") != FORMAT:
        _refuse(_("The package's consultation.json is not in the consultation package format."))
    if package.get("version") != VERSION:
        _refuse(
            _("This version of the package format (%(version)s) cannot be read.")
            % {"version": package.get("version")}
        )
    return package, zipped


def _field(data: dict, *path, kind=str, required=True):
    value = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if value in (None, "") and not required:
        return None
    if kind is datetime.date:
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            pass
    elif isinstance(value, kind) and value not in ("",):
        return value
    _refuse(
        _("The package's field “%(field)s” is missing or not valid.") % {"field": ".".join(path)}
    )


def _files(package: dict, zipped: zipfile.ZipFile) -> list[tuple[str, str, list]]:
    """[(kind, title, [(file, change_note)...])], each file read from the zip."""
    documents = package.get("documents") or []
    if not isinstance(documents, list) or not documents:
        _refuse(_("The package has no document: a consultation is published with its draft."))
    if len(documents) > MAX_DOCUMENTS:
        _refuse(_("The package has more than 50 documents."))
    names = set(zipped.namelist())
    result = []
    for document in documents:
        kind = _field(document, "kind")
        if kind not in Document.Kind.values:
            _refuse(_("A document's kind “%(kind)s” is not known.") % {"kind": kind})
        title = _field(document, "title")
        versions = sorted(document.get("versions") or [], key=lambda v: v.get("number") or 0)
        if not versions:
            _refuse(_("The document “%(title)s” has no file.") % {"title": title})
        files = []
        for version in versions:
            path = _field(version, "file")
            if path not in names:
                _refuse(_("The file %(file)s is missing from the package.") % {"file": path})
            name = version.get("original_name") or path.rsplit("/", 1)[-1]
            upload = SimpleUploadedFile(name, zipped.read(path), version.get("content_type", ""))
            files.append((upload, version.get("change_note") or ""))
        result.append((kind, title, files))
    return result


def consultation_import(*, actor, institution, archive) -> Consultation:
    """Create, as a draft of `institution`, the consultation a package describes, with
    its documents (every version) and its articles. Everything is checked as when typed
    (the legal dates from today, the territory, each file's type and size); a refused
    package changes nothing. The draft is then checked and published by its staff."""
    package, zipped = _read_package(archive)
    data = package.get("consultation") or {}
    kind = _field(data, "kind")
    if kind not in Consultation.Kind.values:
        _refuse(_("The kind of act “%(kind)s” is not known.") % {"kind": kind})
    domains = list(Domain.objects.filter(slug__in=data.get("domains") or [], is_active=True))
    regions = list(Region.objects.filter(code__in=data.get("regions") or []))
    counties = list(County.objects.filter(code__in=data.get("counties") or []))
    documents = _files(package, zipped)
    source = (package.get("source") or {}).get("url") or ""
    summary = _field(data, "summary")
    if source:
        summary += "<p>" + escape(_("Announced first at %(url)s.") % {"url": source}) + "</p>"
    with transaction.atomic():
        consultation = consultation_create(
            actor=actor,
            institution=institution,
            title=_field(data, "title"),
            summary=summary,
            kind=kind,
            opens_on=_field(package, "dates", "opens_on", kind=datetime.date),
            closes_on=_field(package, "dates", "closes_on", kind=datetime.date),
            planned_adoption_on=_field(package, "dates", "planned_adoption_on", kind=datetime.date),
            domains=domains,
            counties=counties,
            regions=regions,
            is_national=bool(data.get("is_national")),
            is_urgent=bool(data.get("is_urgent")),
            urgency_justification=data.get("urgency_justification") or "",
        )
        for document_kind, title, files in documents:
            (first, _note), *later = files
            document = document_add(
                consultation=consultation, actor=actor, kind=document_kind, title=title, file=first
            )
            for upload, note in later:
                document_add_version(
                    document=document, actor=actor, file=upload, change_note=note or "-"
                )
        articles = [a for a in package.get("articles") or [] if isinstance(a, dict)]
        if articles:
            from .articles import consultation_set_articles

            text = "\n\n".join(f"{a.get('label', '')}\n{a.get('text', '')}" for a in articles)
            consultation_set_articles(consultation=consultation, actor=actor, text=text)
    return consultation


# --- A consultation typed by hand, from its public address ------------------------

_DATE = re.compile(r"\b(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b")
_MONTHS = {
    "ianuarie": 1,
    "februarie": 2,
    "martie": 3,
    "aprilie": 4,
    "mai": 5,
    "iunie": 6,
    "iulie": 7,
    "august": 8,
    "septembrie": 9,
    "octombrie": 10,
    "noiembrie": 11,
    "decembrie": 12,
}
_WORDY_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)
_KINDS = [
    (re.compile(r"\bproiect(ul)? de lege\b|\blegea?\b", re.I), Consultation.Kind.DRAFT_LAW),
    (re.compile(r"\bhot[aă]r[aâ]r", re.I), Consultation.Kind.GOVERNMENT_DECISION),
    (re.compile(r"\bordonan[tț]", re.I), Consultation.Kind.ORDINANCE),
    (re.compile(r"\bordin(ul)?\b", re.I), Consultation.Kind.MINISTERIAL_ORDER),
    (re.compile(r"\bpolitic", re.I), Consultation.Kind.PUBLIC_POLICY),
]
_CLOSING = re.compile(r"p[aâ]n[aă]\s+(la|pe|în|in)|termen|data[- ]limit", re.I)


def _dates_in(text: str) -> list[tuple[int, datetime.date]]:
    """(position, date) of every date written 12.05.2026, 12/05/2026 or 12 mai 2026."""
    found = []
    for match in _DATE.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        try:
            found.append((match.start(), datetime.date(year, month, day)))
        except ValueError:
            continue
    for match in _WORDY_DATE.finditer(text):
        day, month, year = match.groups()
        try:
            found.append(
                (match.start(), datetime.date(int(year), _MONTHS[month.lower()], int(day)))
            )
        except ValueError:
            continue
    return sorted(found)


def prefill_from_announcement(*, url: str, text: str) -> dict:
    """The initial values of a new consultation's form read from an announcement pasted
    by hand (nothing is fetched): the title (its first line), the kind of act (from its
    words), the last day for recommendations (a date after "până la", or the latest
    date), the opening (the earliest date) and a summary that keeps the text and names
    its address. What cannot be read is left for the person to fill in."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    initial: dict = {}
    if lines:
        initial["title"] = lines[0][:300]
    for pattern, kind in _KINDS:
        if pattern.search(lines[0] if lines else ""):
            initial["kind"] = kind
            break
    else:
        for pattern, kind in _KINDS:
            if pattern.search(text or ""):
                initial["kind"] = kind
                break
    found = _dates_in(text or "")
    if found:
        closing = [
            day
            for position, day in found
            if _CLOSING.search(text[max(0, position - 40) : position])
        ]
        initial["closes_on"] = closing[-1] if closing else max(d for _p, d in found)
        earliest = min(d for _p, d in found)
        if earliest < initial["closes_on"]:
            initial["opens_on"] = earliest
    body = "\n\n".join(lines[1:]) if len(lines) > 1 else ""
    source = _("Announced first at %(url)s.") % {"url": url} if url else ""
    initial["summary"] = "\n\n".join(part for part in (body, source) if part)
    return initial
