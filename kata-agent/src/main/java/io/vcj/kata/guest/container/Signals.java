package io.vcj.kata.guest.container;

import io.vcj.kata.guest.sys.Libc;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * kill(2) through the FFM API: the JDK itself can only send SIGTERM and SIGKILL, and runc can
 * only signal a container's init, not an exec'd process. Initialised on first use so the agent's
 * start-up does not pay for the linker.
 */
final class Signals {
    private static final class Kill {
        static final MethodHandle KILL = Libc.function("kill",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
    }

    private Signals() {
    }

    /**
     * Whether {@code pid} has a handler for {@code signal} (the SigCgt mask of /proc/pid/status).
     * An unreadable status means the process is gone, and a gone process catches nothing.
     */
    static boolean isCaught(long pid, int signal) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("SigCgt:")) {
                    return new BigInteger(line.substring("SigCgt:".length()).strip(), 16).testBit(signal - 1);
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    /** Sends {@code signal} to {@code pid}; false if the process no longer exists or refused it. */
    static boolean send(long pid, int signal) {
        try {
            return (int) Kill.KILL.invokeExact((int) pid, signal) == 0;
        } catch (Throwable e) {
            throw new IllegalStateException("kill(" + pid + ", " + signal + ")", e);
        }
    }
}
