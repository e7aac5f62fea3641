package io.gantry.counter.pkcs11.internal;

import org.xipki.pkcs11.wrapper.Logger;
import org.xipki.pkcs11.wrapper.StaticLogger;

/**
 * Routes the PKCS#11 wrapper's log lines (which otherwise go to standard output, info level
 * included) to {@link System.Logger}: warnings and errors only, never attribute values.
 */
final class WrapperLog implements Logger {
    private static final System.Logger LOG = System.getLogger("io.gantry.counter.pkcs11.wrapper");

    private WrapperLog() {
    }

    static void install() {
        StaticLogger.setLogger(new WrapperLog());
    }

    @Override
    public void info(String format, Object... args) {
    }

    @Override
    public void debug(String format, Object... args) {
    }

    @Override
    public void trace(String format, Object... args) {
    }

    @Override
    public void warn(String format, Object... args) {
        LOG.log(System.Logger.Level.WARNING, () -> format(format, args));
    }

    @Override
    public void error(String format, Object... args) {
        LOG.log(System.Logger.Level.ERROR, () -> format(format, args));
    }

    @Override
    public boolean isDebugEnabled() {
        return false;
    }

    @Override
    public boolean isInfoEnabled() {
        return false;
    }

    @Override
    public boolean isWarnEnabled() {
        return true;
    }

    @Override
    public boolean isTraceEnabled() {
        return false;
    }

    /** The wrapper's slf4j-style "{}" placeholders, filled in order. */
    private static String format(String format, Object... args) {
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (Object arg : args) {
            int at = format.indexOf("{}", from);
            if (at < 0) {
                break;
            }
            out.append(format, from, at).append(arg);
            from = at + 2;
        }
        return out.append(format.substring(from)).toString();
    }
}
