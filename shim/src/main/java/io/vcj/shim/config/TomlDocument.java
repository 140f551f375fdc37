package io.vcj.shim.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed TOML file: tables by dotted name ({@code ""} for keys before the first header), each
 * with its keys in file order. Remembers the file so callers can name it in errors.
 */
public final class TomlDocument {

    private final Path file;
    private final Map<String, Map<String, TomlValue>> tables = new LinkedHashMap<>();
    private final Map<String, Integer> headerLines = new LinkedHashMap<>();

    TomlDocument(Path file) {
        this.file = file;
        tables.put("", new LinkedHashMap<>());
        headerLines.put("", 0);
    }

    public Path file() {
        return file;
    }

    /** The keys of table {@code name}; empty if the file has no such table. */
    public Map<String, TomlValue> table(String name) {
        return Collections.unmodifiableMap(tables.getOrDefault(name, Map.of()));
    }

    public Optional<TomlValue> get(String table, String key) {
        return Optional.ofNullable(table(table).get(key));
    }

    /** Table names in file order, including {@code ""} for the top level. */
    public Iterable<String> tableNames() {
        return Collections.unmodifiableSet(tables.keySet());
    }

    /** The line of the table's {@code [header]}, 0 for the top level. */
    public int headerLine(String table) {
        return headerLines.getOrDefault(table, 0);
    }

    void addTable(String name, int line) {
        if (tables.containsKey(name)) {
            throw ConfigException.at(file, line, "table [" + name + "] is defined twice (first on line "
                    + headerLines.get(name) + ")");
        }
        tables.put(name, new LinkedHashMap<>());
        headerLines.put(name, line);
    }

    void put(String table, String key, TomlValue value) {
        TomlValue earlier = tables.get(table).putIfAbsent(key, value);
        if (earlier != null) {
            throw ConfigException.at(file, value.line(), qualified(table, key) + " is set twice (first on line "
                    + earlier.line() + ")");
        }
    }

    /** {@code [table] key}, how errors name a key. */
    static String qualified(String table, String key) {
        return table.isEmpty() ? key : "[" + table + "] " + key;
    }
}
