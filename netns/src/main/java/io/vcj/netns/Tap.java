package io.vcj.netns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.regex.Pattern;

/**
 * A tap device for the VM's NIC number {@code index}, serving a pod interface. The tap remembers
 * which interface it serves and that interface's MAC address in its alias (ifalias), so a tear
 * down needs nothing but the namespace: not the process that set up, nor any file it wrote.
 *
 * @param veth       the pod interface the tap is connected to, null if its alias was never written
 * @param macAddress that interface's MAC address as CNI set it, which is also the guest NIC's
 */
record Tap(int index, String veth, String macAddress) {
    private static final Pattern NAME = Pattern.compile("tap(\\d+)_vcj");
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Alias(String veth, String macAddress) {
    }

    static Tap serving(int index, PodInterface podInterface) {
        return new Tap(index, podInterface.name(), podInterface.macAddress());
    }

    /** The tap a link is, null if the link is not one of ours. */
    static Tap fromLink(String name, String alias) {
        var matcher = NAME.matcher(name);
        if (!matcher.matches()) {
            return null;
        }
        int index = Integer.parseInt(matcher.group(1));
        try {
            Alias fields = alias == null ? null : JSON.readValue(alias, Alias.class);
            return fields == null ? new Tap(index, null, null) : new Tap(index, fields.veth(), fields.macAddress());
        } catch (JsonProcessingException e) {
            // still ours by its name, and to be deleted; only what it served is unknown
            return new Tap(index, null, null);
        }
    }

    String name() {
        return "tap" + index + "_vcj";
    }

    String alias() {
        try {
            return JSON.writeValueAsString(new Alias(veth, macAddress));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a record of two strings always serializes", e);
        }
    }
}
