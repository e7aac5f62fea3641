package io.gantry.demo;

import io.gantry.pki.PkiDirectory;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The demo's {@link SimulatedDevice}s, each with its own device certificate from the demo PKI; closing stops them all. */
final class DemoFleet implements AutoCloseable {
    private final List<SimulatedDevice> devices;
    private final List<String> ids;

    private DemoFleet(List<SimulatedDevice> devices, List<String> ids) {
        this.devices = devices;
        this.ids = ids;
    }

    /** Starts one simulated device per id (each has polled once when this returns). */
    static DemoFleet start(URI backend, PkiDirectory pki, List<String> ids, Consumer<String> log) throws Exception {
        List<SimulatedDevice> started = new ArrayList<>();
        try {
            for (String id : ids) {
                started.add(new SimulatedDevice(id, backend, pki.loadDevice(id), pki.rootCaPem(), log).start());
            }
        } catch (Exception e) {
            for (SimulatedDevice d : started) {
                d.close();
            }
            throw e;
        }
        return new DemoFleet(started, List.copyOf(ids));
    }

    /** @return {@code gateway} and the simulated devices, in controller-id order as a rollout takes them */
    List<String> ids(String gateway) {
        return Stream.concat(Stream.of(gateway), ids.stream()).sorted().toList();
    }

    @Override
    public void close() throws InterruptedException {
        for (SimulatedDevice d : devices) {
            d.close();
        }
    }
}
