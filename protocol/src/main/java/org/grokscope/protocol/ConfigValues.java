package org.grokscope.protocol;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;

/**
 * Strict readers for user-supplied numbers in HOCON (spec files, flags, sweep files, analyzer
 * parameters). Typesafe Config's getInt and getLong truncate 11.5 to 11 and clamp a seed of
 * 1e20 to Long.MAX_VALUE without a word; here a value that is not a whole number in range is a
 * {@link SpecException} naming the field and the allowed range.
 */
public final class ConfigValues {
    private ConfigValues() {
    }

    /** The whole number at {@code path}, in [lo, hi]; {@code field} is the name the error gives. */
    public static long integer(Config c, String path, String field, long lo, long hi) {
        BigDecimal v = decimal(c, path, field, "an integer in [" + lo + ", " + hi + "]");
        boolean whole = v.signum() == 0 || v.stripTrailingZeros().scale() <= 0;
        if (!whole || v.compareTo(BigDecimal.valueOf(lo)) < 0 || v.compareTo(BigDecimal.valueOf(hi)) > 0) {
            // 1e400 as a plain number is 401 digits: echo it as the user could have typed it
            String got = v.toPlainString().length() <= 24 ? v.toPlainString() : v.toString();
            throw new SpecException(field, "must be an integer in [" + lo + ", " + hi + "], got " + got);
        }
        return v.longValueExact();
    }

    /** The finite number at {@code path}. */
    public static double number(Config c, String path, String field) {
        return decimal(c, path, field, "a number").doubleValue();
    }

    /**
     * Why {@code path} has no value: HOCON's null, on it or on a group above it ({@code optimizer =
     * null}), removes the default rather than setting one, which "is missing" would hide.
     */
    public static String missing(Config c, String path, String expected) {
        for (String p = path; ; p = p.substring(0, p.lastIndexOf('.'))) {
            if (c.hasPathOrNull(p) && c.getIsNull(p)) {
                return (p.equals(path) ? "is null" : p + " is null") + "; give " + expected;
            }
            if (p.indexOf('.') < 0) {
                return "is missing";
            }
        }
    }

    private static BigDecimal decimal(Config c, String path, String field, String expected) {
        ConfigValue value;
        try {
            value = c.getValue(path);
        } catch (ConfigException.Missing e) {
            throw new SpecException(field, missing(c, path, expected));
        } catch (ConfigException e) {
            throw new SpecException(field, "must be " + expected);
        }
        Object raw = value.unwrapped();
        if (value.valueType() == ConfigValueType.NUMBER) {
            if (raw instanceof Double d && !Double.isFinite(d)) {
                throw new SpecException(field, "must be " + expected + ", got " + d);
            }
            // the text as written, so 0.29 stays 0.29 and 99999999999999999999 is not rounded
            return new BigDecimal(raw instanceof Double d ? Double.toString(d) : raw.toString());
        }
        if (value.valueType() == ConfigValueType.STRING) {
            try {
                return new BigDecimal(((String) raw).strip());
            } catch (NumberFormatException e) {
                // falls through to the error below
            }
        }
        throw new SpecException(field, "must be " + expected + ", got '" + raw + "'");
    }
}
