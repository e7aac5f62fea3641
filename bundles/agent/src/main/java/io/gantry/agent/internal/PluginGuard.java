package io.gantry.agent.internal;

import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.agent.UpdateFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Calls into a vendor plugin so that a plugin that throws, hangs or leaves threads behind cannot
 * stop the gateway or the other plugins: each call runs on its own thread, in a thread group of its
 * own, and is waited for at most its time. A throw becomes {@code PLUGIN_FAILED}; a call past its
 * time is interrupted and becomes {@code PLUGIN_TIMEOUT}, and while it is still stuck the same
 * plugin gets no new call (one stuck thread per plugin, not one per attempt). Threads the plugin
 * started and left running are named in the result, for the update report.
 *
 * <p>Written here rather than with an ExecutorService: a pool would share threads between plugins
 * and could not tell which threads a call left behind; the thread group of a call can.
 */
final class PluginGuard {
    private final Map<String, Thread> stuck = new ConcurrentHashMap<>();

    /** What a call returned, and the threads it left running. */
    record Outcome<T>(T value, List<String> leftThreads) {
    }

    /**
     * @param plugin the plugin's device type, naming its thread group
     * @throws DeviceUpdateException what the plugin threw as a device verdict
     * @throws UpdateFailedException PLUGIN_FAILED or PLUGIN_TIMEOUT
     */
    <T> Outcome<T> call(String plugin, String what, Duration timeout, Callable<T> work)
            throws DeviceUpdateException, UpdateFailedException {
        Thread earlier = stuck.get(plugin);
        if (earlier != null && earlier.isAlive()) {
            throw new UpdateFailedException(UpdateFailureCode.PLUGIN_TIMEOUT, "plugin " + plugin
                    + " is still stuck in an earlier call (" + earlier.getName() + "): not called again", null);
        }
        stuck.remove(plugin);
        ThreadGroup group = new ThreadGroup("gantry-plugin-" + plugin);
        AtomicReference<T> value = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread caller = new Thread(group, () -> {
            try {
                value.set(work.call());
            } catch (Throwable t) {
                thrown.set(t);
            } finally {
                done.countDown();
            }
        }, "gantry-plugin-" + plugin + "-" + what);
        caller.setDaemon(true);
        caller.start();
        try {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                caller.interrupt();
                stuck.put(plugin, caller);
                throw new UpdateFailedException(UpdateFailureCode.PLUGIN_TIMEOUT, "plugin " + plugin + " did not answer "
                        + what + " within " + timeout.toMillis() + " ms", null);
            }
        } catch (InterruptedException e) {
            caller.interrupt();
            Thread.currentThread().interrupt();
            throw new UpdateFailedException(UpdateFailureCode.PLUGIN_TIMEOUT, "interrupted while waiting for plugin " + plugin, e);
        }
        Throwable t = thrown.get();
        if (t instanceof DeviceUpdateException d) {
            throw d;
        }
        if (t != null) {
            throw new UpdateFailedException(UpdateFailureCode.PLUGIN_FAILED, "plugin " + plugin + " threw on " + what + ": " + t, null);
        }
        return new Outcome<>(value.get(), leftThreads(group, caller));
    }

    private static List<String> leftThreads(ThreadGroup group, Thread caller) {
        Thread[] all = new Thread[group.activeCount() + 4];
        int n = group.enumerate(all, true);
        List<String> left = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (all[i] != caller && all[i].isAlive()) {
                left.add(all[i].getName());
            }
        }
        return left;
    }
}
