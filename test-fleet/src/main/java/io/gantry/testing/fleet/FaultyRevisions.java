package io.gantry.testing.fleet;

/**
 * Revisions of gateway bundles that ship a fault, for health-gate tests: {@link BundleRebuild}s of
 * the real sources with one class edited (set the version, then build). An edit that no longer
 * matches the source fails the build, so a changed source never yields a silently healthy revision.
 */
public final class FaultyRevisions {
    private static final String VERIFIER = "io.gantry.verifier";
    private static final String VERIFIER_COMPONENT = "io.gantry.verifier.internal.SignedReleaseVerifier";

    private FaultyRevisions() {
    }

    /**
     * The verifier whose component fails activation: its constructor throws
     * {@code IllegalStateException(message)} before it reads the trust root. Its service is
     * registered (the component is satisfied), every attempt to get it fails, and SCR reports the
     * configuration as FAILED_ACTIVATION with {@code message} in its failure.
     */
    public static BundleRebuild verifierFailingActivation(String message) {
        String literal = "\"" + message.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
        return BundleRebuild.of(VERIFIER).edit(VERIFIER_COMPONENT, src -> {
            String withRefuse = replace(src, "implements ReleaseVerifier, BackendTlsPolicySource {",
                    "implements ReleaseVerifier, BackendTlsPolicySource {\n"
                            + "    private static String refuse(String path) {\n"
                            + "        throw new IllegalStateException(" + literal + ");\n"
                            + "    }\n");
            return replace(withRefuse, "Path.of(config.trustRootPath())", "Path.of(refuse(config.trustRootPath()))");
        });
    }

    /**
     * The verifier whose component never becomes satisfied: its counter reference targets
     * {@code (gantry.absent=true)}, a service nobody registers, so no ReleaseVerifier is registered.
     */
    public static BundleRebuild verifierNeverSatisfied() {
        return BundleRebuild.of(VERIFIER).edit(VERIFIER_COMPONENT,
                src -> replace(src, "target = FILE_COUNTERS)", "target = \"(gantry.absent=true)\")"));
    }

    private static String replace(String source, String from, String to) {
        if (!source.contains(from)) {
            throw new IllegalStateException(VERIFIER_COMPONENT + " no longer contains \"" + from + "\": update this edit");
        }
        return source.replace(from, to);
    }
}
