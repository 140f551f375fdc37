package io.vcj.netns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs iproute2's {@code ip} and {@code tc} in the calling thread's network namespace (see
 * {@link NetnsThread}); queries ask for JSON output ({@code -j}) so nothing is scraped from text.
 */
final class NetCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private NetCommand() {
    }

    static void ip(String... args) {
        run("ip", args);
    }

    static JsonNode ipJson(String... args) {
        return json("ip", args);
    }

    static void tc(String... args) {
        run("tc", args);
    }

    static JsonNode tcJson(String... args) {
        return json("tc", args);
    }

    private static JsonNode json(String tool, String... args) {
        String[] jsonArgs = new String[args.length + 1];
        jsonArgs[0] = "-j";
        System.arraycopy(args, 0, jsonArgs, 1, args.length);
        String out = run(tool, jsonArgs);
        try {
            return JSON.readTree(out);
        } catch (IOException e) {
            throw new NetnsException(tool + " " + String.join(" ", jsonArgs) + " printed unreadable JSON: " + out, e);
        }
    }

    private static String run(String tool, String... args) {
        List<String> argv = new ArrayList<>(List.of(tool));
        argv.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(argv).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            int exit = process.waitFor();
            if (exit != 0) {
                throw new NetnsException(String.join(" ", argv) + " failed (exit " + exit + "): " + err.strip());
            }
            return out;
        } catch (IOException e) {
            throw new NetnsException("cannot run " + String.join(" ", argv), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetnsException("interrupted while running " + String.join(" ", argv), e);
        }
    }
}
