package io.vcj.ttrpc;

import io.vcj.ttrpc.proto.KeyValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Request metadata: an ordered, immutable list of key/value pairs in which a key may repeat
 * (ttrpc sends a multi-valued key as several {@code KeyValue} entries).
 */
public final class Metadata {

    /** The key containerd puts its namespace under when calling a shim. */
    public static final String CONTAINERD_NAMESPACE = "containerd-namespace-ttrpc";

    public static final Metadata EMPTY = new Metadata(List.of());

    private final List<KeyValue> entries;

    private Metadata(List<KeyValue> entries) {
        this.entries = entries;
    }

    public static Metadata of(String key, String value) {
        return EMPTY.with(key, value);
    }

    public static Metadata fromWire(List<KeyValue> entries) {
        return entries.isEmpty() ? EMPTY : new Metadata(List.copyOf(entries));
    }

    /** A copy with one more value for {@code key}; existing values are kept. */
    public Metadata with(String key, String value) {
        List<KeyValue> copy = new ArrayList<>(entries.size() + 1);
        copy.addAll(entries);
        copy.add(KeyValue.newBuilder()
                .setKey(Objects.requireNonNull(key, "key"))
                .setValue(Objects.requireNonNull(value, "value"))
                .build());
        return new Metadata(Collections.unmodifiableList(copy));
    }

    /** All values of {@code key}, in the order they were sent. */
    public List<String> getAll(String key) {
        return entries.stream().filter(e -> e.getKey().equals(key)).map(KeyValue::getValue).toList();
    }

    /** The first value of {@code key}, or null. */
    public String get(String key) {
        for (KeyValue e : entries) {
            if (e.getKey().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public List<KeyValue> toWire() {
        return entries;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Metadata m && m.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("{");
        for (KeyValue e : entries) {
            b.append(b.length() > 1 ? ", " : "").append(e.getKey()).append('=').append(e.getValue());
        }
        return b.append('}').toString();
    }
}
