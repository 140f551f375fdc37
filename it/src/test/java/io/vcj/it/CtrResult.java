package io.vcj.it;

import java.util.List;

/** What one `ctr` run printed and how it exited. */
public record CtrResult(List<String> command, int exitCode, String stdout, String stderr) {

  public boolean succeeded() {
    return exitCode == 0;
  }

  /** This result, or an error showing the command and everything it printed. */
  public CtrResult orThrow() {
    if (!succeeded()) {
      throw new IllegalStateException(this.toString());
    }
    return this;
  }

  @Override
  public String toString() {
    return String.join(" ", command) + " exited " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
  }
}
