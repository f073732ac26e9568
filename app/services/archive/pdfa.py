"""Structural PDF/A checks of a filed copy with pikepdf, where veraPDF is not installed: PDF/A
identification in the XMP, an output intent with its profile, every font embedded, no
encryption, no JavaScript, no external references or launch actions, every attachment with its
relationship and type (PDF/A-3). A copy failing any of them is not filed; the result is stored
with the item and the check runs again in every four-property check."""

import json
from dataclasses import dataclass, field
from io import BytesIO

import pikepdf
from pikepdf import Name

PDFA_PART, PDFA_CONFORMANCE = "3", "B"
_EMBEDDED_FONT = ("/FontFile", "/FontFile2", "/FontFile3")
_SIMPLE_FONTS = ("/Type1", "/MMType1", "/TrueType", "/CIDFontType0", "/CIDFontType2")
_FORBIDDEN_ACTIONS = ("/JavaScript", "/Launch", "/GoToR", "/GoToE", "/ImportData", "/Movie",
                      "/Sound", "/ResetForm", "/Hide", "/SetOCGState", "/Rendition", "/Trans",
                      "/GoTo3DView")
CHECKS = ("readable", "not_encrypted", "pdfa_identification", "output_intent", "fonts_embedded",
          "no_javascript", "no_external_references", "attachments_described")


@dataclass
class PdfaCheck:
    """Each check's outcome (True, or the reason it failed) and the page count."""

    results: dict[str, object] = field(default_factory=dict)
    pages: int = 0

    @property
    def passed(self) -> bool:
        return all(self.results.get(name) is True for name in CHECKS)

    def failures(self) -> dict[str, object]:
        return {name: self.results.get(name, "not run") for name in CHECKS
                if self.results.get(name) is not True}

    def to_json(self) -> str:
        return json.dumps({"checks": self.results, "pages": self.pages,
                           "profile": f"PDF/A-{PDFA_PART}{PDFA_CONFORMANCE.lower()} (structural)"},
                          ensure_ascii=False, sort_keys=True)


def check_pdfa(data: bytes) -> PdfaCheck:
    """Runs every check over the copy's bytes."""
    check = PdfaCheck()
    try:
        pdf = pikepdf.open(BytesIO(data))
    except pikepdf.PdfError as error:
        check.results["readable"] = f"unreadable: {error}"
        return check
    with pdf:
        check.results["readable"] = True
        check.pages = len(pdf.pages)
        check.results["not_encrypted"] = True if not pdf.is_encrypted else "encrypted"
        check.results["pdfa_identification"] = _identification(pdf)
        check.results["output_intent"] = _output_intent(pdf)
        check.results.update(_objects(pdf))
    return check


def _identification(pdf: pikepdf.Pdf):
    meta = pdf.open_metadata()
    part, conformance = meta.get("pdfaid:part"), meta.get("pdfaid:conformance")
    if (part, conformance) != (PDFA_PART, PDFA_CONFORMANCE):
        return f"XMP says PDF/A part {part!r} conformance {conformance!r}"
    return True


def _output_intent(pdf: pikepdf.Pdf):
    for intent in pdf.Root.get("/OutputIntents", []):
        if intent.get("/S") == Name.GTS_PDFA1 and "/DestOutputProfile" in intent:
            return True
    return "no PDF/A output intent with an ICC profile"


def _objects(pdf: pikepdf.Pdf) -> dict[str, object]:
    """One pass over every object: fonts, actions, external streams, attachments."""
    found = {"fonts_embedded": [], "no_javascript": [], "no_external_references": [],
             "attachments_described": []}
    if "/JavaScript" in pdf.Root.get("/Names", {}):
        found["no_javascript"].append("document JavaScript")
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            if "/F" in obj.stream_dict:
                found["no_external_references"].append("stream with external file")
            if obj.stream_dict.get("/Type") == Name.EmbeddedFile and \
                    "/Subtype" not in obj.stream_dict:
                found["attachments_described"].append("embedded file without MIME type")
            continue
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        _inspect(obj, found)
    return {name: True if not problems else "; ".join(sorted(set(problems)))
            for name, problems in found.items()}


def _inspect(obj: pikepdf.Dictionary, found: dict[str, list]) -> None:
    kind = obj.get("/Type")
    if kind == Name.Font and obj.get("/Subtype") in _SIMPLE_FONTS:
        descriptor = obj.get("/FontDescriptor")
        if descriptor is None or not any(key in descriptor for key in _EMBEDDED_FONT):
            found["fonts_embedded"].append(f"font {obj.get('/BaseFont')} not embedded")
    if "/JS" in obj or obj.get("/S") == Name.JavaScript:
        found["no_javascript"].append("JavaScript action")
    elif obj.get("/S") in _FORBIDDEN_ACTIONS:
        found["no_external_references"].append(f"action {obj.get('/S')}")
    if "/AA" in obj:
        found["no_javascript"].append("additional actions")
    if kind == Name.XObject and "/Ref" in obj:
        found["no_external_references"].append("reference XObject")
    if kind == Name.Filespec and "/EF" in obj and "/AFRelationship" not in obj:
        found["attachments_described"].append("attachment without AFRelationship")
