//! What makes a document an archival one: the creation date (the issue time, in the practice's
//! zone, not printpdf's 1970), a trailer id derived from the document (so the same document
//! renders the same bytes), and for PDF/A-3b the XMP metadata, the sRGB output intent and
//! embedded files (the Factur-X XML) with their `/AF` relationship. printpdf 0.12 writes
//! PDF/X-style metadata with a CMYK print profile and random ids, so this rewrites the
//! document's catalog, info and trailer on the lopdf level, after printpdf built the pages.

use lopdf::{Dictionary, Object, Stream, StringFormat};

use crate::error::{Error, Result};

/// The sRGB profile of Debian's icc-profiles-free (zlib licence, assets/icc/LICENSE-sRGB.txt).
const SRGB_ICC: &[u8] = include_bytes!("../../../assets/icc/sRGB.icc");

/// A file embedded into a PDF/A-3 (the Factur-X XML).
#[derive(Debug, Clone)]
pub struct Attachment {
    pub name: String,
    /// MIME type, e.g. `text/xml`.
    pub mime: &'static str,
    pub bytes: Vec<u8>,
    pub description: String,
    /// `/AFRelationship`: `Alternative` for Factur-X's EN 16931 profile.
    pub relationship: &'static str,
    /// The Factur-X conformance level the XMP announces (`EN 16931`), when this is the invoice XML.
    pub facturx_level: Option<&'static str>,
}

/// How a document is finished.
#[derive(Debug, Clone)]
pub struct Meta {
    /// CreationDate and ModDate: when it was issued, in the practice's zone.
    pub created: jiff::Zoned,
    /// The trailer's `/ID` (both halves): from the document's own id, so a render is repeatable.
    pub id: [u8; 16],
    /// PDF/A-3b: XMP, output intent, PDF 1.7.
    pub archival: bool,
    pub attachment: Option<Attachment>,
    /// `/Lang` of the catalog, e.g. `de-AT`.
    pub lang: String,
}

impl Meta {
    /// A document made now (reports, previews): not archival, an id from the clock.
    pub fn now() -> Meta {
        Meta {
            created: jiff::Zoned::now(),
            id: *uuid::Uuid::now_v7().as_bytes(),
            archival: false,
            attachment: None,
            lang: String::new(),
        }
    }
}

fn text_string(s: &str) -> Object {
    if s.is_ascii() {
        return Object::String(s.as_bytes().to_vec(), StringFormat::Literal);
    }
    let mut b = vec![0xFE, 0xFF];
    for u in s.encode_utf16() {
        b.extend_from_slice(&u.to_be_bytes());
    }
    Object::String(b, StringFormat::Hexadecimal)
}

/// `D:20261123101500+01'00'`, the PDF date form.
pub fn pdf_date(z: &jiff::Zoned) -> String {
    let off = z.offset().seconds();
    let (sign, abs) = if off < 0 { ('-', -off) } else { ('+', off) };
    format!("D:{}{sign}{:02}'{:02}'", z.strftime("%Y%m%d%H%M%S"), abs / 3600, abs % 3600 / 60)
}

/// `2026-11-23T10:15:00+01:00`, the XMP date form.
fn xmp_date(z: &jiff::Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn xmp(title: &str, m: &Meta) -> String {
    let created = xmp_date(&m.created);
    let title = xml_escape(title);
    let mut s = String::new();
    s.push_str("<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n");
    s.push_str(
        "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n",
    );
    s.push_str(
        "<rdf:Description rdf:about=\"\" xmlns:pdfaid=\"http://www.aiim.org/pdfa/ns/id/\">\n\
         <pdfaid:part>3</pdfaid:part>\n<pdfaid:conformance>B</pdfaid:conformance>\n</rdf:Description>\n",
    );
    s.push_str(&format!(
        "<rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n\
         <dc:format>application/pdf</dc:format>\n\
         <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title>\n\
         </rdf:Description>\n\
         <rdf:Description rdf:about=\"\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\">\n\
         <xmp:CreatorTool>Tresor</xmp:CreatorTool>\n<xmp:CreateDate>{created}</xmp:CreateDate>\n\
         <xmp:ModifyDate>{created}</xmp:ModifyDate>\n<xmp:MetadataDate>{created}</xmp:MetadataDate>\n\
         </rdf:Description>\n\
         <rdf:Description rdf:about=\"\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
         <pdf:Producer>Tresor</pdf:Producer>\n</rdf:Description>\n"
    ));
    if let Some((a, level)) = m.attachment.as_ref().and_then(|a| a.facturx_level.map(|l| (a, l))) {
        s.push_str(&format!(
            "<rdf:Description rdf:about=\"\" xmlns:fx=\"urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#\">\n\
             <fx:DocumentType>INVOICE</fx:DocumentType>\n<fx:DocumentFileName>{}</fx:DocumentFileName>\n\
             <fx:Version>1.0</fx:Version>\n<fx:ConformanceLevel>{level}</fx:ConformanceLevel>\n</rdf:Description>\n",
            xml_escape(&a.name)
        ));
        s.push_str(FACTURX_EXTENSION_SCHEMA);
    }
    s.push_str("</rdf:RDF>\n</x:xmpmeta>\n");
    // No padding: the packet is never rewritten in place (a kept document never changes).
    s.push_str("<?xpacket end=\"w\"?>");
    s
}

/// The PDF/A extension schema description of Factur-X's XMP properties (Factur-X 1.0, §A.2).
const FACTURX_EXTENSION_SCHEMA: &str = r#"<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>fx</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentFileName</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>name of the embedded XML invoice file</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>DocumentType</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>INVOICE</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>Version</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The actual version of the Factur-X XML schema</pdfaProperty:description></rdf:li>
<rdf:li rdf:parseType="Resource"><pdfaProperty:name>ConformanceLevel</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType><pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>The conformance level of the embedded Factur-X data</pdfaProperty:description></rdf:li>
</rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"#;

fn bad(detail: &str) -> Error {
    Error::Render { detail: detail.into() }
}

/// Rewrites info, trailer and (for archival documents) catalog of a document printpdf built.
pub fn apply(doc: &mut lopdf::Document, title: &str, m: &Meta) -> Result<()> {
    let date = pdf_date(&m.created);
    let mut info = Dictionary::new();
    info.set("Title", text_string(title));
    info.set("Creator", text_string("Tresor"));
    info.set("Producer", text_string("Tresor"));
    info.set("CreationDate", Object::String(date.clone().into_bytes(), StringFormat::Literal));
    info.set("ModDate", Object::String(date.into_bytes(), StringFormat::Literal));
    let info_id = doc.add_object(info);
    doc.trailer.set("Info", Object::Reference(info_id));
    let id = Object::String(m.id.to_vec(), StringFormat::Hexadecimal);
    doc.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    if !m.archival {
        return Ok(());
    }
    doc.version = "1.7".into();
    let mut meta = Dictionary::new();
    meta.set("Type", "Metadata");
    meta.set("Subtype", "XML");
    // PDF/A: the metadata stream stays uncompressed (no /Filter), so any tool can read it.
    let xmp_id = doc.add_object(Stream::new(meta, xmp(title, m).into_bytes()).with_compression(false));
    let mut icc = Dictionary::new();
    icc.set("N", 3);
    let icc_id = doc.add_object(Stream::new(icc, SRGB_ICC.to_vec()));
    let mut intent = Dictionary::new();
    intent.set("Type", "OutputIntent");
    intent.set("S", "GTS_PDFA1");
    intent.set("OutputConditionIdentifier", text_string("sRGB IEC61966-2.1"));
    intent.set("RegistryName", text_string("http://www.color.org"));
    intent.set("Info", text_string("sRGB IEC61966-2.1"));
    intent.set("DestOutputProfile", Object::Reference(icc_id));
    let attachment = match &m.attachment {
        Some(a) => Some((embed(doc, a, &m.created)?, a.name.clone())),
        None => None,
    };
    let catalog = doc.catalog_mut().map_err(|_| bad("no catalog"))?;
    catalog.set("Metadata", Object::Reference(xmp_id));
    catalog.set("OutputIntents", Object::Array(vec![Object::Dictionary(intent)]));
    if !m.lang.is_empty() {
        catalog.set("Lang", text_string(&m.lang));
    }
    if let Some((spec, name)) = attachment {
        let mut files = Dictionary::new();
        files.set("Names", Object::Array(vec![text_string(&name), Object::Reference(spec)]));
        let mut names = Dictionary::new();
        names.set("EmbeddedFiles", Object::Dictionary(files));
        catalog.set("Names", Object::Dictionary(names));
        catalog.set("AF", Object::Array(vec![Object::Reference(spec)]));
    }
    Ok(())
}

/// The embedded file stream and its file specification; returns the specification's id.
fn embed(doc: &mut lopdf::Document, a: &Attachment, when: &jiff::Zoned) -> Result<lopdf::ObjectId> {
    let mut params = Dictionary::new();
    params.set("Size", i64::try_from(a.bytes.len()).map_err(|_| bad("attachment size"))?);
    params.set("ModDate", Object::String(pdf_date(when).into_bytes(), StringFormat::Literal));
    let mut ef = Dictionary::new();
    ef.set("Type", "EmbeddedFile");
    ef.set("Subtype", a.mime);
    ef.set("Params", Object::Dictionary(params));
    let file = doc.add_object(Stream::new(ef, a.bytes.clone()));
    let mut refs = Dictionary::new();
    refs.set("F", Object::Reference(file));
    refs.set("UF", Object::Reference(file));
    let mut spec = Dictionary::new();
    spec.set("Type", "Filespec");
    spec.set("F", text_string(&a.name));
    spec.set("UF", text_string(&a.name));
    spec.set("Desc", text_string(&a.description));
    spec.set("AFRelationship", a.relationship);
    spec.set("EF", Object::Dictionary(refs));
    Ok(doc.add_object(spec))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_carry_the_zone() {
        let z = jiff::civil::datetime(2026, 11, 23, 10, 15, 0, 0).in_tz("Europe/Vienna").unwrap();
        assert_eq!(pdf_date(&z), "D:20261123101500+01'00'");
        assert_eq!(xmp_date(&z), "2026-11-23T10:15:00+01:00");
        let s = jiff::civil::datetime(2026, 7, 1, 9, 0, 0, 0).in_tz("Europe/Berlin").unwrap();
        assert_eq!(pdf_date(&s), "D:20260701090000+02'00'");
    }
}
