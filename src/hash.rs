//! Content ids: the same bytes give the same id on any machine.

use sha2::{Digest, Sha256};

/// First 16 hex digits (64 bits) of the SHA-256 of `bytes`.
pub fn doc_id(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    hex::encode(&digest[..8])
}

/// Full SHA-256 in hex, for rule-set fingerprints.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
