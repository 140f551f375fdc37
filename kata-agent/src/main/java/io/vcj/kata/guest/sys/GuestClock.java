package io.vcj.kata.guest.sys;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The guest's wall clock, set with clock_settime(2) (the JDK cannot set it): a VM resumed from a
 * template wakes with the time the template was saved at. Linked on first use, off the start-up path.
 */
public final class GuestClock {
    private static final int CLOCK_REALTIME = 0;

    private static final class Native {
        static final MethodHandle CLOCK_SETTIME = Libc.function("clock_settime",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }

    private GuestClock() {
    }

    public static void set(long epochSeconds, long micros) throws IOException {
        int result;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timespec = arena.allocate(2 * Long.BYTES);
            timespec.set(ValueLayout.JAVA_LONG, 0, epochSeconds);
            timespec.set(ValueLayout.JAVA_LONG, Long.BYTES, micros * 1000);
            result = (int) Native.CLOCK_SETTIME.invokeExact(CLOCK_REALTIME, timespec);
        } catch (Throwable t) {
            throw new IllegalStateException("calling clock_settime", t);
        }
        if (result != 0) {
            throw new IOException("clock_settime(CLOCK_REALTIME, " + epochSeconds + "." + micros + ") failed");
        }
    }
}
