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

/// A profile photo: the centre square, at most 512 pixels on a side.
pub fn thumbnail(bytes: &[u8]) -> Result<Vec<u8>, AppError> {
    fitted(bytes, THUMBNAIL_SIZE, THUMBNAIL_SIZE)
}

/// An event's cover: the centre 1.91 : 1 band (what chat apps and social sites show of a
/// link), at most 1200×630.
pub fn cover(bytes: &[u8]) -> Result<Vec<u8>, AppError> {
    fitted(bytes, COVER_WIDTH, COVER_HEIGHT)
}

pub const COVER_WIDTH: u32 = 1200;
pub const COVER_HEIGHT: u32 = 630;

/// Decodes within limits, turns it upright (phones store rotation in EXIF), crops the centre
/// to the shape of `width`×`height`, shrinks it to at most that (never enlarges) and
/// re-encodes it as a JPEG. Re-encoding is what strips EXIF, GPS and any other metadata:
/// nothing of the original file but its pixels survives.
fn fitted(bytes: &[u8], width: u32, height: u32) -> Result<Vec<u8>, AppError> {
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(too_large());
    }
    let format = sniff(bytes)?;
    // The header alone says how big the picture claims to be: refuse a bomb before decoding.
    let (claimed_width, claimed_height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(decode_error)?;
    if claimed_width > MAX_DIMENSION
        || claimed_height > MAX_DIMENSION
        || u64::from(claimed_width) * u64::from(claimed_height) > MAX_PIXELS
    {
        return Err(too_many_pixels(claimed_width, claimed_height));
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
    // A JPEG decodes to RGB already (no copy here); the centre crop is a view into it, and
    // only the small result is a new picture.
    let image = image.into_rgb8();
    let (crop_width, crop_height) = centre_crop(image.width(), image.height(), width, height);
    let cropped = image::imageops::crop_imm(
        &image,
        (image.width() - crop_width) / 2,
        (image.height() - crop_height) / 2,
        crop_width,
        crop_height,
    );
    let (out_width, out_height) = if crop_width > width {
        (width, height)
    } else {
        (crop_width, crop_height)
    };
    let small = image::imageops::resize(
        &*cropped,
        out_width,
        out_height,
        image::imageops::FilterType::CatmullRom,
    );
    let mut out = Vec::with_capacity(64 * 1024);
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85)
        .encode_image(&small)
        .map_err(|error| {
            tracing::error!(%error, "could not encode a picture");
            AppError::Internal
        })?;
    Ok(out)
}

/// The largest part of a `width`×`height` picture with the shape of `shape_w`×`shape_h`.
fn centre_crop(width: u32, height: u32, shape_w: u32, shape_h: u32) -> (u32, u32) {
    // Compared in u64: 12,000 × 1,200 does not fit in u32 twice over.
    if u64::from(width) * u64::from(shape_h) > u64::from(height) * u64::from(shape_w) {
        let crop = (u64::from(height) * u64::from(shape_w) / u64::from(shape_h)) as u32;
        (crop.max(1), height)
    } else {
        let crop = (u64::from(width) * u64::from(shape_h) / u64::from(shape_w)) as u32;
        (width, crop.max(1))
    }
}

/// Uploads of pictures one person may make per hour: enough to change one's mind a few
/// times, too few to keep the decoders busy.
const UPLOADS_PER_HOUR: u32 = 20;

static UPLOADS: std::sync::LazyLock<governor::DefaultKeyedRateLimiter<String>> =
    std::sync::LazyLock::new(|| {
        let burst = std::num::NonZeroU32::new(UPLOADS_PER_HOUR).unwrap();
        let quota =
            governor::Quota::with_period(std::time::Duration::from_secs(3600) / burst.get())
                .unwrap()
                .allow_burst(burst);
        governor::RateLimiter::keyed(quota)
    });

/// Whether whoever `key` names (a registration's ticket token, an organiser) may upload a
/// picture now.
pub fn may_upload(key: String) -> Result<(), AppError> {
    if UPLOADS.len() > 10_000 {
        UPLOADS.retain_recent();
    }
    UPLOADS
        .check_key(&key)
        .map_err(|_| AppError::TooManyAttempts)
}

pub fn too_large() -> AppError {
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

/// Photos as rows of the `photos` table (`NETEVENT_PHOTOS=database`): any instance serves
/// any photo without a shared file system, and the database's replication (a Galera
/// cluster) and backups carry them. A photo is written once under a new name and read
/// through the browser's immutable cache, so the database sees about one read per photo
/// per phone.
pub struct DatabasePhotoStore {
    pool: crate::db::DbPool,
}

impl DatabasePhotoStore {
    pub fn new(pool: crate::db::DbPool) -> Self {
        Self { pool }
    }
}

#[async_trait::async_trait]
impl PhotoStore for DatabasePhotoStore {
    async fn put(&self, name: &str, bytes: Vec<u8>) -> Result<(), AppError> {
        use crate::schema::photos;
        use diesel::ExpressionMethods;
        use diesel_async::RunQueryDsl;
        if !is_photo_name(name) {
            return Err(AppError::not_found("Photo"));
        }
        let conn = &mut self.pool.get().await?;
        diesel::insert_into(photos::table)
            .values((photos::name.eq(name), photos::bytes.eq(bytes)))
            .execute(conn)
            .await?;
        Ok(())
    }

    async fn get(&self, name: &str) -> Result<Option<Vec<u8>>, AppError> {
        use crate::schema::photos;
        use diesel::{OptionalExtension, QueryDsl};
        use diesel_async::RunQueryDsl;
        if !is_photo_name(name) {
            return Ok(None);
        }
        let conn = &mut self.pool.get().await?;
        Ok(photos::table
            .find(name)
            .select(photos::bytes)
            .first::<Vec<u8>>(conn)
            .await
            .optional()?)
    }

    async fn delete(&self, name: &str) -> Result<(), AppError> {
        use crate::schema::photos;
        use diesel::QueryDsl;
        use diesel_async::RunQueryDsl;
        let conn = &mut self.pool.get().await?;
        diesel::delete(photos::table.find(name))
            .execute(conn)
            .await?;
        Ok(())
    }
}

/// Where stored pictures (photos and covers) are served from.
pub const PHOTO_PATH: &str = "/media/photos";

/// Stores a picture made here under a new name of its own (never reused, so it may be
/// cached for good); answers its address.
pub async fn keep(store: &dyn PhotoStore, picture: Vec<u8>) -> Result<String, AppError> {
    let name = format!("{}.jpg", crate::domain::random_hex(16));
    store.put(&name, picture).await?;
    Ok(format!("{PHOTO_PATH}/{name}"))
}

/// Deletes the stored picture at `address`. A file that cannot be deleted is logged, and
/// whatever change it followed stands; an address not of ours is left alone.
pub async fn discard(store: &dyn PhotoStore, address: &str) {
    let Some(name) = address
        .strip_prefix(PHOTO_PATH)
        .and_then(|n| n.strip_prefix('/'))
    else {
        return;
    };
    if let Err(error) = store.delete(name).await {
        tracing::warn!(%error, picture = %address, "could not delete a picture no one shows");
    }
}

/// `thumbnail` off the async workers, at most one per core at once (`cpu::PHOTOS`).
pub async fn thumbnail_in_turn(upload: Vec<u8>) -> Result<Vec<u8>, AppError> {
    crate::cpu::PHOTOS.run(move || thumbnail(&upload)).await?
}

/// `cover`, in the same turn as photos.
pub async fn cover_in_turn(upload: Vec<u8>) -> Result<Vec<u8>, AppError> {
    crate::cpu::PHOTOS.run(move || cover(&upload)).await?
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
    fn a_cover_is_the_centre_band_of_a_photo_whatever_its_shape() {
        for (width, height, expected) in [
            (4000, 3000, (1200, 630)),
            (900, 1600, (900, 472)),
            (600, 200, (380, 200)),
        ] {
            let decoded = image::load_from_memory(&cover(&png(width, height)).unwrap()).unwrap();
            assert_eq!(
                (decoded.width(), decoded.height()),
                expected,
                "{width}×{height}"
            );
        }
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
