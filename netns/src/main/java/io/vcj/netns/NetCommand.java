package io.vcj.netns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Runs iproute2's {@code ip} and {@code tc}, in the network namespace {@link #in} names, else in the
 * caller's; queries ask for JSON output ({@code -j}) so nothing is scraped from text.
 */
final class NetCommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ScopedValue<Path> NETNS = ScopedValue.newInstance();

    private NetCommand() {
    }

    /**
     * Runs {@code work} with every command it runs entered into {@code netns} by nsenter. Not from a
     * thread that joined the namespace ({@link NetnsThread}): the JDK may create its process-reaper
     * thread from the thread that starts a process, that thread inherits the namespace, and as a
     * pooled thread it keeps the namespace, and every link in it, alive long after the pod is gone.
     *
     * @throws io.vcj.vc.VcException.InvalidArgument if {@code netns} is missing or not a network namespace
     */
    static <T> T in(Path netns, Supplier<T> work) {
        NetnsThread.call(netns, () -> null); // joins and leaves at once: only to reject a bad path clearly
        return ScopedValue.where(NETNS, netns).call(work::get);
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
        List<String> argv = new ArrayList<>();
        if (NETNS.isBound()) {
            argv.addAll(List.of("nsenter", "--net=" + NETNS.get(), "--"));
        }
        argv.add(tool);
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
