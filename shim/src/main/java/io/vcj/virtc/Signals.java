package io.vcj.virtc;

import java.util.Locale;
import java.util.Map;

/** Signal numbers from what users type: {@code 9}, {@code KILL} or {@code SIGKILL} (x86-64 Linux numbers). */
final class Signals {

    private static final Map<String, Integer> NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ABRT", 6),
            Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("USR2", 12), Map.entry("ALRM", 14),
            Map.entry("TERM", 15), Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("WINCH", 28));

    private Signals() {
    }

    static int parse(String signal) {
        String name = signal.toUpperCase(Locale.ROOT);
        name = name.startsWith("SIG") ? name.substring(3) : name;
        Integer number = NUMBERS.get(name);
        if (number != null) {
            return number;
        }
        try {
            int parsed = Integer.parseInt(signal);
            if (parsed >= 1 && parsed <= 64) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // not a number either: reported below
        }
        throw new UsageException("--signal must be a signal name (" + String.join(", ", NUMBERS.keySet())
                + ") or a number from 1 to 64, got '" + signal + "'");
    }
}
