package io.vcj.shim.config;

import java.nio.file.Path;

/** A vcj config file that cannot be used; the message names the file and, where known, line and key. */
public final class ConfigException extends RuntimeException {

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Line 0 means "no line": the problem is a default, or the file as a whole. */
    static ConfigException at(Path file, int line, String message) {
        return new ConfigException(file + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
