package io.vcj.vc.config;

import io.vcj.vc.VcException;

import java.util.regex.Pattern;

/** Sandbox, container and exec ids end up in paths and guest commands, so only safe ones pass. */
public final class Ids {
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private Ids() {
    }

    /** Returns {@code id} or throws naming {@code what} and why it is not usable. */
    public static String require(String what, String id) {
        if (id == null || id.isEmpty()) {
            throw new VcException.InvalidArgument(what + " is required");
        }
        if (!VALID.matcher(id).matches()) {
            throw new VcException.InvalidArgument(what + " '" + id
                    + "' is invalid: use 1-128 characters of [A-Za-z0-9_.-], starting with a letter or digit");
        }
        return id;
    }
}
