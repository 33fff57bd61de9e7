"""Digital signatures of a PDF: is it signed, and by whom.

Reports are normally signed by the agency head (ký số).  The signer's name is
the common name (CN) of the signing certificate inside the signature's CMS
blob; the signature dictionary's `/Name` is only a fallback because many
signing tools leave it empty.  The PDF is read, never rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID
from pypdf import PdfReader
from pypdf.generic import DictionaryObject


@dataclass(frozen=True)
class SignatureInfo:
    field_name: str
    signer: str | None
    signing_time: str | None


def read_signatures(reader: PdfReader) -> list[SignatureInfo]:
    """All filled signature fields of the document, in field order."""
    found: list[SignatureInfo] = []
    try:
        fields = reader.get_fields() or {}
    except Exception:  # a broken AcroForm must not cost us the rest of the document
        return found
    for name, field in fields.items():
        if field.get("/FT") != "/Sig":
            continue
        value = field.get("/V")
        if value is None:
            continue
        sig = value.get_object()
        if not isinstance(sig, DictionaryObject):
            continue
        found.append(SignatureInfo(name, _signer_name(sig), _text(sig.get("/M"))))
    return found


def _signer_name(sig: DictionaryObject) -> str | None:
    contents = sig.get("/Contents")
    if contents is not None:
        blob = bytes(contents.get_object() if hasattr(contents, "get_object") else contents)
        cn = _cn_from_cms(blob.rstrip(b"\x00"))
        if cn:
            return cn
    return _text(sig.get("/Name"))


def _cn_from_cms(blob: bytes) -> str | None:
    try:
        certs = pkcs7.load_der_pkcs7_certificates(blob)
    except Exception:
        return None
    if not certs:
        return None
    leaf = _leaf(certs)
    attrs = leaf.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    if not attrs:
        return None
    value = attrs[0].value
    return value.decode() if isinstance(value, bytes) else str(value)


def _leaf(certs: list[x509.Certificate]) -> x509.Certificate:
    """The certificate that issued no other certificate in the bundle is the signer's."""
    issuers = {c.issuer.rfc4514_string() for c in certs}
    for cert in certs:
        if cert.subject.rfc4514_string() not in issuers or cert.subject == cert.issuer and len(certs) == 1:
            return cert
    return certs[0]


def _text(obj: object) -> str | None:
    if obj is None:
        return None
    text = str(obj).strip()
    return text or None
