package io.gantry.backend.access;

import io.gantry.pki.OperatorRole;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The operator role a management endpoint needs. On a resource method it applies to that method;
 * on a resource class to every method without its own. A {@code /rest/...} resource method with
 * neither is refused to everyone (403 {@code ROLE_NOT_DECLARED}), so forgetting this annotation
 * closes an endpoint rather than opening it. {@link OperatorRole#VIEWER} admits every operator
 * certificate that carries any role.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface RequiresRole {
    /** @return the role the caller's certificate must grant */
    OperatorRole value();
}
