//! Layout fingerprints: a number that changes whenever a cached type's serialized shape does.
//!
//! postcard is not self-describing: bytes written for `struct { a: u32, b: u32 }` decode
//! "successfully" as `struct { b: u32, a: u32 }` or `(u64,)`. So every cached payload starts
//! with the fingerprint of the type that wrote it, and a reader whose type has another
//! fingerprint treats the item as a miss (load, and leave the other build's item alone) instead
//! of decoding it wrong — a struct change without a `HUD_CACHE_VERSION` bump is safe, and two
//! builds sharing memcached during a rolling deploy never read each other's layouts.
//!
//! The fingerprint is computed by driving the type's own `Deserialize` against a probe that
//! records what it asks for — struct and field names, enum variants, primitive kinds, options,
//! sequences, maps — the way postcard would be asked (not human-readable). Types that parse
//! strings (timestamps, time zones, language codes) are offered a few sample strings until one
//! parses; every variant of every enum is traced. It is computed once per type.
//!
//! Why not in the key: an invalidation is broadcast as a logical key and applied by every
//! process, also by one that has never read that type; with the layout in the value, it hits
//! the one shared item whatever layout wrote it.

use std::{
    any::TypeId,
    collections::{BTreeSet, HashMap},
    fmt::{self, Write as _},
    sync::{LazyLock, RwLock},
};

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, IntoDeserializer, MapAccess, SeqAccess,
    VariantAccess, Visitor,
};

/// Strings offered, in order, to a type that parses what it reads.
const SAMPLE_STRINGS: &[&str] = &["", "1970-01-01T00:00:00Z", "1970-01-01", "UTC", "en", "1"];
/// Nesting deeper than this is recorded as such (recursive types).
const MAX_DEPTH: usize = 24;
/// Probe runs per type, at most.
const MAX_RUNS: usize = 512;

static KNOWN: LazyLock<RwLock<HashMap<TypeId, u32>>> = LazyLock::new(Default::default);

/// The layout fingerprint of `V` (see the module docs).
pub fn fingerprint<V: DeserializeOwned + 'static>() -> u32 {
    let id = TypeId::of::<V>();
    if let Some(&known) = KNOWN
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .get(&id)
    {
        return known;
    }
    let computed = compute::<V>();
    KNOWN
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .insert(id, computed);
    computed
}

/// The text a fingerprint is the hash of: every traced shape of `V`, one per line.
pub fn describe<V: DeserializeOwned>() -> String {
    let mut shapes = BTreeSet::new();
    let mut pending = vec![Vec::new()];
    let mut runs = 0;
    while let Some(prefix) = pending.pop() {
        let Some(run) = search::<V>(prefix, &mut runs) else {
            continue;
        };
        // Trace the other variants of every enum this shape went through.
        for (point, options) in run.points.iter().enumerate() {
            if let Choice::Variant(count) = options
                && run.choices[point] == 0
            {
                for variant in 1..*count {
                    let mut prefix = run.choices[..point].to_vec();
                    prefix.push(variant);
                    pending.push(prefix);
                }
            }
        }
        shapes.insert(run.trace);
    }
    shapes.into_iter().collect::<Vec<_>>().join("\n")
}

fn compute<V: DeserializeOwned>() -> u32 {
    let hash = blake3::hash(describe::<V>().as_bytes());
    u32::from_le_bytes(hash.as_bytes()[..4].try_into().expect("4 bytes"))
}

#[derive(Clone, Copy)]
enum Choice {
    Text,
    Variant(usize),
}

struct Run {
    trace: String,
    choices: Vec<usize>,
    points: Vec<Choice>,
}

/// One complete trace starting with the choices in `prefix`: on a parse failure at the last
/// choice point, the next sample string is tried. A type that cannot be completed is traced up
/// to where it failed (still deterministic).
fn search<V: DeserializeOwned>(mut choices: Vec<usize>, runs: &mut usize) -> Option<Run> {
    loop {
        if *runs >= MAX_RUNS {
            return None;
        }
        *runs += 1;
        let mut probe = Probe {
            trace: String::new(),
            choices: &choices,
            points: Vec::new(),
            depth: 0,
        };
        let outcome = V::deserialize(&mut probe);
        let Probe { trace, points, .. } = probe;
        let last = points.len().checked_sub(1);
        let retry = match (&outcome, last) {
            (Err(_), Some(last)) if matches!(points[last], Choice::Text) => {
                let next = choices.get(last).copied().unwrap_or(0) + 1;
                (next < SAMPLE_STRINGS.len()).then_some((last, next))
            }
            _ => None,
        };
        match retry {
            Some((last, next)) => {
                choices.resize(last, 0);
                choices.push(next);
            }
            None => {
                let trace = match outcome {
                    Ok(_) => trace,
                    Err(e) => format!("{trace} !{e}"),
                };
                choices.resize(points.len(), 0);
                return Some(Run {
                    trace,
                    choices,
                    points,
                });
            }
        }
    }
}

#[derive(Debug)]
struct ProbeError(String);

impl fmt::Display for ProbeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ProbeError {}

impl de::Error for ProbeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        ProbeError(msg.to_string())
    }
}

type Result<T> = std::result::Result<T, ProbeError>;

struct Probe<'c> {
    trace: String,
    choices: &'c [usize],
    points: Vec<Choice>,
    depth: usize,
}

impl Probe<'_> {
    fn note(&mut self, what: impl fmt::Display) {
        let _ = write!(self.trace, "{what} ");
    }

    fn choose(&mut self, kind: Choice) -> usize {
        let choice = self.choices.get(self.points.len()).copied().unwrap_or(0);
        self.points.push(kind);
        choice
    }

    fn nested<T>(&mut self, body: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            self.note("…");
            return Err(ProbeError("recursive type".into()));
        }
        self.depth += 1;
        let out = body(self);
        self.depth -= 1;
        self.note(")");
        out
    }
}

macro_rules! primitive {
    ($($method:ident => $visit:ident($($value:expr)?)),* $(,)?) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
            self.note(stringify!($method));
            visitor.$visit($($value)?)
        }
    )*};
}

impl<'de> de::Deserializer<'de> for &mut Probe<'_> {
    type Error = ProbeError;

    primitive! {
        deserialize_bool => visit_bool(false),
        deserialize_i8 => visit_i8(1),
        deserialize_i16 => visit_i16(1),
        deserialize_i32 => visit_i32(1),
        deserialize_i64 => visit_i64(1),
        deserialize_i128 => visit_i128(1),
        deserialize_u8 => visit_u8(1),
        deserialize_u16 => visit_u16(1),
        deserialize_u32 => visit_u32(1),
        deserialize_u64 => visit_u64(1),
        deserialize_u128 => visit_u128(1),
        deserialize_f32 => visit_f32(1.0),
        deserialize_f64 => visit_f64(1.0),
        deserialize_char => visit_char('a'),
        deserialize_unit => visit_unit(),
    }

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value> {
        self.note("any");
        Err(ProbeError("self-describing type".into()))
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.note("str");
        let sample = SAMPLE_STRINGS[self.choose(Choice::Text).min(SAMPLE_STRINGS.len() - 1)];
        visitor.visit_str(sample)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.note("bytes");
        visitor.visit_bytes(&[0; 16])
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.note("option(");
        self.nested(|p| visitor.visit_some(p))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.note(format_args!("unit {name}"));
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.note(format_args!("newtype {name}("));
        self.nested(|p| visitor.visit_newtype_struct(p))
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.note("seq(");
        self.nested(|p| visitor.visit_seq(Elements { probe: p, left: 1 }))
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        self.note(format_args!("tuple{len}("));
        self.nested(|p| {
            visitor.visit_seq(Elements {
                probe: p,
                left: len,
            })
        })
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        len: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.note(format_args!("tuple {name}{len}("));
        self.nested(|p| {
            visitor.visit_seq(Elements {
                probe: p,
                left: len,
            })
        })
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.note("map(");
        self.nested(|p| visitor.visit_map(Entries { probe: p, left: 1 }))
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        self.note(format_args!("struct {name}{{{}}}(", fields.join(",")));
        self.nested(|p| {
            visitor.visit_seq(Elements {
                probe: p,
                left: fields.len(),
            })
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        let variant = self.choose(Choice::Variant(variants.len()));
        self.note(format_args!(
            "enum {name}[{}]#{variant}(",
            variants.join(",")
        ));
        self.nested(|p| visitor.visit_enum(Variant { probe: p, variant }))
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.note("identifier");
        visitor.visit_u32(0)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value> {
        self.note("ignored");
        visitor.visit_unit()
    }

    fn is_human_readable(&self) -> bool {
        // As postcard: the shape traced is the one written to the cache.
        false
    }
}

struct Elements<'p, 'c> {
    probe: &'p mut Probe<'c>,
    left: usize,
}

impl<'de> SeqAccess<'de> for Elements<'_, '_> {
    type Error = ProbeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.probe).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.left)
    }
}

struct Entries<'p, 'c> {
    probe: &'p mut Probe<'c>,
    left: usize,
}

impl<'de> MapAccess<'de> for Entries<'_, '_> {
    type Error = ProbeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.left == 0 {
            return Ok(None);
        }
        self.left -= 1;
        seed.deserialize(&mut *self.probe).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value> {
        seed.deserialize(&mut *self.probe)
    }
}

struct Variant<'p, 'c> {
    probe: &'p mut Probe<'c>,
    variant: usize,
}

impl<'de, 'p, 'c> EnumAccess<'de> for Variant<'p, 'c> {
    type Error = ProbeError;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self)> {
        let index = u32::try_from(self.variant).unwrap_or(u32::MAX);
        let value = seed.deserialize(IntoDeserializer::<ProbeError>::into_deserializer(index))?;
        Ok((value, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'_, '_> {
    type Error = ProbeError;

    fn unit_variant(self) -> Result<()> {
        self.probe.note("unit");
        Ok(())
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value> {
        seed.deserialize(&mut *self.probe)
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value> {
        de::Deserializer::deserialize_tuple(&mut *self.probe, len, visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        de::Deserializer::deserialize_struct(&mut *self.probe, "", fields, visitor)
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Deserialize)]
    #[expect(dead_code, reason = "only the layout is inspected")]
    struct V1 {
        id: i64,
        name: String,
        at: chrono::DateTime<chrono::Utc>,
        tz: Option<chrono_tz::Tz>,
        kind: Kind,
    }

    #[derive(Deserialize)]
    #[expect(dead_code, reason = "only the layout is inspected")]
    enum Kind {
        Plain,
        Counted(u32),
        Named { label: String },
    }

    #[derive(Deserialize)]
    #[expect(dead_code, reason = "only the layout is inspected")]
    struct Renamed {
        id: i64,
        title: String,
        at: chrono::DateTime<chrono::Utc>,
        tz: Option<chrono_tz::Tz>,
        kind: Kind,
    }

    #[derive(Deserialize)]
    #[expect(dead_code, reason = "only the layout is inspected")]
    enum KindWide {
        Plain,
        Counted(u64),
        Named { label: String },
    }

    #[derive(Deserialize)]
    #[expect(dead_code, reason = "only the layout is inspected")]
    struct V1Wide {
        id: i64,
        name: String,
        at: chrono::DateTime<chrono::Utc>,
        tz: Option<chrono_tz::Tz>,
        kind: KindWide,
    }

    #[test]
    fn types_that_parse_strings_and_every_enum_variant_are_traced() {
        let text = describe::<V1>();
        assert!(!text.contains('!'), "complete trace: {text}");
        assert_eq!(text.lines().count(), 3, "one shape per variant: {text}");
        assert!(
            text.contains("deserialize_u32") && text.contains("label"),
            "{text}"
        );
    }

    #[test]
    fn a_renamed_field_or_a_wider_field_in_any_variant_changes_the_fingerprint() {
        let v1 = fingerprint::<V1>();
        assert_eq!(v1, fingerprint::<V1>(), "stable");
        assert_ne!(v1, fingerprint::<Renamed>());
        assert_ne!(v1, fingerprint::<V1Wide>());
        assert_ne!(fingerprint::<(u32, u32)>(), fingerprint::<u64>());
        assert_ne!(
            fingerprint::<Vec<u8>>(),
            fingerprint::<serde_bytes::ByteBuf>()
        );
    }

    #[test]
    fn recursive_types_terminate() {
        #[derive(Deserialize)]
        #[expect(dead_code, reason = "only the layout is inspected")]
        struct Tree(Vec<Tree>);
        let text = describe::<Tree>();
        assert!(text.contains("recursive"), "{text}");
    }
}
