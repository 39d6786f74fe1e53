//! One picture made to fit: decoded under limits (a hostile file cannot ask for gigabytes),
//! turned upright from its EXIF orientation, scaled down to the site's width and encoded under
//! a byte budget — PNG when it has few colours and fits (screenshots, diagrams), else JPEG at
//! the best quality that fits, narrower when no quality does. Metadata (EXIF, GPS) is dropped.

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageEncoder, ImageReader, Limits, RgbImage};
use std::collections::HashSet;
use std::io::Cursor;

/// The largest side a picture may claim before it is decoded.
const MAX_SIDE: u32 = 20_000;
/// The most memory one decode may take.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;
/// JPEG qualities tried at each width, best first.
const QUALITIES: [u8; 7] = [85, 78, 70, 62, 55, 48, 40];
/// Narrower than this, a picture no longer says anything: the budget is too small.
const MIN_WIDTH: u32 = 240;

/// The file format of a fitted picture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Lossless, for few colours.
    Png,
    /// Lossy, for photographs.
    Jpeg,
}

impl Format {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
        }
    }

    /// The media type.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
        }
    }
}

/// A picture ready to publish.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The encoded file.
    pub bytes: Vec<u8>,
    /// Its format.
    pub format: Format,
    /// Its width in pixels.
    pub width: u32,
    /// Its height in pixels.
    pub height: u32,
    /// The width and height it came in.
    pub original: (u32, u32),
}

/// Why a picture could not be made to fit.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// Not an image we read, or a broken one.
    #[error("not a PNG or JPEG image we can read: {0}")]
    Unreadable(String),
    /// Even narrow and at low quality it is over the budget.
    #[error(
        "even {width} px wide at JPEG quality {quality} it takes {smallest} bytes, over the limit of {max_bytes}"
    )]
    CannotFit {
        /// The budget.
        max_bytes: usize,
        /// The smallest encoding tried.
        smallest: usize,
        /// Its width.
        width: u32,
        /// Its quality.
        quality: u8,
    },
}

/// `input` scaled to at most `max_width` pixels wide and encoded in at most `max_bytes`.
pub fn fit(input: &[u8], max_width: u32, max_bytes: usize) -> Result<Fitted, FitError> {
    let picture = decode(input)?;
    let original = (picture.width(), picture.height());
    let mut picture = if picture.width() > max_width {
        picture.resize(max_width, u32::MAX, FilterType::CatmullRom)
    } else {
        picture
    };
    if few_colours(&picture)
        && let Some(bytes) = png(&picture).filter(|b| b.len() <= max_bytes)
    {
        return Ok(Fitted {
            bytes,
            format: Format::Png,
            width: picture.width(),
            height: picture.height(),
            original,
        });
    }
    let mut smallest = (usize::MAX, 0, 0);
    loop {
        let rgb = flatten(&picture);
        for quality in QUALITIES {
            let bytes = jpeg(&rgb, quality);
            if bytes.len() <= max_bytes {
                return Ok(Fitted {
                    bytes,
                    format: Format::Jpeg,
                    width: rgb.width(),
                    height: rgb.height(),
                    original,
                });
            }
            if bytes.len() < smallest.0 {
                smallest = (bytes.len(), rgb.width(), quality);
            }
        }
        let narrower = picture.width() * 4 / 5;
        if narrower < MIN_WIDTH {
            return Err(FitError::CannotFit {
                max_bytes,
                smallest: smallest.0,
                width: smallest.1,
                quality: smallest.2,
            });
        }
        picture = picture.resize(narrower, u32::MAX, FilterType::CatmullRom);
    }
}

/// Decodes under limits and turns the picture upright.
fn decode(input: &[u8]) -> Result<DynamicImage, FitError> {
    let unreadable = |e: image::ImageError| FitError::Unreadable(e.to_string());
    let mut reader = ImageReader::new(Cursor::new(input))
        .with_guessed_format()
        .map_err(|e| FitError::Unreadable(e.to_string()))?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut picture = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    picture.apply_orientation(orientation);
    Ok(picture)
}

/// At most 256 colours: a screenshot or a diagram, which PNG keeps sharp and small.
fn few_colours(picture: &DynamicImage) -> bool {
    let mut seen = HashSet::new();
    for pixel in picture.to_rgba8().pixels() {
        if seen.insert(pixel.0) && seen.len() > 256 {
            return false;
        }
    }
    true
}

fn png(picture: &DynamicImage) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let encoder =
        PngEncoder::new_with_quality(&mut out, CompressionType::Best, PngFilter::Adaptive);
    let rgba = picture.to_rgba8();
    encoder
        .write_image(
            rgba.as_raw(),
            rgba.width(),
            rgba.height(),
            image::ExtendedColorType::Rgba8,
        )
        .ok()?;
    Some(out)
}

/// RGB on white: JPEG has no transparency, and mail is read on white as often as not.
fn flatten(picture: &DynamicImage) -> RgbImage {
    if !picture.color().has_alpha() {
        return picture.to_rgb8();
    }
    let rgba = picture.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

fn jpeg(rgb: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(rgb)
        .expect("encoding RGB pixels to memory cannot fail");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A photograph's worth of detail: gradients and noise from a fixed seed.
    fn photo(width: u32, height: u32) -> Vec<u8> {
        let mut state = 0x2545_f491_u32;
        let picture = RgbImage::from_fn(width, height, |x, y| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            let noise = (state % 48) as u8;
            image::Rgb([
                ((x * 200 / width) as u8).saturating_add(noise),
                ((y * 200 / height) as u8).saturating_add(noise / 2),
                (((x + y) * 100 / (width + height)) as u8).saturating_add(noise),
            ])
        });
        let mut out = Vec::new();
        PngEncoder::new(&mut out)
            .write_image(
                picture.as_raw(),
                width,
                height,
                image::ExtendedColorType::Rgb8,
            )
            .unwrap();
        out
    }

    #[test]
    fn a_photo_becomes_a_jpeg_under_the_budget_and_the_width() {
        let input = photo(1600, 1000);
        let fitted = fit(&input, 800, 60_000).unwrap();
        assert_eq!(fitted.format, Format::Jpeg);
        assert!(fitted.bytes.len() <= 60_000, "{}", fitted.bytes.len());
        assert!(fitted.width <= 800);
        assert_eq!(fitted.original, (1600, 1000));
        // The aspect ratio is kept (to a pixel of rounding).
        assert!((i64::from(fitted.height) - i64::from(fitted.width) * 1000 / 1600).abs() <= 1);
        let back = image::load_from_memory(&fitted.bytes).unwrap();
        assert_eq!((back.width(), back.height()), (fitted.width, fitted.height));
    }

    #[test]
    fn a_diagram_stays_a_sharp_png() {
        let picture = RgbImage::from_fn(600, 300, |x, _| {
            if x < 300 {
                image::Rgb([20, 40, 200])
            } else {
                image::Rgb([250, 250, 250])
            }
        });
        let mut input = Vec::new();
        PngEncoder::new(&mut input)
            .write_image(picture.as_raw(), 600, 300, image::ExtendedColorType::Rgb8)
            .unwrap();
        let fitted = fit(&input, 1200, 100_000).unwrap();
        assert_eq!(fitted.format, Format::Png);
        assert_eq!((fitted.width, fitted.height), (600, 300));
        let back = image::load_from_memory(&fitted.bytes).unwrap().to_rgb8();
        assert_eq!(back.get_pixel(10, 10).0, [20, 40, 200]);
    }

    #[test]
    fn a_budget_too_small_is_refused_with_the_figures() {
        let input = photo(800, 600);
        let err = fit(&input, 800, 500).unwrap_err();
        assert!(
            matches!(err, FitError::CannotFit { max_bytes: 500, .. }),
            "{err}"
        );
        assert!(err.to_string().contains("over the limit of 500"), "{err}");
    }

    #[test]
    fn what_is_not_an_image_is_unreadable() {
        let err = fit(b"<html>not a picture</html>", 800, 100_000).unwrap_err();
        assert!(matches!(err, FitError::Unreadable(_)), "{err}");
    }
}
