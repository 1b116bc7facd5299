"""Standard schemas idlgen carries, so that imports of them never need the network.

Each file here was written for idlgen from the specification it names (its
first comment says which). :data:`BY_NAMESPACE` finds one for an
``xsd:import`` of a namespace without a location, or for a name used from a
namespace nobody imported; :data:`BY_URL` for the locations WSDLs write. A
URL is compared without its scheme (``http``/``https``) and trailing ``/``.
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

_W = "docs.oasis-open.org/wss/2004/01"
#: namespace → (file, the URLs it is published at)
SCHEMAS: dict[str, tuple[str, tuple[str, ...]]] = {
    "http://www.w3.org/XML/1998/namespace": (
        "xml.xsd",
        ("www.w3.org/2001/xml.xsd", "www.w3.org/2001/03/xml.xsd", "www.w3.org/2009/01/xml.xsd"),
    ),
    "http://schemas.xmlsoap.org/soap/encoding/": (
        "soap-encoding.xsd",
        ("schemas.xmlsoap.org/soap/encoding",),
    ),
    "http://schemas.xmlsoap.org/soap/envelope/": (
        "soap11-envelope.xsd",
        ("schemas.xmlsoap.org/soap/envelope",),
    ),
    "http://www.w3.org/2003/05/soap-envelope": (
        "soap12-envelope.xsd",
        ("www.w3.org/2003/05/soap-envelope",),
    ),
    "http://www.w3.org/2003/05/soap-encoding": (
        "soap12-encoding.xsd",
        ("www.w3.org/2003/05/soap-encoding",),
    ),
    "http://www.w3.org/2005/05/xmlmime": (
        "xmime-2005-05.xsd",
        ("www.w3.org/2005/05/xmlmime",),
    ),
    "http://www.w3.org/2004/11/xmlmime": (
        "xmime-2004-11.xsd",
        ("www.w3.org/2004/11/xmlmime",),
    ),
    "http://www.w3.org/2004/08/xop/include": (
        "xop-include.xsd",
        ("www.w3.org/2004/08/xop/include",),
    ),
    "http://www.w3.org/2005/08/addressing": (
        "ws-addressing.xsd",
        ("www.w3.org/2006/03/addressing/ws-addr.xsd", "www.w3.org/2005/08/addressing/ws-addr.xsd"),
    ),
    "http://schemas.xmlsoap.org/wsdl/": ("wsdl11.xsd", ("schemas.xmlsoap.org/wsdl",)),
    "http://schemas.xmlsoap.org/ws/2004/09/policy": (
        "ws-policy-2004.xsd",
        ("schemas.xmlsoap.org/ws/2004/09/policy/ws-policy.xsd",),
    ),
    "http://www.w3.org/ns/ws-policy": (
        "ws-policy-15.xsd",
        ("www.w3.org/2007/02/ws-policy.xsd",),
    ),
    "http://docs.oasis-open.org/wsn/b-2": ("wsn-b-2.xsd", ("docs.oasis-open.org/wsn/b-2.xsd",)),
    "http://docs.oasis-open.org/wsn/t-1": ("wsn-t-1.xsd", ("docs.oasis-open.org/wsn/t-1.xsd",)),
    "http://docs.oasis-open.org/wsrf/bf-2": (
        "wsrf-bf-2.xsd",
        ("docs.oasis-open.org/wsrf/bf-2.xsd",),
    ),
    "http://docs.oasis-open.org/wsrf/r-2": ("wsrf-r-2.xsd", ("docs.oasis-open.org/wsrf/r-2.xsd",)),
    "http://www.w3.org/1999/xlink": (
        "xlink.xsd",
        ("www.w3.org/1999/xlink.xsd", "www.w3.org/XML/2008/06/xlink.xsd"),
    ),
    "http://www.w3.org/2000/09/xmldsig#": (
        "xmldsig.xsd",
        (
            "www.w3.org/TR/xmldsig-core/xmldsig-core-schema.xsd",
            "www.w3.org/TR/2002/REC-xmldsig-core-20020212/xmldsig-core-schema.xsd",
        ),
    ),
    f"http://{_W}/oasis-200401-wss-wssecurity-secext-1.0.xsd": (
        "wss-secext.xsd",
        (f"{_W}/oasis-200401-wss-wssecurity-secext-1.0.xsd",),
    ),
    f"http://{_W}/oasis-200401-wss-wssecurity-utility-1.0.xsd": (
        "wss-utility.xsd",
        (f"{_W}/oasis-200401-wss-wssecurity-utility-1.0.xsd",),
    ),
}

BY_NAMESPACE: dict[str, Path] = {ns: HERE / file for ns, (file, _) in SCHEMAS.items()}
BY_URL: dict[str, Path] = {url: HERE / file for file, urls in SCHEMAS.values() for url in urls}
#: The namespace of each bundled file.
NAMESPACE_OF: dict[Path, str] = {path: ns for ns, path in BY_NAMESPACE.items()}


def url_key(url: str) -> str:
    """``url`` as :data:`BY_URL` keys it: no scheme, no trailing slash."""
    for scheme in ("http://", "https://"):
        if url.startswith(scheme):
            url = url[len(scheme) :]
    return url.rstrip("/")


def bundled(location: str | None, namespace: str | None) -> Path | None:
    """The bundled schema for an import's location (a URL) or, failing that, its namespace."""
    if location:
        found = BY_URL.get(url_key(location))
        if found is not None:
            return found
    return BY_NAMESPACE.get(namespace or "")
