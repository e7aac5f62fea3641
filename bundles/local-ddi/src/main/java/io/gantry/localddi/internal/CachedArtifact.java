package io.gantry.localddi.internal;

/**
 * An artifact in the cache: named by its signed SHA-256, with the sha1 and md5 that hawkBit
 * clients require (compatibility only: the gateway's trust rests on the signed SHA-256).
 *
 * @param sha256 the digest the release signature covers (hex)
 * @param size the signed size in bytes
 * @param sha1 hex SHA-1 of the same bytes
 * @param md5 hex MD5 of the same bytes
 */
record CachedArtifact(String sha256, long size, String sha1, String md5) {
}
