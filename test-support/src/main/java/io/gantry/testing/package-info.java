/**
 * The one copy of each helper that the tests of every module share. Test scope only: nothing in
 * a gateway bundle, the server or the operator tool depends on it.
 */
package io.gantry.testing;
