//! `--shard I/N`: which repositories one of N audit processes takes. A repository belongs to
//! shard `hash(id) % N` with a hash of its id alone, so adding repositories moves no other
//! one, and every process agrees without talking to the others.

use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u64,
    pub count: u64,
}

impl Shard {
    /// Shard `index` of `count`, checked.
    pub fn new(index: u64, count: u64) -> Result<Shard, String> {
        if count == 0 {
            return Err("the number of shards must be at least 1".into());
        }
        if index >= count {
            return Err(format!(
                "shard {index} does not exist: shards of {count} are numbered 0 to {}",
                count - 1
            ));
        }
        Ok(Shard { index, count })
    }

    /// `I/N`, as `--shard` takes it.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let number = |part: &str| {
            part.trim()
                .parse::<u64>()
                .map_err(|_| format!("`{text}` is not I/N (e.g. 0/4)"))
        };
        let (index, count) = text
            .split_once('/')
            .ok_or_else(|| format!("`{text}` is not I/N (e.g. 0/4)"))?;
        Shard::new(number(index)?, number(count)?)
    }

    pub fn contains(&self, id: &str) -> bool {
        stable_hash(id) % self.count == self.index
    }
}

/// The first eight bytes of the id's SHA-256: the same on every machine and every version.
fn stable_hash(id: &str) -> u64 {
    let digest = Sha256::digest(id.as_bytes());
    u64::from_be_bytes(digest[..8].try_into().expect("a SHA-256 has 32 bytes"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_in_exactly_one_shard() {
        let ids: Vec<String> = (0..200).map(|i| format!("team-{i}/service")).collect();
        let shards: Vec<Shard> = (0..3).map(|i| Shard::new(i, 3).unwrap()).collect();
        let mut sizes = [0; 3];
        for id in &ids {
            let holding: Vec<usize> = (0..3).filter(|&i| shards[i].contains(id)).collect();
            assert_eq!(holding.len(), 1, "{id}");
            sizes[holding[0]] += 1;
        }
        // A fair hash: no shard is empty or holds nearly everything.
        assert!(sizes.iter().all(|&n| n > 40), "{sizes:?}");
    }

    #[test]
    fn the_hash_is_fixed() {
        // The first 8 bytes of SHA-256("payments"), computed elsewhere: shards never move.
        assert_eq!(stable_hash("payments"), 0xdf38_4ae9_7c77_ad30);
        assert!(Shard::parse("0/2").unwrap().contains("payments"));
        assert!(!Shard::parse("1/2").unwrap().contains("payments"));
    }

    #[test]
    fn bad_shards_are_refused() {
        assert_eq!(Shard::parse("0/4"), Ok(Shard { index: 0, count: 4 }));
        assert_eq!(
            Shard::parse("4/4").unwrap_err(),
            "shard 4 does not exist: shards of 4 are numbered 0 to 3"
        );
        assert_eq!(
            Shard::parse("1/0").unwrap_err(),
            "the number of shards must be at least 1"
        );
        assert_eq!(
            Shard::parse("a/2").unwrap_err(),
            "`a/2` is not I/N (e.g. 0/4)"
        );
        assert_eq!(Shard::parse("2").unwrap_err(), "`2` is not I/N (e.g. 0/4)");
    }
}
