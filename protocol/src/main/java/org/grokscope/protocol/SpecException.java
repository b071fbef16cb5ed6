package org.grokscope.protocol;

/**
 * A user error in a run spec or a flag: names the offending field and says what is allowed.
 * The CLI prints {@link #getMessage()} as one line and exits with code 2, so the message must be
 * self-contained and never needs a stack trace.
 */
public final class SpecException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public SpecException(String field, String problem) {
        super(field + ": " + problem, null, false, false);
        this.field = field;
    }

    /** The spec field (HOCON path) that was rejected. */
    public String field() {
        return field;
    }
}
