package io.vcj.virtc;

/** One line of {@code virtc check}: what was checked, how it went, and why it matters. */
record Finding(String check, Verdict verdict, String detail) {

    enum Verdict {
        OK,
        /** Sandboxes run, but worse (e.g. emulated), or virtc cannot tell. */
        WARN,
        /** Sandboxes cannot run until it is fixed. */
        MISSING
    }

    static Finding ok(String check, String detail) {
        return new Finding(check, Verdict.OK, detail);
    }

    static Finding warn(String check, String detail) {
        return new Finding(check, Verdict.WARN, detail);
    }

    static Finding missing(String check, String detail) {
        return new Finding(check, Verdict.MISSING, detail);
    }
}
