package org.grokscope.protocol;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Reads a {@link RunSpec} from HOCON: the user's spec layered over the defaults in this module's
 * {@code reference.conf} ({@code grokscope.run-defaults}). Unknown keys are rejected so a typo
 * never silently falls back to a default.
 */
public final class RunSpecs {
    public static final String DEFAULTS_PATH = "grokscope.run-defaults";

    private RunSpecs() {
    }

    /** The defaults every spec starts from. */
    public static Config defaults() {
        return ConfigFactory.defaultReference().getConfig(DEFAULTS_PATH);
    }

    /** Builds a spec from a user config (a spec file with flag overrides already layered on top). */
    public static RunSpec fromConfig(Config user) {
        Config defaults = defaults();
        rejectUnknownKeys(user, defaults);
        Config c = user.withFallback(defaults);
        OptimizerSpec opt = new OptimizerSpec(
                OptimizerKind.parse("optimizer.type", get("optimizer.type", () -> c.getString("optimizer.type"))),
                get("optimizer.lr", () -> c.getDouble("optimizer.lr")),
                get("optimizer.momentum", () -> c.getDouble("optimizer.momentum")),
                get("optimizer.nesterov", () -> c.getBoolean("optimizer.nesterov")),
                get("optimizer.weight-decay", () -> c.getDouble("optimizer.weight-decay")),
                get("optimizer.beta1", () -> c.getDouble("optimizer.beta1")),
                get("optimizer.beta2", () -> c.getDouble("optimizer.beta2")),
                get("optimizer.eps", () -> c.getDouble("optimizer.eps")));
        return new RunSpec(
                get("task", () -> c.getString("task")),
                get("p", () -> c.getInt("p")),
                get("alpha", () -> c.getDouble("alpha")),
                get("split-seed", () -> c.getLong("split-seed")),
                get("init-seed", () -> c.getLong("init-seed")),
                get("width", () -> c.getInt("width")),
                Activation.parse("activation", get("activation", () -> c.getString("activation"))),
                Parametrization.parse("parametrization", get("parametrization", () -> c.getString("parametrization"))),
                LossKind.parse("loss", get("loss", () -> c.getString("loss"))),
                opt,
                get("epochs", () -> c.getInt("epochs")),
                get("batch-size", () -> c.getInt("batch-size")),
                get("eval-every", () -> c.getInt("eval-every")),
                get("checkpoint-every", () -> c.getInt("checkpoint-every")),
                BackendKind.parse("backend", get("backend", () -> c.getString("backend"))));
    }

    private static <T> T get(String field, Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw new SpecException(field, "has the wrong type: " + describe(e));
        } catch (ConfigException.Missing e) {
            throw new SpecException(field, "is missing");
        } catch (ConfigException e) {
            throw new SpecException(field, describe(e));
        }
    }

    private static String describe(ConfigException e) {
        String msg = e.getMessage();
        int colon = msg.indexOf(": ");
        String tail = colon >= 0 ? msg.substring(colon + 2) : msg;
        return tail.replace('\n', ' ');
    }

    private static void rejectUnknownKeys(Config user, Config defaults) {
        Set<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
            known.add(e.getKey());
        }
        for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new SpecException(e.getKey(), "unknown field; known fields: " + String.join(", ", known));
            }
        }
    }
}
