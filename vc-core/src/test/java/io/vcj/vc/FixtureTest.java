package io.vcj.vc;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** A test on a fresh {@link Fixture} in a temp dir of its own, closed after each test. */
abstract class FixtureTest {
    @TempDir
    Path tmp;
    Fixture fx;

    @BeforeEach
    void newFixture() throws Exception {
        fx = new Fixture(tmp);
    }

    @AfterEach
    void closeFixture() {
        fx.close();
    }
}
