//! The QR code of a link as a module matrix, in a wasm of its own: the encoder is ~25 KB of
//! wasm that only the popup's "mobile link" view and the www playground need, so the main wasm
//! (loaded at every service-worker start) does not carry it.

/// The QR code of `text`: `(size, modules)`, the modules row-major, 1 = dark; the error as text.
pub fn modules(text: &str) -> Result<(usize, Vec<u8>), String> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(|e| String::from(error_text(e)))?;
    let modules = code.to_colors().into_iter().map(|c| u8::from(c == qrcode::Color::Dark)).collect();
    Ok((code.width(), modules))
}

/// The error as the main wasm's `qrCode` said it (`cannot make a QR code: {e}`), without
/// `format!` and `Display` (they were a third of this wasm). The test checks each against `Display`.
fn error_text(e: qrcode::types::QrError) -> &'static str {
    use qrcode::types::QrError::*;
    match e {
        DataTooLong => "cannot make a QR code: data too long",
        InvalidVersion => "cannot make a QR code: invalid version",
        UnsupportedCharacterSet => "cannot make a QR code: unsupported character set",
        InvalidEciDesignator => "cannot make a QR code: invalid ECI designator",
        InvalidCharacter => "cannot make a QR code: invalid character",
    }
}

#[cfg(target_arch = "wasm32")]
mod wasm {
    use wasm_bindgen::prelude::*;

    /// The module matrix, row-major, 1 = dark (a `Uint8Array`; its side is `Math.sqrt(length)`).
    #[wasm_bindgen(js_name = qrModules)]
    pub fn qr_modules(text: &str) -> Result<Vec<u8>, JsError> {
        super::modules(text).map(|(_, modules)| modules).map_err(|e| JsError::new(&e))
    }
}

#[cfg(test)]
mod tests {
    use qrcode::types::QrError::*;

    #[test]
    fn error_texts_are_the_display_texts() {
        for e in [DataTooLong, InvalidVersion, UnsupportedCharacterSet, InvalidEciDesignator, InvalidCharacter] {
            assert_eq!(super::error_text(e), format!("cannot make a QR code: {e}"));
        }
    }

    #[test]
    fn a_link_gives_a_square_of_modules() {
        let (size, modules) = super::modules("https://open.kwaixiaodian.com/oauth/authorize?app_id=ks1").unwrap();
        assert_eq!(modules.len(), size * size);
        assert!(super::modules(&"x".repeat(5000)).unwrap_err().contains("data too long"));
    }
}
