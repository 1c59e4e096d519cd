//! `.properties` text → `(key, value, line)` entries, via the `java-properties`
//! crate (escapes, continuation lines, `\uXXXX`, `#`/`!` comments).

use crate::error::{Error, Reason, Result};

/// One `key=value` pair and the (1-based) line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: String,
    pub line: usize,
}

/// Parses properties text. A leading UTF-8 BOM is skipped; CRLF files work.
pub fn parse(text: &str) -> Result<Vec<Entry>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut entries = Vec::new();
    let iter = java_properties::PropertiesIter::new_with_encoding(
        text.as_bytes(),
        encoding_rs::UTF_8,
    );
    for line in iter {
        let line = line.map_err(|e| {
            let at = e.line_number().map(|n| format!(" on line {n}")).unwrap_or_default();
            Error::new(Reason::ConfigInvalid, format!("properties syntax error{at}: {e}"))
        })?;
        let number = line.line_number();
        if let java_properties::LineContent::KVPair(key, value) = line.consume_content() {
            entries.push(Entry { key, value, line: number });
        }
    }
    Ok(entries)
}

/// Reads a file: UTF-8 when it is valid UTF-8, else ISO-8859-1 (what
/// `java.util.Properties.load(InputStream)` assumes).
pub fn read_file(path: &std::path::Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| {
        Error::new(Reason::ConfigIo, format!("cannot read {}: {e}", path.display()))
    })?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|&b| char::from(b)).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_continuations_unicode_bom_crlf() {
        let text = "\u{feff}# comment\r\nyfs.yfs.jwt.https\\://idp.acme.com\\:8020/jwt.verify.keyloader=httpsjwks\r\n\
                    a.b = one, \\\r\n    two\r\nname=caf\\u00e9\r\n";
        let e = parse(text).unwrap();
        assert_eq!(e[0].key, "yfs.yfs.jwt.https://idp.acme.com:8020/jwt.verify.keyloader");
        assert_eq!(e[0].line, 2);
        assert_eq!(e[1].value, "one, two");
        assert_eq!(e[2].value, "café");
        assert_eq!(e[2].line, 5);
    }
}
