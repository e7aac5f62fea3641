/**
 * Who may call which management endpoint: {@link io.gantry.backend.access.RequiresRole} on a
 * resource method or class names the {@link io.gantry.pki.OperatorRole} it needs, and
 * {@link io.gantry.backend.access.RoleEnforcement} enforces it from the operator certificate,
 * refusing every management endpoint that declares none (default deny).
 */
package io.gantry.backend.access;
