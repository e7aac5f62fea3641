package io.gantry.cli.incident;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an incident step that changes state (revokes, uploads, starts rollouts): once the journal
 * holds a {@code done} entry for it, running it again does nothing unless {@code --force}.
 * Read-only and idempotent steps go without it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@interface RunsOnce {
}
