package io.vcj.shim.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of TOML a Kata-style configuration.toml uses: {@code [dotted.table]} headers,
 * {@code key = value} with basic and literal strings, integers, booleans and arrays of those,
 * and comments. Anything else (floats, dates, inline tables, multi-line strings, arrays of
 * tables, dotted keys) is rejected with the line it is on, never silently misread.
 */
public final class TomlParser {

    private final Path file;
    private final String text;
    private int pos;
    private int line = 1;

    private TomlParser(Path file, String text) {
        this.file = file;
        this.text = text;
    }

    public static TomlDocument parse(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException("vcj config " + file + " does not exist");
        } catch (CharacterCodingException e) {
            throw new ConfigException("vcj config " + file + " is not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException("cannot read vcj config " + file + ": " + e.getMessage(), e);
        }
        return parse(file, text);
    }

    /** Parses {@code text}; {@code file} is only used to name it in errors. */
    public static TomlDocument parse(Path file, String text) {
        return new TomlParser(file, text).document();
    }

    private TomlDocument document() {
        TomlDocument document = new TomlDocument(file);
        String table = "";
        while (true) {
            skipBlank();
            if (atEnd()) {
                return document;
            }
            if (peek() == '[') {
                table = header();
                document.addTable(table, line);
            } else {
                int keyLine = line;
                String key = key();
                skipSpaces();
                expect('=', "'=' after key " + key);
                skipSpaces();
                document.put(table, key, new TomlValue(value(), keyLine));
            }
            endOfLine();
        }
    }

    private String header() {
        pos++;
        if (!atEnd() && peek() == '[') {
            throw error("arrays of tables ([[...]]) are not supported");
        }
        List<String> parts = new ArrayList<>();
        do {
            skipSpaces();
            parts.add(simpleKey());
            skipSpaces();
        } while (consume('.'));
        expect(']', "']' to close the table header");
        return String.join(".", parts);
    }

    private String key() {
        String key = simpleKey();
        skipSpaces();
        if (!atEnd() && peek() == '.') {
            throw error("dotted keys are not supported; put " + key + ".… under a [table] header");
        }
        return key;
    }

    private String simpleKey() {
        if (atEnd()) {
            throw error("expected a key, found the end of the file");
        }
        char c = peek();
        if (c == '"') {
            return basicString();
        }
        if (c == '\'') {
            return literalString();
        }
        int start = pos;
        while (!atEnd() && isBareKeyChar(peek())) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a key, found " + describe(c));
        }
        return text.substring(start, pos);
    }

    private Object value() {
        if (atEnd() || peek() == '\n') {
            throw error("missing value after '='");
        }
        char c = peek();
        return switch (c) {
            case '"' -> basicString();
            case '\'' -> literalString();
            case '[' -> array();
            case '{' -> throw error("inline tables are not supported");
            default -> scalarWord();
        };
    }

    private List<Object> array() {
        pos++;
        List<Object> items = new ArrayList<>();
        while (true) {
            skipBlank();
            if (consume(']')) {
                return List.copyOf(items);
            }
            Object item = value();
            if (item instanceof List) {
                throw error("nested arrays are not supported");
            }
            items.add(item);
            skipBlank();
            if (!consume(',')) {
                skipBlank();
                expect(']', "',' or ']' in the array");
                return List.copyOf(items);
            }
        }
    }

    /** true, false or a decimal integer; the other TOML scalars are named so the user knows. */
    private Object scalarWord() {
        int start = pos;
        while (!atEnd() && !isSpace(peek()) && peek() != '\n' && peek() != ',' && peek() != ']' && peek() != '#') {
            pos++;
        }
        String word = text.substring(start, pos);
        if (word.equals("true") || word.equals("false")) {
            return Boolean.valueOf(word);
        }
        if (word.matches("[+-]?(0|[1-9](_?[0-9])*)")) {
            try {
                return Long.valueOf(word.replace("_", ""));
            } catch (NumberFormatException e) {
                throw error("integer " + word + " is out of range");
            }
        }
        if (word.matches("[+-]?[0-9_]+(\\.[0-9_]+)?([eE][+-]?[0-9_]+)?|[+-]?(inf|nan)")) {
            throw error("floating-point values are not supported, got " + word);
        }
        if (word.matches("[0-9]{4}-[0-9]{2}-[0-9]{2}.*")) {
            throw error("dates are not supported, got " + word);
        }
        throw error("expected a string (in quotes), an integer, true, false or an array, got " + describe(word));
    }

    private String basicString() {
        if (text.startsWith("\"\"\"", pos)) {
            throw error("multi-line strings are not supported");
        }
        pos++;
        StringBuilder out = new StringBuilder();
        while (true) {
            if (atEnd() || peek() == '\n') {
                throw error("unterminated string");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                return out.toString();
            }
            if (c == '\\') {
                escape(out);
            } else {
                out.append(c);
            }
        }
    }

    private void escape(StringBuilder out) {
        if (atEnd()) {
            throw error("unterminated string");
        }
        char c = text.charAt(pos++);
        switch (c) {
            case '"' -> out.append('"');
            case '\\' -> out.append('\\');
            case 'n' -> out.append('\n');
            case 't' -> out.append('\t');
            case 'r' -> out.append('\r');
            case 'b' -> out.append('\b');
            case 'f' -> out.append('\f');
            case 'u' -> out.appendCodePoint(hex(4));
            case 'U' -> out.appendCodePoint(hex(8));
            default -> throw error("unknown escape \\" + c + " in string");
        }
    }

    private int hex(int digits) {
        if (pos + digits > text.length()) {
            throw error("truncated unicode escape");
        }
        String hex = text.substring(pos, pos + digits);
        pos += digits;
        try {
            int codePoint = Integer.parseInt(hex, 16);
            if (!Character.isValidCodePoint(codePoint)) {
                throw new NumberFormatException();
            }
            return codePoint;
        } catch (NumberFormatException e) {
            throw error("bad unicode escape \\u" + hex);
        }
    }

    private String literalString() {
        if (text.startsWith("'''", pos)) {
            throw error("multi-line strings are not supported");
        }
        int start = ++pos;
        while (!atEnd() && peek() != '\'' && peek() != '\n') {
            pos++;
        }
        if (atEnd() || peek() == '\n') {
            throw error("unterminated string");
        }
        return text.substring(start, pos++);
    }

    private void endOfLine() {
        skipSpaces();
        if (!atEnd() && peek() == '#') {
            skipComment();
        }
        if (atEnd()) {
            return;
        }
        if (peek() == '\r' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
            pos++;
        }
        if (peek() != '\n') {
            throw error("unexpected " + describe(peek()) + " after the value; one key = value per line");
        }
    }

    /** Spaces, tabs, comments and newlines. */
    private void skipBlank() {
        while (!atEnd()) {
            char c = peek();
            if (c == '\n') {
                line++;
                pos++;
            } else if (isSpace(c) || c == '\r') {
                pos++;
            } else if (c == '#') {
                skipComment();
            } else {
                return;
            }
        }
    }

    private void skipSpaces() {
        while (!atEnd() && isSpace(peek())) {
            pos++;
        }
    }

    private void skipComment() {
        while (!atEnd() && peek() != '\n') {
            pos++;
        }
    }

    private void expect(char c, String what) {
        if (!consume(c)) {
            throw error("expected " + what + ", found " + (atEnd() ? "the end of the file" : describe(peek())));
        }
    }

    private boolean consume(char c) {
        if (!atEnd() && peek() == c) {
            pos++;
            return true;
        }
        return false;
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private ConfigException error(String message) {
        return ConfigException.at(file, line, message);
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    private static boolean isBareKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private static String describe(char c) {
        return c == '\n' ? "the end of the line" : "'" + c + "'";
    }

    private static String describe(String word) {
        return word.isEmpty() ? "nothing" : "'" + word + "'";
    }
}
