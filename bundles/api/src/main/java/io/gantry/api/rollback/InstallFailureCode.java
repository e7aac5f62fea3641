package io.gantry.api.rollback;

import io.gantry.api.failure.FailureCode;

/** Stable codes of a failed install of a verified gateway bundle; {@link InstallFailedException} carries one. */
public enum InstallFailureCode implements FailureCode {
    INSTALL_FAILED("The verified bundle could not be installed (unreadable or unfit jar, slot files, framework refusal); the previous version runs."),
    HEALTH_CHECK_FAILED("The new bundle did not become healthy in time; the previous version was restored."),
    REVERT_FAILED("The install failed and so did restoring the previous version: the gateway needs a person."),
    UPDATE_INTERRUPTED("The gateway stopped during the bundle-set switch (crash, power loss, kill); the previous set was restored at the next start, before any updated bundle ran."),
    BOOT_TRIALS_EXHAUSTED("The gateway restarted more often than allowed while a new bundle set was on trial; the previous set was restored at start."),
    UPDATE_IN_PROGRESS("Another bundle-set transaction is still running; one at a time. Nothing was touched.");

    private final String meaning;

    InstallFailureCode(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
