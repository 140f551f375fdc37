package io.vcj.virtc;

/**
 * log4j's SimpleLogger on stderr, so that stdout carries only what virtc prints (a container's
 * output, or JSON for scripts). Must run before the first logger is made.
 */
final class VirtcLogging {

    private VirtcLogging() {
    }

    static void toStderr(String level) {
        System.setProperty("log4j.provider", "org.apache.logging.log4j.simple.internal.SimpleProvider");
        System.setProperty("org.apache.logging.log4j.simplelog.level", level);
        System.setProperty("org.apache.logging.log4j.simplelog.showdatetime", "true");
        System.setProperty("org.apache.logging.log4j.simplelog.showShortLogname", "true");
        System.setProperty("org.apache.logging.log4j.simplelog.logFile", "system.err");
    }
}
