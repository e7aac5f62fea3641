/** The management API under {@code /rest/v1}, for operator certificates only. */
package io.gantry.backend.mgmt;
