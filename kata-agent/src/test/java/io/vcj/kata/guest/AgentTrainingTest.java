package io.vcj.kata.guest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AgentTrainingTest {
    private static List<Path> trainingDirs() throws IOException {
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return tmp.filter(p -> p.getFileName().toString().startsWith("vcj-agent-training")).toList();
        }
    }

    @Test
    @Timeout(60)
    void runsTheHostsFirstCallsAndLeavesNothingBehind() throws Exception {
        List<Path> before = trainingDirs();
        AgentTraining.main(new String[0]);
        assertEquals(before, trainingDirs());
    }
}
