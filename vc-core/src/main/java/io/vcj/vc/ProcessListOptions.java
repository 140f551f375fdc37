package io.vcj.vc;

/** How {@link VirtContainers#processListContainer} renders the container's processes. */
public record ProcessListOptions(Format format) {

    public enum Format { JSON, TABLE }

    public ProcessListOptions {
        if (format == null) {
            throw new IllegalArgumentException("format is required");
        }
    }
}
