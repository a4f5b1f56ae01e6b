//! How cached values are stored: a compact binary serde encoding (postcard), LZ4-compressed
//! above a threshold, with the soft expiry (for stale-while-revalidate) in a small header.
//! Items larger than memcached's item limit are split into chunks by the memcached tier, with
//! a manifest (generation, count, length, BLAKE3 checksum) in the main item: a partial or
//! mixed-generation set fails the checksum or misses a chunk, and reads as a miss.

use serde::{Serialize, de::DeserializeOwned};

use super::layout;

const MAGIC: u8 = 0xCA;
const FORMAT: u8 = 1;
const COMPRESSED: u8 = 1;
const CHUNKED: u8 = 2;
const HEADER: usize = 3 + 8;

/// A decoded item: the serialized value and when it turns stale.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Unix time in milliseconds after which the value is stale (served while refreshed).
    pub soft_expires_at_ms: i64,
    /// The postcard-encoded value.
    pub payload: Vec<u8>,
}

impl Item {
    /// An item holding `payload` until `soft_expires_at_ms`.
    pub fn new(soft_expires_at_ms: i64, payload: Vec<u8>) -> Item {
        Item {
            soft_expires_at_ms,
            payload,
        }
    }

    /// The value; `None` when the payload does not fit the type (e.g. an old layout). Each
    /// read decodes: a hit's value is small (a session record, the current user), and its
    /// postcard decode costs about what a clone of a kept copy would.
    pub fn value<V: DeserializeOwned + 'static>(&self) -> Option<V> {
        from_payload(&self.payload)
    }

    /// What the item occupies in the local tier: its payload.
    pub fn weight(&self) -> usize {
        self.payload.len()
    }
}

/// A cached item as the owner of bytes sent on (a response body).
struct ItemBytes(std::sync::Arc<Item>);

impl AsRef<[u8]> for ItemBytes {
    fn as_ref(&self) -> &[u8] {
        &self.0.payload
    }
}

/// `part`, a slice of `item`'s payload (e.g. a field borrowed by a zero-copy decode), as
/// `Bytes` that share the item instead of copying it.
pub fn shared_slice(item: &std::sync::Arc<Item>, part: &[u8]) -> bytes::Bytes {
    let start = (part.as_ptr() as usize).saturating_sub(item.payload.as_ptr() as usize);
    let end = (start + part.len()).min(item.payload.len());
    bytes::Bytes::from_owner(ItemBytes(item.clone())).slice(start.min(end)..end)
}

/// Serialize a value: its type's layout fingerprint (`layout.rs`), then its postcard bytes.
pub fn to_payload<V: Serialize + DeserializeOwned + 'static>(
    value: &V,
) -> Result<Vec<u8>, postcard::Error> {
    let mut out = layout::fingerprint::<V>().to_le_bytes().to_vec();
    postcard::to_io(value, &mut out)?;
    Ok(out)
}

/// The postcard bytes of a payload written for type `V`; `None` when another layout wrote it.
pub fn payload_body<V: DeserializeOwned + 'static>(payload: &[u8]) -> Option<&[u8]> {
    let (fingerprint, body) = payload.split_first_chunk::<4>()?;
    (u32::from_le_bytes(*fingerprint) == layout::fingerprint::<V>()).then_some(body)
}

/// Deserialize a value; `None` when the bytes do not fit the type (another layout wrote them,
/// or they are corrupt).
pub fn from_payload<V: DeserializeOwned + 'static>(payload: &[u8]) -> Option<V> {
    postcard::from_bytes(payload_body::<V>(payload)?).ok()
}

/// Encode an item, compressing the payload when larger than `compress_above` and smaller after.
pub fn encode(item: &Item, compress_above: usize) -> Vec<u8> {
    let compressed = (item.payload.len() > compress_above)
        .then(|| lz4_flex::compress_prepend_size(&item.payload))
        .filter(|c| c.len() < item.payload.len());
    let (flags, body) = match &compressed {
        Some(c) => (COMPRESSED, c.as_slice()),
        None => (0, item.payload.as_slice()),
    };
    let mut out = Vec::with_capacity(HEADER + body.len());
    out.extend_from_slice(&[MAGIC, FORMAT, flags]);
    out.extend_from_slice(&item.soft_expires_at_ms.to_le_bytes());
    out.extend_from_slice(body);
    out
}

/// Decode an item; `None` for anything that is not a well-formed item.
pub fn decode(bytes: &[u8]) -> Option<Item> {
    if bytes.len() < HEADER || bytes[0] != MAGIC || bytes[1] != FORMAT || bytes[2] & CHUNKED != 0 {
        return None;
    }
    let soft_expires_at_ms = i64::from_le_bytes(bytes[3..11].try_into().ok()?);
    let body = &bytes[HEADER..];
    let payload = if bytes[2] & COMPRESSED != 0 {
        lz4_flex::decompress_size_prepended(body).ok()?
    } else {
        body.to_vec()
    };
    Some(Item::new(soft_expires_at_ms, payload))
}

/// The main item of a value split into chunks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// Random per write: chunk keys include it, so writes never mix.
    pub generation: u64,
    /// Number of chunks.
    pub chunks: u32,
    /// Total length of the encoded item.
    pub length: u32,
    /// BLAKE3 of the encoded item.
    pub checksum: [u8; 32],
}

impl Manifest {
    /// Describe `encoded` split into chunks of `chunk_size`.
    pub fn for_item(encoded: &[u8], chunk_size: usize, generation: u64) -> Manifest {
        Manifest {
            generation,
            chunks: encoded.len().div_ceil(chunk_size) as u32,
            length: encoded.len() as u32,
            checksum: *blake3::hash(encoded).as_bytes(),
        }
    }

    /// Encode as a memcached value.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![MAGIC, FORMAT, CHUNKED];
        out.extend_from_slice(&self.generation.to_le_bytes());
        out.extend_from_slice(&self.chunks.to_le_bytes());
        out.extend_from_slice(&self.length.to_le_bytes());
        out.extend_from_slice(&self.checksum);
        out
    }

    /// Decode; `None` when `bytes` is not a manifest.
    pub fn decode(bytes: &[u8]) -> Option<Manifest> {
        if bytes.len() != 3 + 8 + 4 + 4 + 32 || bytes[..3] != [MAGIC, FORMAT, CHUNKED] {
            return None;
        }
        Some(Manifest {
            generation: u64::from_le_bytes(bytes[3..11].try_into().ok()?),
            chunks: u32::from_le_bytes(bytes[11..15].try_into().ok()?),
            length: u32::from_le_bytes(bytes[15..19].try_into().ok()?),
            checksum: bytes[19..51].try_into().ok()?,
        })
    }

    /// Reassemble chunks (in order); `None` unless they add up to exactly the described item.
    pub fn reassemble(&self, chunks: &[Option<Vec<u8>>]) -> Option<Vec<u8>> {
        if chunks.len() != self.chunks as usize {
            return None;
        }
        let mut out = Vec::with_capacity(self.length as usize);
        for chunk in chunks {
            out.extend_from_slice(chunk.as_deref()?);
        }
        (out.len() == self.length as usize && *blake3::hash(&out).as_bytes() == self.checksum)
            .then_some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_with_and_without_compression() {
        for payload in [vec![], b"short".to_vec(), vec![7u8; 100_000]] {
            let item = Item::new(1_700_000_000_123, payload);
            let encoded = encode(&item, 1024);
            if item.payload.len() > 1024 {
                assert!(encoded.len() < item.payload.len() / 10, "compressed");
            }
            assert_eq!(decode(&encoded), Some(item));
        }
        assert_eq!(decode(b"garbage"), None);
        assert_eq!(
            decode(&[MAGIC, FORMAT, COMPRESSED, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2]),
            None
        );
    }

    #[test]
    fn values_are_read_only_as_the_layout_that_wrote_them() {
        let item = Item::new(1, to_payload(&("user".to_owned(), 7u32)).unwrap());
        assert_eq!(item.value::<(String, u32)>(), Some(("user".to_owned(), 7)));
        // Another layout is refused, though postcard alone would decode these bytes as it.
        assert_eq!(item.value::<(String, u8)>(), None);
        assert_eq!(
            postcard::from_bytes::<(String, u8)>(&item.payload[4..]).ok(),
            Some(("user".to_owned(), 7))
        );
        assert_eq!(item.weight(), item.payload.len());
        assert_eq!(Item::new(1, b"\xff".to_vec()).value::<String>(), None);
    }

    #[test]
    fn chunks_reassemble_only_when_complete_and_consistent() {
        let encoded: Vec<u8> = (0..10_000u32).flat_map(u32::to_le_bytes).collect();
        let manifest = Manifest::for_item(&encoded, 4096, 42);
        assert_eq!(Manifest::decode(&manifest.encode()), Some(manifest.clone()));
        let chunks: Vec<Option<Vec<u8>>> = encoded.chunks(4096).map(|c| Some(c.to_vec())).collect();
        assert_eq!(
            manifest.reassemble(&chunks).as_deref(),
            Some(encoded.as_slice())
        );
        let mut missing = chunks.clone();
        missing[3] = None;
        assert_eq!(manifest.reassemble(&missing), None);
        let mut mixed = chunks.clone();
        mixed[2] = Some(vec![0; 4096]);
        assert_eq!(manifest.reassemble(&mixed), None);
    }
}
