package io.gantry.renewal.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Where the gateway renews its certificate, and when it starts, escalates and hurries. */
@ObjectClassDefinition(name = "Gantry certificate renewal",
        description = "Renews the device certificate over EST (RFC 7030 simplereenroll) before it expires")
@interface RenewalConfig {

    @AttributeDefinition(description = "Backend base URL, https only; EST lives under /.well-known/est/")
    String backendUrl();

    @AttributeDefinition(description = "Tenant in the device API path (status reports through configData)")
    String tenant() default "DEFAULT";

    @AttributeDefinition(description = "Start renewing this many days before notAfter", min = "2")
    int renewBeforeDays() default 90;

    @AttributeDefinition(description = "Report to the backend and alert when fewer days are left", min = "1")
    int escalateBeforeDays() default 30;

    @AttributeDefinition(description = "Emergency mode (fixed short interval, operator notified) when fewer days are left", min = "1")
    int emergencyBeforeDays() default 7;

    @AttributeDefinition(description = "Backoff after the first failure, doubled per failure, full jitter", min = "1")
    int baseBackoffMinutes() default 15;

    @AttributeDefinition(description = "Upper bound of the backoff", min = "1")
    int maxBackoffHours() default 24;

    @AttributeDefinition(description = "Interval between attempts in emergency mode", min = "1")
    int emergencyIntervalMinutes() default 10;
}
