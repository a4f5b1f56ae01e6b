//! HUD's model file format.
//!
//! ```text
//! offset  size  field
//! 0       8     magic "HUDMODEL"
//! 8       2     format version, u16 little-endian (currently 1)
//! 10      1     length L of the algorithm slug
//! 11      L     algorithm slug, ASCII (e.g. "gradient-boosting")
//! 11+L    2     feature count, u16 little-endian (must be 30)
//! 13+L    4     payload length P, u32 little-endian
//! 17+L    P     payload: the fitted learner (with its scaler) in postcard
//! 17+L+P  32    BLAKE3 hash of every byte before it
//! ```
//!
//! Reading checks, in order: magic, version, that the lengths fit the file exactly, the
//! checksum, then the slug, the feature count, the payload's decoding and the decoded model's
//! consistency — each failure its own [`ModelFileError`]. The checksum is verified before any
//! field is interpreted, so a corrupted byte reports as corruption rather than as, say, an
//! unknown algorithm. It detects damage, not tampering: model files are admin-supplied
//! artefacts, and the structural checks keep a hostile one from crashing the process.

use super::algorithm::Algorithm;
use super::features::FEATURE_COUNT;
use super::learners::Fitted;
use super::model::Model;

/// The first bytes of every model file.
pub const MAGIC: &[u8; 8] = b"HUDMODEL";
/// The format version this code writes and reads.
pub const FORMAT_VERSION: u16 = 1;
const CHECKSUM_LEN: usize = 32;

/// Why bytes are not a usable model file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelFileError {
    #[error("not a HUD model file (the file does not start with HUDMODEL)")]
    BadMagic,
    #[error(
        "model file format version {0} is not supported (this HUD reads version {FORMAT_VERSION})"
    )]
    UnsupportedVersion(u16),
    #[error("the model file is truncated")]
    Truncated,
    #[error("the model file has {0} unexpected bytes after its checksum")]
    TrailingBytes(usize),
    #[error("the model file is corrupted (checksum mismatch)")]
    BadChecksum,
    #[error("the model file names an unknown algorithm {0:?}")]
    UnknownAlgorithm(String),
    #[error("the model expects {0} features, but HUD's data have {FEATURE_COUNT}")]
    WrongFeatureCount(u16),
    #[error("the model data cannot be decoded: {0}")]
    UndecodablePayload(String),
    #[error("the model data are inconsistent and cannot be used")]
    InvalidModel,
}

/// The fields of a file whose layout and checksum were verified.
struct Parts<'a> {
    slug: &'a [u8],
    feature_count: u16,
    payload: &'a [u8],
}

/// Header + payload + checksum, from already verified parts.
pub(crate) fn assemble(slug: &str, feature_count: u16, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(17 + slug.len() + payload.len() + CHECKSUM_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    // Slugs are short constants; the payload of a 569-sample model is far below 4 GiB.
    out.push(slug.len() as u8);
    out.extend_from_slice(slug.as_bytes());
    out.extend_from_slice(&feature_count.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u32).to_le_bytes());
    out.extend_from_slice(payload);
    let checksum = blake3::hash(&out);
    out.extend_from_slice(checksum.as_bytes());
    out
}

/// A cursor that reports running off the end as truncation.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelFileError> {
        let end = self.at.checked_add(n).ok_or(ModelFileError::Truncated)?;
        let part = self
            .bytes
            .get(self.at..end)
            .ok_or(ModelFileError::Truncated)?;
        self.at = end;
        Ok(part)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelFileError> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }
}

fn split(bytes: &[u8]) -> Result<Parts<'_>, ModelFileError> {
    if bytes.len() < MAGIC.len() {
        // A prefix of the magic is a cut-off model file; anything else is not one at all.
        return Err(if MAGIC.starts_with(bytes) && !bytes.is_empty() {
            ModelFileError::Truncated
        } else {
            ModelFileError::BadMagic
        });
    }
    let mut r = Reader { bytes, at: 0 };
    if r.take(MAGIC.len())? != MAGIC {
        return Err(ModelFileError::BadMagic);
    }
    let version = u16::from_le_bytes(r.array()?);
    if version != FORMAT_VERSION {
        return Err(ModelFileError::UnsupportedVersion(version));
    }
    let [slug_len] = r.array()?;
    let slug = r.take(usize::from(slug_len))?;
    let feature_count = u16::from_le_bytes(r.array()?);
    let payload_len = u32::from_le_bytes(r.array()?);
    let payload = r.take(payload_len as usize)?;
    let hashed = r.at;
    let checksum = r.take(CHECKSUM_LEN)?;
    if r.at < bytes.len() {
        return Err(ModelFileError::TrailingBytes(bytes.len() - r.at));
    }
    if blake3::hash(&bytes[..hashed]) != *checksum {
        return Err(ModelFileError::BadChecksum);
    }
    Ok(Parts {
        slug,
        feature_count,
        payload,
    })
}

impl Model {
    /// Wrap a fitted learner, encoding it once.
    pub(crate) fn new(fitted: Fitted) -> Result<Self, postcard::Error> {
        let payload = fitted.encode()?;
        Ok(Model { fitted, payload })
    }

    /// The model file (see the module docs for the layout).
    pub fn to_bytes(&self) -> Vec<u8> {
        assemble(self.algorithm().slug(), FEATURE_COUNT as u16, &self.payload)
    }

    /// Read a model file, refusing anything that is not exactly a valid one.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelFileError> {
        let parts = split(bytes)?;
        let slug = String::from_utf8_lossy(parts.slug);
        let algorithm: Algorithm = slug
            .parse()
            .map_err(|_| ModelFileError::UnknownAlgorithm(slug.clone().into_owned()))?;
        if usize::from(parts.feature_count) != FEATURE_COUNT {
            return Err(ModelFileError::WrongFeatureCount(parts.feature_count));
        }
        let fitted = Fitted::decode(algorithm, parts.payload)
            .map_err(|e| ModelFileError::UndecodablePayload(e.to_string()))?;
        if !fitted.is_sane() {
            return Err(ModelFileError::InvalidModel);
        }
        let model = Model {
            fitted,
            payload: parts.payload.to_vec(),
        };
        // Last line of defence: a model must answer a valid sample with a probability.
        let reference = super::features::FEATURES.map(|f| (f.min + f.max) / 2.0);
        if !model.fitted.probability(&reference).is_finite() {
            return Err(ModelFileError::InvalidModel);
        }
        Ok(model)
    }

    /// The file's checksum (BLAKE3 of header and payload, the file's last 32 bytes) in hex: it
    /// identifies a model, e.g. in a database.
    pub fn checksum_hex(&self) -> String {
        let bytes = self.to_bytes();
        let stored = &bytes[bytes.len() - CHECKSUM_LEN..];
        stored.iter().map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::trained;
    use super::*;

    /// A valid file of a logistic regression (its payload ends with the intercept, an f64).
    fn bytes() -> Vec<u8> {
        trained(Algorithm::LogisticRegression).model.to_bytes()
    }

    /// Where the payload starts and ends in a file written for `slug`.
    fn payload_range(slug: &str, bytes: &[u8]) -> std::ops::Range<usize> {
        let start = 17 + slug.len();
        start..bytes.len() - CHECKSUM_LEN
    }

    #[test]
    fn layout_is_as_documented() {
        let bytes = bytes();
        assert_eq!(&bytes[..8], b"HUDMODEL");
        assert_eq!(&bytes[8..10], &[1, 0]);
        assert_eq!(bytes[10] as usize, "logistic-regression".len());
        assert_eq!(&bytes[11..30], b"logistic-regression");
        assert_eq!(&bytes[30..32], &[30, 0]);
        let model = Model::from_bytes(&bytes).expect("valid");
        let hex = model.checksum_hex();
        assert_eq!(hex.len(), 64);
        assert_eq!(
            hex,
            blake3::hash(&bytes[..bytes.len() - 32]).to_hex().as_str()
        );
    }

    #[test]
    fn any_flipped_byte_after_the_header_is_caught_by_the_checksum() {
        let bytes = bytes();
        let range = payload_range("logistic-regression", &bytes);
        for at in [
            range.start,
            range.start + range.len() / 2,
            range.end - 1,
            bytes.len() - 1,
        ] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x01;
            assert_eq!(
                Model::from_bytes(&bad).err(),
                Some(ModelFileError::BadChecksum),
                "byte {at}"
            );
        }
        // A flipped feature count or slug byte is also corruption, not a wrong field.
        for at in [12, 30] {
            let mut bad = bytes.clone();
            bad[at] ^= 0x01;
            assert_eq!(
                Model::from_bytes(&bad).err(),
                Some(ModelFileError::BadChecksum),
                "byte {at}"
            );
        }
    }

    #[test]
    fn wrong_magic_and_version() {
        let mut bad = bytes();
        bad[0] = b'X';
        assert_eq!(
            Model::from_bytes(&bad).err(),
            Some(ModelFileError::BadMagic)
        );
        assert_eq!(Model::from_bytes(b"").err(), Some(ModelFileError::BadMagic));
        assert_eq!(
            Model::from_bytes(b"{\"json\": 1}").err(),
            Some(ModelFileError::BadMagic)
        );
        let mut future = bytes();
        future[8] = 2;
        assert_eq!(
            Model::from_bytes(&future).err(),
            Some(ModelFileError::UnsupportedVersion(2))
        );
    }

    #[test]
    fn truncated_files_and_trailing_bytes() {
        let bytes = bytes();
        for len in [
            4,
            9,
            10,
            20,
            31,
            35,
            bytes.len() / 2,
            bytes.len() - 32,
            bytes.len() - 1,
        ] {
            assert_eq!(
                Model::from_bytes(&bytes[..len]).err(),
                Some(ModelFileError::Truncated),
                "cut at {len}"
            );
        }
        let mut longer = bytes.clone();
        longer.extend_from_slice(b"xyz");
        assert_eq!(
            Model::from_bytes(&longer).err(),
            Some(ModelFileError::TrailingBytes(3))
        );
    }

    #[test]
    fn wrong_feature_count_unknown_algorithm_and_bad_payload_with_valid_checksums() {
        let bytes = bytes();
        let payload = &bytes[payload_range("logistic-regression", &bytes)];
        assert_eq!(
            Model::from_bytes(&assemble("logistic-regression", 31, payload)).err(),
            Some(ModelFileError::WrongFeatureCount(31))
        );
        assert_eq!(
            Model::from_bytes(&assemble("naive-bayes", 30, payload)).err(),
            Some(ModelFileError::UnknownAlgorithm("naive-bayes".into()))
        );
        assert!(matches!(
            Model::from_bytes(&assemble(
                "logistic-regression",
                30,
                &payload[..payload.len() - 3]
            )),
            Err(ModelFileError::UndecodablePayload(_))
        ));
        assert!(matches!(
            Model::from_bytes(&assemble("gradient-boosting", 30, payload)),
            Err(ModelFileError::UndecodablePayload(_))
        ));
        // A well-formed payload with a NaN intercept decodes but cannot be used.
        let mut nan = payload.to_vec();
        let end = nan.len();
        nan[end - 8..].copy_from_slice(&f64::NAN.to_le_bytes());
        assert_eq!(
            Model::from_bytes(&assemble("logistic-regression", 30, &nan)).err(),
            Some(ModelFileError::InvalidModel)
        );
    }

    #[test]
    fn every_error_has_its_own_english_message() {
        let errors = [
            ModelFileError::BadMagic,
            ModelFileError::UnsupportedVersion(2),
            ModelFileError::Truncated,
            ModelFileError::TrailingBytes(3),
            ModelFileError::BadChecksum,
            ModelFileError::UnknownAlgorithm("x".into()),
            ModelFileError::WrongFeatureCount(31),
            ModelFileError::UndecodablePayload("eof".into()),
            ModelFileError::InvalidModel,
        ];
        let messages: std::collections::HashSet<String> =
            errors.iter().map(ToString::to_string).collect();
        assert_eq!(messages.len(), errors.len());
    }
}
