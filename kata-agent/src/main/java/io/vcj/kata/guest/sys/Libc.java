package io.vcj.kata.guest.sys;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * libc functions the JDK has no API for, as FFM downcall handles. Callers keep their handles in
 * holder classes, so the linker's cost is paid on first use, not at the agent's start.
 */
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();

    private static final class Ioctl {
        static final MethodHandle HANDLE = function("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
                Linker.Option.firstVariadicArg(2));
    }

    private Libc() {
    }

    public static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, options);
    }

    /** {@code int ioctl(int fd, unsigned long request, void *argument)}; NULL for requests without one. */
    public static MethodHandle ioctl() {
        return Ioctl.HANDLE;
    }
}
