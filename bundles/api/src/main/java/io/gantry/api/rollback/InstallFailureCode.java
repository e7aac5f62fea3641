package io.gantry.api.rollback;

import io.gantry.api.failure.FailureCode;

/** Stable codes of a failed install of a verified gateway bundle; {@link InstallFailedException} carries one. */
public enum InstallFailureCode implements FailureCode {
    INSTALL_FAILED("The verified bundle could not be installed (unreadable or unfit jar, slot files, framework refusal); the previous version runs."),
    HEALTH_CHECK_FAILED("The new bundle did not become healthy in time; the previous version was restored."),
    REVERT_FAILED("The install failed and so did restoring the previous version: the gateway needs a person.");

    private final String meaning;

    InstallFailureCode(String meaning) {
        this.meaning = meaning;
    }

    @Override
    public String meaning() {
        return meaning;
    }
}
