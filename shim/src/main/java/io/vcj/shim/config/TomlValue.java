package io.vcj.shim.config;

/**
 * One value of a TOML key, with the line it was written on so errors can point at it.
 *
 * @param value a {@code String}, {@code Long}, {@code Boolean} or {@code List} of those
 */
public record TomlValue(Object value, int line) {

    /** How the value is written in TOML terms, for error messages. */
    public String typeName() {
        return switch (value) {
            case String s -> "a string";
            case Long l -> "an integer";
            case Boolean b -> "a boolean";
            default -> "an array";
        };
    }

    @Override
    public String toString() {
        return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
    }
}
