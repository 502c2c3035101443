//! Arrays of fixed-size records stored as one run of bytes in the binary caches, so that
//! loading millions of them is a copy and a loop, not a decoder call per field.
//!
//! Used with `#[serde(with = "packed")]` on a `Vec` of a `Fixed` type. A run whose length is
//! not a whole number of records is a decoding error (the cache is then rebuilt). The
//! largest runs are instead sections of their own in the snapshot ([`write_records`]), read
//! straight into their vectors without a copy of the section in between.

use std::fmt;
use std::io::Write;
use std::marker::PhantomData;

use serde::de::{Error, Visitor};
use serde::{Deserializer, Serializer};

/// A record of `SIZE` bytes, little-endian.
pub trait Fixed: Sized {
    const SIZE: usize;
    fn put(&self, out: &mut Vec<u8>);
    /// `bytes` is exactly `SIZE` long.
    fn get(bytes: &[u8]) -> Self;

    /// Appends the records of `bytes`, a whole number of them, to `out`.
    fn extend_from(out: &mut Vec<Self>, bytes: &[u8]) {
        out.extend(bytes.chunks_exact(Self::SIZE).map(Self::get));
    }
}

macro_rules! fixed_number {
    ($($number:ty),*) => {$(
        impl Fixed for $number {
            const SIZE: usize = size_of::<$number>();
            fn put(&self, out: &mut Vec<u8>) {
                out.extend_from_slice(&self.to_le_bytes());
            }
            fn get(bytes: &[u8]) -> Self {
                let mut array = [0; size_of::<$number>()];
                array.copy_from_slice(bytes);
                <$number>::from_le_bytes(array)
            }
        }
    )*};
}

fixed_number!(u16, u32, u64);

impl Fixed for u8 {
    const SIZE: usize = 1;
    fn put(&self, out: &mut Vec<u8>) {
        out.push(*self);
    }
    fn get(bytes: &[u8]) -> Self {
        bytes[0]
    }
    fn extend_from(out: &mut Vec<u8>, bytes: &[u8]) {
        out.extend_from_slice(bytes);
    }
}

/// Bytes encoded or decoded at a time when records stream to or from a file.
pub const STREAM_BYTES: usize = 1 << 20;

/// Writes `lists` to `out` as one run of records, a buffer at a time.
pub fn write_records<'a, T: Fixed + 'a>(
    out: &mut dyn Write,
    lists: impl IntoIterator<Item = &'a [T]>,
) -> std::io::Result<()> {
    let mut buffer = Vec::with_capacity(STREAM_BYTES);
    for list in lists {
        for record in list {
            record.put(&mut buffer);
            if buffer.len() >= STREAM_BYTES {
                out.write_all(&buffer)?;
                buffer.clear();
            }
        }
    }
    out.write_all(&buffer)
}

pub fn serialize<T: Fixed, S: Serializer>(items: &[T], serializer: S) -> Result<S::Ok, S::Error> {
    let mut bytes = Vec::with_capacity(items.len() * T::SIZE);
    for item in items {
        item.put(&mut bytes);
    }
    serializer.serialize_bytes(&bytes)
}

pub fn deserialize<'de, T: Fixed, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Vec<T>, D::Error> {
    deserializer.deserialize_bytes(Records(PhantomData))
}

struct Records<T>(PhantomData<T>);

impl<T: Fixed> Visitor<'_> for Records<T> {
    type Value = Vec<T>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        write!(formatter, "bytes holding records of {} bytes", T::SIZE)
    }

    fn visit_bytes<E: Error>(self, bytes: &[u8]) -> Result<Vec<T>, E> {
        if !bytes.len().is_multiple_of(T::SIZE) {
            return Err(E::invalid_length(bytes.len(), &self));
        }
        let mut records = Vec::with_capacity(bytes.len() / T::SIZE);
        T::extend_from(&mut records, bytes);
        Ok(records)
    }
}

#[cfg(test)]
mod tests {
    use serde::{Deserialize, Serialize};

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Columns {
        #[serde(with = "super")]
        small: Vec<u16>,
        #[serde(with = "super")]
        large: Vec<u64>,
        after: String,
    }

    #[test]
    fn records_round_trip_and_a_short_run_is_an_error() {
        let columns = Columns {
            small: vec![0, 1, u16::MAX],
            large: vec![u64::MAX, 7],
            after: "after".to_string(),
        };
        let bytes = postcard::to_stdvec(&columns).expect("encodes");
        assert_eq!(
            postcard::from_bytes::<Columns>(&bytes).expect("decodes"),
            columns
        );

        // The first run's length prefix says 5 bytes: not a whole number of u16 records.
        let mut short = bytes.clone();
        short[0] = 5;
        assert!(postcard::from_bytes::<Columns>(&short).is_err());
    }
}
