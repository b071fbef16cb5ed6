package org.grokscope.protocol;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Maps the lower-case names used in specs to enum constants, with an error listing the choices. */
final class Names {
    private Names() {
    }

    static <E> E parse(String field, String value, E[] choices, Function<E, String> name) {
        for (E e : choices) {
            if (name.apply(e).equals(value)) {
                return e;
            }
        }
        String allowed = Arrays.stream(choices).map(name).collect(Collectors.joining(", "));
        throw new SpecException(field, "unknown value '" + value + "'; allowed: " + allowed);
    }
}
