/**
 * Rollouts (docs/rollouts.md): a release sent to the targets a filter selects, in groups (a canary,
 * then cumulative percentages), each started when the one before reached its success threshold,
 * paused with an operator alert when failures cross the error threshold, rate-limited, inside
 * device-local maintenance windows, holding devices whose certificate expires soon. Every step is
 * a compare-and-set on a state column, so two backend nodes on one database never do one twice.
 */
package io.gantry.backend.rollout;
