//! What the server offers the client and what it takes from the client's capabilities:
//! the position encoding, negotiated once at `initialize`.

use tower_lsp_server::ls_types::{
    ClientCapabilities, PositionEncodingKind, ServerCapabilities, TextDocumentSyncCapability,
    TextDocumentSyncKind, TextDocumentSyncOptions,
};

use crate::text::PositionEncoding;

/// UTF-8 when the client offers it (no counting of UTF-16 units), else the LSP default,
/// UTF-16, which every client must support.
pub fn negotiate_encoding(client: &ClientCapabilities) -> PositionEncoding {
    let offered = client
        .general
        .as_ref()
        .and_then(|general| general.position_encodings.as_deref())
        .unwrap_or_default();
    if offered.contains(&PositionEncodingKind::UTF8) {
        PositionEncoding::Utf8
    } else {
        PositionEncoding::Utf16
    }
}

pub fn encoding_kind(encoding: PositionEncoding) -> PositionEncodingKind {
    match encoding {
        PositionEncoding::Utf8 => PositionEncodingKind::UTF8,
        PositionEncoding::Utf16 => PositionEncodingKind::UTF16,
    }
}

/// The capabilities announced in the `initialize` result. Each feature adds its provider here.
pub fn server_capabilities(encoding: PositionEncoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding_kind(encoding)),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::INCREMENTAL),
                ..Default::default()
            },
        )),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::GeneralClientCapabilities;

    use super::*;

    fn offering(encodings: Option<Vec<PositionEncodingKind>>) -> ClientCapabilities {
        ClientCapabilities {
            general: Some(GeneralClientCapabilities {
                position_encodings: encodings,
                ..Default::default()
            }),
            ..Default::default()
        }
    }

    #[test]
    fn utf8_only_when_offered() {
        use PositionEncodingKind as Kind;
        let negotiate = |capabilities: &ClientCapabilities| negotiate_encoding(capabilities);
        assert_eq!(
            negotiate(&ClientCapabilities::default()),
            PositionEncoding::Utf16
        );
        assert_eq!(negotiate(&offering(None)), PositionEncoding::Utf16);
        assert_eq!(
            negotiate(&offering(Some(vec![Kind::UTF16]))),
            PositionEncoding::Utf16
        );
        assert_eq!(
            negotiate(&offering(Some(vec![Kind::UTF32]))),
            PositionEncoding::Utf16
        );
        assert_eq!(
            negotiate(&offering(Some(vec![Kind::UTF16, Kind::UTF8]))),
            PositionEncoding::Utf8
        );
    }
}
