package io.vcj.vc.mock;

import io.vcj.vc.config.Mount;
import io.vcj.vc.host.HostMounter;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Remembers what would be mounted where, stacking like the kernel does, instead of mounting. */
public final class FakeMounter implements HostMounter {
    private final Map<Path, Deque<String>> stacks = new ConcurrentHashMap<>();

    @Override
    public void bind(Path source, Path target, boolean readOnly) {
        push(target, source.toString());
    }

    @Override
    public void mount(Mount mount, Path target) {
        push(target, mount.type() + ":" + mount.source());
    }

    private void push(Path target, String what) {
        stacks.computeIfAbsent(target, t -> new ArrayDeque<>()).push(what);
    }

    @Override
    public void unmount(Path target) {
        stacks.computeIfPresent(target, (t, stack) -> {
            stack.pop();
            return stack.isEmpty() ? null : stack;
        });
    }

    @Override
    public List<Path> mountsUnder(Path dir) {
        return stacks.keySet().stream().filter(p -> p.startsWith(dir))
                .sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
    }

    /** What is visible at {@code target}: the top of its stack, null if nothing is mounted there. */
    public String top(Path target) {
        Deque<String> stack = stacks.get(target);
        return stack == null ? null : stack.peek();
    }

    public boolean nothingMounted() {
        return stacks.isEmpty();
    }

    @Override
    public String toString() {
        return stacks.toString();
    }
}
