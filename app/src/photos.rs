//! Profile photos: untrusted uploads become a small square JPEG with no metadata, kept behind
//! a storage interface so a deployment can swap the local directory for object storage.

use crate::error::AppError;
use image::{ImageDecoder, ImageFormat, ImageReader, Limits};
use std::io::Cursor;
use std::path::PathBuf;

pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// Larger than any phone camera's side; a header claiming more is refused before decoding.
pub const MAX_DIMENSION: u32 = 12_000;
/// 40 megapixels: more than a phone's 48 MP sensor bins into a photo (12 MP), and what the
/// decode budget below holds as RGBA.
pub const MAX_PIXELS: u64 = 40_000_000;
/// Decoding may allocate at most this much, whatever the header claims.
const MAX_DECODE_BYTES: u64 = MAX_PIXELS * 4;
pub const THUMBNAIL_SIZE: u32 = 512;

/// The formats we take, told from the file's first bytes, never from its name or the
/// client's content type.
pub fn sniff(bytes: &[u8]) -> Result<ImageFormat, AppError> {
    match image::guess_format(bytes) {
        Ok(format @ (ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) => Ok(format),
        _ => Err(AppError::UnsupportedMediaType(
            "That file is not a JPEG, PNG or WebP image.".into(),
        )),
    }
}

/// Decodes within limits, turns it upright (phones store rotation in EXIF), crops the centre
/// square and re-encodes it as a JPEG. Re-encoding is what strips EXIF, GPS and any other
/// metadata: nothing of the original file but its pixels survives.
pub fn thumbnail(bytes: &[u8]) -> Result<Vec<u8>, AppError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(too_large());
    }
    let format = sniff(bytes)?;
    // The header alone says how big the picture claims to be: refuse a bomb before decoding.
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(decode_error)?;
    if width > MAX_DIMENSION
        || height > MAX_DIMENSION
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return Err(too_many_pixels(width, height));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let orientation = decoder.orientation().ok();
    let mut image = image::DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    if let Some(orientation) = orientation {
        image.apply_orientation(orientation);
    }
    // A JPEG decodes to RGB already (no copy here); the centre square is a view into it, and
    // only the small result is a new picture.
    let image = image.into_rgb8();
    let side = image.width().min(image.height());
    let square = image::imageops::crop_imm(
        &image,
        (image.width() - side) / 2,
        (image.height() - side) / 2,
        side,
        side,
    );
    let small = image::imageops::resize(
        &*square,
        THUMBNAIL_SIZE.min(side),
        THUMBNAIL_SIZE.min(side),
        image::imageops::FilterType::CatmullRom,
    );
    let mut out = Vec::with_capacity(64 * 1024);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&small)
        .map_err(|error| {
            tracing::error!(%error, "could not encode a thumbnail");
            AppError::Internal
        })?;
    Ok(out)
}

fn too_large() -> AppError {
    AppError::TooLarge("The photo is larger than 5 MB. Please choose a smaller one.".into())
}

fn too_many_pixels(width: u32, height: u32) -> AppError {
    AppError::TooLarge(format!(
        "The photo is {width}×{height} pixels; the most we take is 40 megapixels, at most {MAX_DIMENSION} on a side."
    ))
}

fn decode_error(error: image::ImageError) -> AppError {
    use image::error::{ImageError, LimitErrorKind};
    match error {
        ImageError::Limits(limit) => match limit.kind() {
            LimitErrorKind::DimensionError => AppError::TooLarge(format!(
                "The photo has too many pixels; the most we take is {MAX_DIMENSION}×{MAX_DIMENSION}."
            )),
            _ => AppError::TooLarge(
                "The photo would take too much memory to open. Please choose a smaller one."
                    .into(),
            ),
        },
        ImageError::Unsupported(_) => AppError::UnsupportedMediaType(
            "That image uses a format variant we cannot read. Please try a JPEG or PNG.".into(),
        ),
        _ => AppError::UnsupportedMediaType(
            "That file could not be read as an image. It may be damaged.".into(),
        ),
    }
}

/// Where photos live. Names are chosen by NetEvent (random hex plus an extension), never by
/// the uploader.
#[async_trait::async_trait]
pub trait PhotoStore: Send + Sync {
    async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), AppError>;
    async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, AppError>;
    /// Forgets a photo that was replaced or removed; one already gone is no error.
    async fn delete(&self, name: &str) -> Result<(), AppError>;
}

/// Photos as files in one directory on the server.
pub struct LocalPhotoStore {
    dir: PathBuf,
}

impl LocalPhotoStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    fn path(&self, name: &str) -> Result<PathBuf, AppError> {
        if is_photo_name(name) {
            Ok(self.dir.join(name))
        } else {
            Err(AppError::not_found("Photo"))
        }
    }
}

/// `<32 hex>.jpg`: what `put` is given, and all `get` will look for.
pub fn is_photo_name(name: &str) -> bool {
    name.strip_suffix(".jpg").is_some_and(|stem| {
        stem.len() == 32
            && stem
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
    })
}

#[async_trait::async_trait]
impl PhotoStore for LocalPhotoStore {
    async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        let path = self.path(name)?;
        let io_error = |error: std::io::Error| {
            tracing::error!(%error, "could not store a photo");
            AppError::Internal
        };
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(io_error)?;
        // Write aside and rename, so a reader never sees half a file.
        let partial = path.with_extension("part");
        tokio::fs::write(&partial, bytes).await.map_err(io_error)?;
        tokio::fs::rename(&partial, &path).await.map_err(io_error)
    }

    async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, AppError> {
        match tokio::fs::read(self.path(name)?).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(error) => {
                tracing::error!(%error, "could not read a photo");
                Err(AppError::Internal)
            }
        }
    }

    async fn delete(&self, name: &str) -> Result<(), AppError> {
        match tokio::fs::remove_file(self.path(name)?).await {
            Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
                Err(AppError::internal(error))
            }
            _ => Ok(()),
        }
    }
}

/// `thumbnail` off the async workers, at most one per core at once (`cpu::PHOTOS`).
pub async fn thumbnail_in_turn(upload: Vec<u8>) -> Result<Vec<u8>, AppError> {
    crate::cpu::PHOTOS.run(move || thumbnail(&upload)).await?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbImage::from_pixel(width, height, image::Rgb([200, 40, 90]));
        let mut out = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut out), ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn a_wide_photo_becomes_a_centred_square_jpeg() {
        let jpeg = thumbnail(&png(900, 600)).unwrap();
        assert_eq!(image::guess_format(&jpeg).unwrap(), ImageFormat::Jpeg);
        let decoded = image::load_from_memory(&jpeg).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (512, 512));
    }

    #[test]
    fn a_small_photo_is_not_enlarged() {
        let decoded = image::load_from_memory(&thumbnail(&png(120, 80)).unwrap()).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (80, 80));
    }

    #[test]
    fn text_is_not_an_image() {
        let error = thumbnail(b"hello, I am a text file named photo.jpg").unwrap_err();
        assert_eq!(error.status(), 415);
        // A GIF is an image, but not one we take.
        assert_eq!(
            thumbnail(b"GIF89a\x01\x00\x01\x00").unwrap_err().status(),
            415
        );
    }

    #[test]
    fn photo_names_cannot_escape_the_directory() {
        assert!(is_photo_name("0123456789abcdef0123456789abcdef.jpg"));
        assert!(!is_photo_name("../../etc/passwd"));
        assert!(!is_photo_name("0123456789abcdef0123456789abcdeF.jpg"));
        assert!(!is_photo_name("0123456789abcdef0123456789abcdef.png"));
    }
}
