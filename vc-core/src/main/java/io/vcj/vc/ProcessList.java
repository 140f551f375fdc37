package io.vcj.vc;

import java.util.List;
import java.util.stream.Collectors;

/** The guest pids of a container's processes, and their rendering in the requested format. */
public record ProcessList(List<Integer> pids, String rendered) {

    public ProcessList {
        pids = List.copyOf(pids);
    }

    static ProcessList of(List<Integer> pids, ProcessListOptions options) {
        String rendered = switch (options.format()) {
            case JSON -> pids.stream().map(String::valueOf).collect(Collectors.joining(",", "[", "]"));
            case TABLE -> pids.stream().map(String::valueOf).collect(Collectors.joining("\n", "PID\n", "\n"));
        };
        return new ProcessList(pids, rendered);
    }
}
