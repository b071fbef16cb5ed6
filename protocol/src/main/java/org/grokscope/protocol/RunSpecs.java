package org.grokscope.protocol;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
                OptimizerKind.parse("optimizer.type", get(c, "optimizer.type", Config::getString, "a string")),
                get(c, "optimizer.lr", Config::getDouble, "a number"),
                get(c, "optimizer.momentum", Config::getDouble, "a number"),
                get(c, "optimizer.nesterov", Config::getBoolean, "true or false"),
                get(c, "optimizer.weight-decay", Config::getDouble, "a number"),
                get(c, "optimizer.beta1", Config::getDouble, "a number"),
                get(c, "optimizer.beta2", Config::getDouble, "a number"),
                get(c, "optimizer.eps", Config::getDouble, "a number"));
        if (opt.eps() < Float.MIN_NORMAL) {
            // checked on input, not in OptimizerSpec, so journals are read whatever they hold:
            // training runs in float32, where a smaller eps is 0 or subnormal and 0/0 gives NaN weights
            throw new SpecException("optimizer.eps", "must be at least " + Float.MIN_NORMAL
                    + " (the smallest normal float32; training runs in float32), got " + opt.eps());
        }
        return new RunSpec(
                get(c, "task", Config::getString, "a string"),
                (int) ConfigValues.integer(c, "p", "p", RunSpec.MIN_P, RunSpec.MAX_P),
                get(c, "alpha", Config::getDouble, "a number"),
                ConfigValues.integer(c, "split-seed", "split-seed", Long.MIN_VALUE, Long.MAX_VALUE),
                ConfigValues.integer(c, "init-seed", "init-seed", Long.MIN_VALUE, Long.MAX_VALUE),
                (int) ConfigValues.integer(c, "width", "width", 1, RunSpec.MAX_WIDTH),
                Activation.parse("activation", get(c, "activation", Config::getString, "a string")),
                Parametrization.parse("parametrization", get(c, "parametrization", Config::getString, "a string")),
                LossKind.parse("loss", get(c, "loss", Config::getString, "a string")),
                opt,
                (int) ConfigValues.integer(c, "epochs", "epochs", 1, RunSpec.MAX_EPOCHS),
                (int) ConfigValues.integer(c, "batch-size", "batch-size", 0, RunSpec.MAX_BATCH_SIZE),
                (int) ConfigValues.integer(c, "eval-every", "eval-every", 1, RunSpec.MAX_EPOCHS),
                (int) ConfigValues.integer(c, "checkpoint-every", "checkpoint-every", 0, RunSpec.MAX_EPOCHS),
                BackendKind.parse("backend", get(c, "backend", Config::getString, "a string")));
    }

    /** The spec as HOCON text that {@link #fromConfig} reads back to an equal spec. */
    public static String render(RunSpec s) {
        Map<String, Object> opt = new java.util.LinkedHashMap<>();
        opt.put("type", s.optimizer().kind().specName());
        opt.put("lr", s.optimizer().lr());
        opt.put("momentum", s.optimizer().momentum());
        opt.put("nesterov", s.optimizer().nesterov());
        opt.put("weight-decay", s.optimizer().weightDecay());
        opt.put("beta1", s.optimizer().beta1());
        opt.put("beta2", s.optimizer().beta2());
        opt.put("eps", s.optimizer().eps());
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("task", s.task());
        m.put("p", s.p());
        m.put("alpha", s.alpha());
        m.put("split-seed", s.splitSeed());
        m.put("init-seed", s.initSeed());
        m.put("width", s.width());
        m.put("activation", s.activation().specName());
        m.put("parametrization", s.parametrization().specName());
        m.put("loss", s.loss().specName());
        m.put("optimizer", opt);
        m.put("epochs", s.epochs());
        m.put("batch-size", s.batchSize());
        m.put("eval-every", s.evalEvery());
        m.put("checkpoint-every", s.checkpointEvery());
        m.put("backend", s.backend().specName());
        return com.typesafe.config.ConfigValueFactory.fromMap(m).render(
                com.typesafe.config.ConfigRenderOptions.concise().setFormatted(true).setJson(false));
    }

    private static <T> T get(Config c, String field, java.util.function.BiFunction<Config, String, T> read,
                             String expected) {
        try {
            return read.apply(c, field);
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            Object raw = c.hasPath(field) ? c.getValue(field).unwrapped() : null;
            throw new SpecException(field, "has the wrong type: expected " + expected + ", got '" + raw + "'");
        } catch (ConfigException.Missing e) {
            // HOCON's null removes the default rather than setting a value
            throw new SpecException(field, ConfigValues.missing(c, field, expected));
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
                String prefix = e.getKey() + ".";
                List<String> inside = known.stream().filter(k -> k.startsWith(prefix)).toList();
                if (!inside.isEmpty()) {
                    // optimizer = 3: a known group given as a value
                    throw new SpecException(e.getKey(), "must be an object of fields (" + String.join(", ", inside)
                            + "), got '" + e.getValue().unwrapped() + "'");
                }
                throw new SpecException(e.getKey(), "unknown field; known fields: " + String.join(", ", known));
            }
        }
    }
}
