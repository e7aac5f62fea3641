/**
 * The one copy of each helper that the tests of every module share: SoftHSM2 test tokens
 * ({@link io.gantry.testing.SoftHsmTestTokens}), a clock moved by hand ({@link io.gantry.testing.TestClock}),
 * a software test PKI ({@link io.gantry.testing.TestPki}), component configurations as SCR builds them
 * ({@link io.gantry.testing.TestConfigs}), and releases, genuine or crafted, on disk
 * ({@link io.gantry.testing.TestReleases}) and in memory ({@link io.gantry.testing.InMemoryReleases}).
 * Test scope only: nothing in a gateway bundle, the server or the operator tool depends on it.
 *
 * <p>The integration tests compile these sources into their pax-exam probe bundle as well, so the
 * release helpers run inside the gateway's framework: they may use the API, the release library and
 * the JDK there; BouncyCastle only in {@code TestPki}, which the in-framework tests do not use.
 */
package io.gantry.testing;
