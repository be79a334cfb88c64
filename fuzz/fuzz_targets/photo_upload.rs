//! An uploaded profile photo: any bytes either are refused or become a square JPEG of at most
//! 512 px, and nothing panics or decodes without limits on the way.
#![no_main]

use app::photos::{thumbnail, THUMBNAIL_SIZE};
use image::{ImageFormat, ImageReader};
use libfuzzer_sys::fuzz_target;
use std::io::Cursor;

fuzz_target!(|bytes: &[u8]| {
    let _ = app::photos::sniff(bytes);
    if let Ok(jpeg) = thumbnail(bytes) {
        assert_eq!(image::guess_format(&jpeg).ok(), Some(ImageFormat::Jpeg));
        let (width, height) = ImageReader::with_format(Cursor::new(&jpeg), ImageFormat::Jpeg)
            .into_dimensions()
            .unwrap();
        assert!(width == height && width <= THUMBNAIL_SIZE);
    }
});
