/**
 * The server's own failure codes (security events, EST refusals, request errors, database start failures), the one table
 * of HTTP statuses for every code the server answers with ({@link io.gantry.backend.failure.FailureStatus}),
 * and the catalogue of all code families ({@link io.gantry.backend.failure.FailureCodes}). Depends
 * on no other server package, so every feature package can use it.
 */
package io.gantry.backend.failure;
