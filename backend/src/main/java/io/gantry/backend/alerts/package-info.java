/** Operator alerts: security events that need a person, posted to a webhook (docs/backend-api.md). */
package io.gantry.backend.alerts;
