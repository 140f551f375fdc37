package io.vcj.kata.guest.json;

/**
 * Appends JSON tokens to a string. Hand-rolled rather than Jackson because the guest agent
 * writes only a few small documents (config.json, process.json, resources) and each class the
 * JVM loads costs start-up time under TCG. Commas are inserted automatically.
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder(1024);
    private boolean needsComma;

    public JsonWriter beginObject() {
        separate();
        out.append('{');
        needsComma = false;
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        needsComma = true;
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        out.append('[');
        needsComma = false;
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        needsComma = true;
        return this;
    }

    public JsonWriter name(String name) {
        separate();
        quote(name);
        out.append(':');
        needsComma = false;
        return this;
    }

    public JsonWriter value(String value) {
        separate();
        quote(value);
        needsComma = true;
        return this;
    }

    /** Writes a number or boolean literal as given, e.g. an unsigned 64-bit value already formatted. */
    public JsonWriter literal(String literal) {
        separate();
        out.append(literal);
        needsComma = true;
        return this;
    }

    public JsonWriter value(long value) {
        return literal(Long.toString(value));
    }

    public JsonWriter value(boolean value) {
        return literal(Boolean.toString(value));
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        if (needsComma) {
            out.append(',');
        }
    }

    private void quote(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
