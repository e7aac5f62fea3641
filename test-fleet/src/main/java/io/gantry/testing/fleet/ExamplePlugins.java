package io.gantry.testing.fleet;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Vendor plugin bundles the gateway never had, built by {@link PluginBuild} against the Gantry API
 * alone: a well-behaved one for a new device type, and one whose plugins misbehave (one throws, one
 * hangs deaf to interrupts, one leaves a thread running), for isolation tests. Each plugin serves
 * one device type and has one device.
 */
public final class ExamplePlugins {
    /** The well-behaved plugin's bundle. */
    public static final String VALVE_BUNDLE = "com.example.gantry.valve";
    /** Its device type. */
    public static final String VALVE_TYPE = "example-valve";
    /** Its one device. */
    public static final String VALVE_DEVICE = "valve-1";
    /** The misbehaving plugins' bundle. */
    public static final String ROGUE_BUNDLE = "com.example.gantry.rogue";
    /** Device type of the plugin whose update throws. */
    public static final String THROWING_TYPE = "rogue-throws";
    /** Device type of the plugin whose device list never answers, interrupted or not, until its bundle stops. */
    public static final String HANGING_TYPE = "rogue-hangs";
    /** Device type of the plugin whose update succeeds but leaves a thread running until its bundle stops. */
    public static final String LEAKING_TYPE = "rogue-leaks";
    /** The name of the thread the leaking plugin leaves. */
    public static final String LEAKED_THREAD = "rogue-leaked-worker";
    /** What the throwing plugin throws. */
    public static final String THROWN = "rogue plugin fails on purpose";

    private ExamplePlugins() {
    }

    /**
     * The valve plugin: an immediate component that flashes the payload of a verified release into
     * its bundle's data area ({@code flash/<device>/image}, the version beside it) and reports the
     * previous version ("0.0.0" before the first).
     */
    public static Path valve(String version, Path outDir) throws IOException {
        String pkg = VALVE_BUNDLE + ".internal";
        return PluginBuild.named(VALVE_BUNDLE).version(version).source(pkg + ".ValveUpdater", """
                package %s;

                import io.gantry.api.device.DeviceFailureCode;
                import io.gantry.api.device.DeviceUpdateException;
                import io.gantry.api.device.DeviceUpdateRequest;
                import io.gantry.api.device.DeviceUpdateResult;
                import io.gantry.api.device.DownstreamDeviceUpdater;
                import java.io.IOException;
                import java.io.InputStream;
                import java.nio.file.Files;
                import java.nio.file.Path;
                import java.nio.file.StandardCopyOption;
                import java.util.List;
                import org.osgi.framework.BundleContext;
                import org.osgi.service.component.annotations.Activate;
                import org.osgi.service.component.annotations.Component;

                /** Example vendor plugin: one simulated valve controller, its flash in the bundle's data area. */
                @Component(immediate = true)
                public final class ValveUpdater implements DownstreamDeviceUpdater {
                    private final Path flash;

                    @Activate
                    public ValveUpdater(BundleContext context) {
                        this.flash = context.getDataFile("flash").toPath();
                    }

                    @Override
                    public String deviceType() {
                        return "%s";
                    }

                    @Override
                    public List<String> deviceIds() {
                        return List.of("%s");
                    }

                    @Override
                    public String firmwareVersion(String deviceId) throws DeviceUpdateException {
                        try {
                            Path version = flash.resolve(deviceId).resolve("version");
                            return Files.exists(version) ? Files.readString(version) : "0.0.0";
                        } catch (IOException e) {
                            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_IO, "valve " + deviceId + ": " + e);
                        }
                    }

                    @Override
                    public DeviceUpdateResult update(DeviceUpdateRequest request) throws DeviceUpdateException {
                        String deviceId = request.deviceId();
                        String previous = firmwareVersion(deviceId);
                        try {
                            Path device = Files.createDirectories(flash.resolve(deviceId));
                            try (InputStream in = request.images().get(0).open()) {
                                Files.copy(in, device.resolve("image"), StandardCopyOption.REPLACE_EXISTING);
                            }
                            Files.writeString(device.resolve("version"), request.metadata().version());
                            return new DeviceUpdateResult(deviceId, previous, request.metadata().version(), "A");
                        } catch (IOException e) {
                            throw new DeviceUpdateException(DeviceFailureCode.DEVICE_IO, "valve " + deviceId + ": " + e);
                        }
                    }
                }
                """.formatted(pkg, VALVE_TYPE, VALVE_DEVICE)).build(outDir);
    }

    /** The misbehaving plugins' bundle: three components, one per {@code rogue-*} device type. */
    public static Path rogue(String version, Path outDir) throws IOException {
        String pkg = ROGUE_BUNDLE + ".internal";
        return PluginBuild.named(ROGUE_BUNDLE).version(version)
                .source(pkg + ".Rogue", """
                        package %s;

                        import io.gantry.api.device.DeviceUpdateRequest;
                        import io.gantry.api.device.DeviceUpdateResult;
                        import java.util.concurrent.CountDownLatch;

                        /** What the rogue plugins share: a latch that opens when the bundle stops. */
                        final class Rogue {
                            static final CountDownLatch STOPPED = new CountDownLatch(1);

                            private Rogue() {
                            }

                            /** Waits until the bundle stops, ignoring every interrupt. */
                            static void deafUntilStopped() {
                                while (STOPPED.getCount() > 0) {
                                    try {
                                        STOPPED.await();
                                    } catch (InterruptedException ignored) {
                                        // deaf on purpose: a plugin that does not honour interrupts
                                    }
                                }
                            }

                            static DeviceUpdateResult done(DeviceUpdateRequest request) {
                                return new DeviceUpdateResult(request.deviceId(), "0.0.0", request.metadata().version(), "A");
                            }
                        }
                        """.formatted(pkg))
                .source(pkg + ".Stopper", """
                        package %s;

                        import org.osgi.service.component.annotations.Component;
                        import org.osgi.service.component.annotations.Deactivate;

                        /** Opens the latch when the bundle stops, releasing the hung and leaked threads. */
                        @Component(service = Stopper.class, immediate = true)
                        public final class Stopper {
                            @Deactivate
                            void stop() {
                                Rogue.STOPPED.countDown();
                            }
                        }
                        """.formatted(pkg))
                .source(pkg + ".Throwing", plugin(pkg, "Throwing", THROWING_TYPE, "List.of(\"rogue-1\")",
                        "throw new IllegalStateException(\"" + THROWN + "\");"))
                .source(pkg + ".Hanging", plugin(pkg, "Hanging", HANGING_TYPE,
                        "hang()", "return Rogue.done(request);")
                        .replace("    @Override\n    public List<String> deviceIds",
                                "    private static List<String> hang() {\n        Rogue.deafUntilStopped();\n"
                                        + "        return List.of();\n    }\n\n    @Override\n    public List<String> deviceIds"))
                .source(pkg + ".Leaking", plugin(pkg, "Leaking", LEAKING_TYPE, "List.of(\"rogue-1\")",
                        "Thread t = new Thread(Rogue::deafUntilStopped, \"" + LEAKED_THREAD + "\");\n"
                                + "        t.setDaemon(true);\n        t.start();\n        return Rogue.done(request);"))
                .build(outDir);
    }

    private static String plugin(String pkg, String name, String type, String devices, String updateBody) {
        return """
                package %s;

                import io.gantry.api.device.DeviceUpdateRequest;
                import io.gantry.api.device.DeviceUpdateResult;
                import io.gantry.api.device.DownstreamDeviceUpdater;
                import java.util.List;
                import org.osgi.service.component.annotations.Component;

                /** A misbehaving plugin for device type %s. */
                @Component(immediate = true)
                public final class %s implements DownstreamDeviceUpdater {
                    @Override
                    public String deviceType() {
                        return "%s";
                    }

                    @Override
                    public List<String> deviceIds() {
                        return %s;
                    }

                    @Override
                    public String firmwareVersion(String deviceId) {
                        return "0.0.0";
                    }

                    @Override
                    public DeviceUpdateResult update(DeviceUpdateRequest request) {
                        %s
                    }
                }
                """.formatted(pkg, type, name, type, devices, updateBody);
    }
}
