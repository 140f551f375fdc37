package io.vcj.shim.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reads of one table of a {@link TomlDocument}. Every error names the file, the line and
 * the key; {@link #rejectUnknownKeys} then catches typos, which TOML would otherwise ignore.
 */
final class TableReader {

    private final TomlDocument document;
    private final String table;
    private final Set<String> read = new HashSet<>();

    TableReader(TomlDocument document, String table) {
        this.document = document;
        this.table = table;
    }

    String string(String key, String fallback) {
        return optional(key, String.class).orElse(fallback);
    }

    boolean bool(String key, boolean fallback) {
        return optional(key, Boolean.class).orElse(fallback);
    }

    int integer(String key, int fallback, int min, int max) {
        Optional<Long> value = optional(key, Long.class);
        if (value.isEmpty()) {
            return fallback;
        }
        long n = value.get();
        if (n < min || n > max) {
            throw error(key, "must be between " + min + " and " + max + ", got " + n);
        }
        return (int) n;
    }

    /** A string one of {@code allowed}. */
    String choice(String key, String fallback, List<String> allowed) {
        String value = string(key, fallback);
        if (!allowed.contains(value)) {
            throw error(key, "must be one of " + String.join(", ", allowed) + ", got \"" + value + "\"");
        }
        return value;
    }

    /** Words from a space-separated string (as Kata writes kernel_params) or an array of strings. */
    List<String> words(String key) {
        Optional<TomlValue> value = document.get(table, key);
        read.add(key);
        if (value.isEmpty()) {
            return List.of();
        }
        return switch (value.get().value()) {
            case String s -> s.isBlank() ? List.of() : List.of(s.strip().split("\\s+"));
            case List<?> items -> {
                List<String> words = new ArrayList<>();
                for (Object item : items) {
                    if (!(item instanceof String word)) {
                        throw error(key, "must be a string or an array of strings, got an array holding " + item);
                    }
                    words.add(word);
                }
                yield List.copyOf(words);
            }
            default -> throw error(key, "must be a string or an array of strings, got " + value.get().typeName());
        };
    }

    /** An absolute path that exists when set; empty if unset or "". */
    Optional<Path> existingPath(String key) {
        String value = string(key, "");
        return value.isEmpty() ? Optional.empty() : Optional.of(existing(key, value));
    }

    /** An absolute path that exists, {@code fallback} (which must exist too) when unset. */
    Path existingPath(String key, String fallback) {
        return existing(key, string(key, fallback));
    }

    /** An absolute path, need not exist yet. */
    Path absolutePath(String key, String fallback) {
        Path path = Path.of(string(key, fallback));
        if (!path.isAbsolute()) {
            throw error(key, "must be an absolute path, got \"" + path + "\"");
        }
        return path;
    }

    private Path existing(String key, String value) {
        Path path = Path.of(value);
        if (!path.isAbsolute()) {
            throw error(key, "must be an absolute path, got \"" + value + "\"");
        }
        if (!Files.exists(path)) {
            throw error(key, value + " does not exist" + (document.get(table, key).isEmpty() ? " (the default)" : ""));
        }
        return path;
    }

    void rejectUnknownKeys() {
        for (var entry : document.table(table).entrySet()) {
            if (!read.contains(entry.getKey())) {
                throw ConfigException.at(document.file(), entry.getValue().line(),
                        "unknown key " + TomlDocument.qualified(table, entry.getKey()));
            }
        }
    }

    private <T> Optional<T> optional(String key, Class<T> type) {
        read.add(key);
        Optional<TomlValue> value = document.get(table, key);
        if (value.isPresent() && !type.isInstance(value.get().value())) {
            throw error(key, "must be " + typeName(type) + ", got "
                    + value.get().typeName() + " " + value.get());
        }
        return value.map(v -> type.cast(v.value()));
    }

    private static String typeName(Class<?> type) {
        return type == String.class ? "a string" : type == Long.class ? "an integer" : "a boolean";
    }

    /** Points at the key's line, or at the table header when the key is missing (a default is wrong). */
    ConfigException error(String key, String message) {
        int line = document.get(table, key).map(TomlValue::line).orElse(document.headerLine(table));
        return ConfigException.at(document.file(), line, TomlDocument.qualified(table, key) + ": " + message);
    }
}
