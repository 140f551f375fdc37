package io.vcj.virtc;

import java.util.ArrayList;
import java.util.List;

/** Rows under headers, in columns two spaces apart, as {@code docker ps} prints them. */
final class Table {

    private final List<String[]> rows = new ArrayList<>();

    Table(String... headers) {
        rows.add(headers);
    }

    Table row(Object... cells) {
        String[] texts = new String[rows.getFirst().length];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = i < cells.length && cells[i] != null ? cells[i].toString() : "";
        }
        rows.add(texts);
        return this;
    }

    String render() {
        int columns = rows.getFirst().length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        var text = new StringBuilder();
        for (String[] row : rows) {
            var line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i + 1 < columns ? String.format("%-" + (widths[i] + 2) + "s", row[i]) : row[i]);
            }
            text.append(line.toString().stripTrailing()).append('\n');
        }
        return text.toString();
    }
}
