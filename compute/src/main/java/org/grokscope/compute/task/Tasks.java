package org.grokscope.compute.task;

import java.util.List;
import org.grokscope.protocol.SpecException;

/**
 * The entry point that turns a spec's {@code task} and {@code p} into a {@link Task}: a built-in
 * name, or else an arithmetic expression in n and m read by {@link ExpressionParser}. All user
 * mistakes surface here as {@link SpecException}s naming the field and, for expressions, the column.
 */
public final class Tasks {
    private Tasks() {
    }

    /**
     * Resolves {@code spec} for modulus {@code p}: a built-in name (lower case, surrounding
     * whitespace ignored) or an expression such as {@code "3*n^2 + 5*m + 1"}.
     *
     * @throws SpecException field {@code p} when p < 2; field {@code task} for an unusable spec
     *     or for {@code div} with a composite p
     */
    public static Task parse(String spec, int p) {
        if (p < 2) {
            throw new SpecException("p", "must be at least 2, got " + p);
        }
        if (spec == null || spec.isBlank()) {
            throw new SpecException("task", "is empty: give a built-in task (" + String.join(", ", builtInNames())
                    + ") or an expression in n and m such as \"3*n^2 + 5*m + 1\"");
        }
        BuiltInTask.Kind kind = BuiltInTask.Kind.byName(spec.strip());
        if (kind == null) {
            return ExpressionParser.parse(spec, p);
        }
        if (kind == BuiltInTask.Kind.DIV && !ModArith.isPrime(p)) {
            throw new SpecException("task", "div needs a prime p, got p=" + p + " (divisible by "
                    + ModArith.smallestFactor(p) + "): without one, some m ≠ 0 has no inverse");
        }
        return new BuiltInTask(kind, p);
    }

    /** The built-in task names, in the order the docs list them. */
    public static List<String> builtInNames() {
        return BuiltInTask.Kind.NAMES;
    }
}
