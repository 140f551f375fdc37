package io.vcj.shim;

/**
 * log4j's SimpleLogger on stderr: log4j-core would load a thousand classes at every start, and a
 * shim starts for every pod. For the long-lived shim, stderr is the bundle's {@code log} FIFO,
 * which containerd copies into its own log. virtc uses it too, so that its stdout carries only what
 * it prints (a container's output, or JSON for scripts). Must run before the first logger is made.
 */
public final class ShimLogging {

    private ShimLogging() {
    }

    public static void toStderr(String level) {
        System.setProperty("log4j.provider", "org.apache.logging.log4j.simple.internal.SimpleProvider");
        System.setProperty("org.apache.logging.log4j.simplelog.level", level);
        System.setProperty("org.apache.logging.log4j.simplelog.showdatetime", "true");
        System.setProperty("org.apache.logging.log4j.simplelog.showShortLogname", "true");
        System.setProperty("org.apache.logging.log4j.simplelog.logFile", "system.err");
    }
}
