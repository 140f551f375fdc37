package io.vcj.vc.config;

import java.util.List;

/** The capability sets of a process, names as in OCI ({@code CAP_NET_RAW}). */
public record LinuxCapabilities(List<String> bounding, List<String> effective, List<String> inheritable,
                                List<String> permitted, List<String> ambient) {

    public static final LinuxCapabilities NONE = new LinuxCapabilities(null, null, null, null, null);

    public LinuxCapabilities {
        bounding = copy(bounding);
        effective = copy(effective);
        inheritable = copy(inheritable);
        permitted = copy(permitted);
        ambient = copy(ambient);
    }

    private static List<String> copy(List<String> names) {
        return List.copyOf(names == null ? List.of() : names);
    }
}
