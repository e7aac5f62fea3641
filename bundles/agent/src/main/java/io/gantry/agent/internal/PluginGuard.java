package io.gantry.agent.internal;

import io.gantry.api.agent.UpdateFailedException;
import io.gantry.api.agent.UpdateFailureCode;
import io.gantry.api.device.DeviceUpdateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;

/**
 * Calls into a vendor plugin so that a plugin that throws, hangs or leaves threads behind cannot
 * stop the gateway or the other plugins: each call runs on its own thread, in a thread group of its
 * own, and is waited for at most its time. A throw becomes {@code PLUGIN_FAILED}; a call past its
 * time is interrupted and becomes {@code PLUGIN_TIMEOUT}, and while it is still stuck the same
 * plugin gets no new call (one stuck thread per plugin, not one per attempt). Threads the plugin
 * started and left running are named in the result, for the update report.
 *
 * <p>The memory of a stuck call is the call's thread itself, found by its name
 * ({@link #CALL_THREAD_PREFIX}, the plugin's device type and bundle id), not a field of this
 * object: a guard of a successor agent (the agent bundle or one it depends on replaced) sees a call
 * its predecessor abandoned, whichever class loader either came from, for as long as that thread
 * lives. A plugin that renames its own calling thread escapes this check, not its timeout.
 *
 * <p>Written here rather than with an ExecutorService: a pool would share threads between plugins
 * and could not tell which threads a call left behind; the thread group of a call can.
 */
final class PluginGuard {
    /** Name prefix of the thread running one plugin call; followed by the plugin key, {@code ": "} and the call. */
    static final String CALL_THREAD_PREFIX = "gantry-plugin-call ";

    /** What a call returned, and the threads it left running. */
    record Outcome<T>(T value, List<String> leftThreads) {
    }

    /**
     * @return the key of a plugin: its device type and the id of the bundle it comes from
     *     ({@code none} outside a framework), stable across revisions of the agent
     */
    static String key(String deviceType, Object plugin) {
        Bundle b = FrameworkUtil.getBundle(plugin.getClass());
        return deviceType + " bundle " + (b == null ? "none" : Long.toString(b.getBundleId()));
    }

    /** @return a live thread of an earlier call into the plugin, by any guard in this JVM */
    static Optional<Thread> earlierCall(String plugin) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] all = new Thread[root.activeCount() + 16];
        int n = root.enumerate(all, true);
        String prefix = CALL_THREAD_PREFIX + plugin + ": ";
        for (int i = 0; i < n; i++) {
            if (all[i].isAlive() && all[i].getName().startsWith(prefix)) {
                return Optional.of(all[i]);
            }
        }
        return Optional.empty();
    }

    /**
     * @param plugin the plugin's key ({@link #key}), naming its thread group and call thread
     * @throws DeviceUpdateException what the plugin threw as a device verdict
     * @throws UpdateFailedException PLUGIN_FAILED or PLUGIN_TIMEOUT
     */
    <T> Outcome<T> call(String plugin, String what, Duration timeout, Callable<T> work)
            throws DeviceUpdateException, UpdateFailedException {
        // One caller thread at a time per guard: a live call thread here is one an earlier call (of
        // this guard or of a predecessor agent's) gave up on.
        Optional<Thread> earlier = earlierCall(plugin);
        if (earlier.isPresent()) {
            throw new UpdateFailedException(UpdateFailureCode.PLUGIN_TIMEOUT, "plugin " + plugin
                    + " is still stuck in an earlier call (" + earlier.get().getName() + "): not called again", null);
        }
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
                // Renamed before the waiter hears of it: an ended call is never taken for a stuck one.
                Thread.currentThread().setName("gantry-plugin-ended " + plugin + ": " + what);
                done.countDown();
            }
        }, CALL_THREAD_PREFIX + plugin + ": " + what);
        caller.setDaemon(true);
        caller.start();
        try {
            if (!done.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                caller.interrupt();
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
