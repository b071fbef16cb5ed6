package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grokscope.compute.task.Split;
import org.grokscope.protocol.OptimizerKind;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunSpecs;
import org.grokscope.protocol.SpecException;
import picocli.CommandLine.Option;

/**
 * The spec flags shared by the verbs that start runs. Every flag is a spec field; flag values are
 * layered over the spec file, which is layered over the defaults, and the result is validated as a
 * whole (task grammar included) before anything runs.
 */
public final class SpecOptions {
    @Option(names = "--task", description = "built-in task or expression in n, m") String task;
    @Option(names = "--p", description = "modulus") String p;
    @Option(names = "--alpha", description = "training fraction in (0, 1)") String alpha;
    @Option(names = "--split-seed") String splitSeed;
    @Option(names = "--init-seed") String initSeed;
    @Option(names = "--width", description = "hidden width N") String width;
    @Option(names = "--activation", description = "quad relu gelu tanh identity cube") String activation;
    @Option(names = "--parametrization", description = "mean-field or standard") String parametrization;
    @Option(names = "--loss", description = "mse or cse") String loss;
    @Option(names = "--optimizer", description = "gd or adamw") String optimizer;
    @Option(names = "--lr") String lr;
    @Option(names = "--momentum") String momentum;
    @Option(names = "--nesterov", arity = "0..1", fallbackValue = "true") String nesterov;
    @Option(names = "--weight-decay") String weightDecay;
    @Option(names = "--beta1") String beta1;
    @Option(names = "--beta2") String beta2;
    @Option(names = "--eps") String eps;
    @Option(names = "--epochs") String epochs;
    @Option(names = "--batch-size", description = "0 for full batch") String batchSize;
    @Option(names = "--eval-every") String evalEvery;
    @Option(names = "--checkpoint-every") String checkpointEvery;
    @Option(names = "--backend", description = "auto cpu opencl naive") String backend;
    @Option(names = "--set", description = "any spec field as path=value, e.g. --set optimizer.eps=1e-6")
    List<String> sets;

    /** Reads the spec file (may be null), applies the flags and validates everything. */
    public RunSpec resolve(Path specFile) {
        Map<String, Object> flags = flags();
        Config user;
        try {
            user = ConfigFactory.parseMap(flags, "command-line flags");
        } catch (ConfigException e) {
            throw new SpecException("--set", Main.oneLine(e.getMessage()));
        }
        if (specFile != null) {
            // resolved after the flags are laid over the file, so `width = ${p}` follows --p
            user = resolve(user.withFallback(parseFile(specFile, "spec")), specFile, "spec");
        }
        RunSpec spec = RunSpecs.fromConfig(user);
        // the split is checked here, not when a trainer starts: a run journaled only to fail is worse
        Split.check(spec);
        rejectUnusedFlags(spec, flags);
        return spec;
    }

    /**
     * A hyperparameter typed on the command line that the run's optimizer never reads is a
     * mistake the run would hide (gd ignores AdamW's betas and eps). Spec files may carry them:
     * the resolved spec written beside every curve lists all fields, and must read back.
     */
    private static void rejectUnusedFlags(RunSpec spec, Map<String, Object> flags) {
        if (spec.optimizer().kind() != OptimizerKind.GD) {
            return; // adamw's unused gd fields (momentum, nesterov) are refused by OptimizerSpec
        }
        for (String path : List.of("optimizer.beta1", "optimizer.beta2", "optimizer.eps")) {
            if (flags.containsKey(path)) {
                throw new SpecException(path, "applies to optimizer adamw only, not gd");
            }
        }
    }

    /** Longest base name kept: a run id adds a time stamp, and snapshot file names add more. */
    static final int MAX_BASE_NAME = 80;

    /**
     * A spec file's name without extension, safe as a file name and run id: the characters --id
     * allows, no leading '-' (picocli would read the id as an option) and at most
     * {@link #MAX_BASE_NAME} characters (snapshot files embed it).
     */
    static String baseName(Path specFile) {
        String name = specFile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String base = dot > 0 ? name.substring(0, dot) : name;
        base = base.replaceAll("[^A-Za-z0-9._-]", "_").replaceFirst("^[^A-Za-z0-9]", "_");
        return base.length() > MAX_BASE_NAME ? base.substring(0, MAX_BASE_NAME) : base;
    }

    static Config readFile(Path file) {
        return readFile(file, "spec");
    }

    /**
     * Parses a HOCON file and resolves its substitutions ({@code width = ${p}}) within the file;
     * {@code field} names the file in errors ("spec", "sweep").
     */
    static Config readFile(Path file, String field) {
        return resolve(parseFile(file, field), file, field);
    }

    /** A HOCON file parsed but not resolved, so that overrides can be laid over it first. */
    static Config parseFile(Path file, String field) {
        if (!Files.exists(file)) {
            throw new SpecException(field, "file not found: " + file);
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new SpecException(field, "not a readable file: " + file);
        }
        try {
            return ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        } catch (ConfigException e) {
            throw new SpecException(field, "cannot parse " + file + ": " + Main.oneLine(e.getMessage()));
        }
    }

    static Config resolve(Config config, Path file, String field) {
        try {
            return config.resolve();
        } catch (ConfigException e) {
            throw new SpecException(field, "cannot parse " + file + ": " + Main.oneLine(e.getMessage()));
        }
    }

    private Map<String, Object> flags() {
        Map<String, Object> m = new LinkedHashMap<>();
        put(m, "task", task);
        put(m, "p", p);
        put(m, "alpha", alpha);
        put(m, "split-seed", splitSeed);
        put(m, "init-seed", initSeed);
        put(m, "width", width);
        put(m, "activation", activation);
        put(m, "parametrization", parametrization);
        put(m, "loss", loss);
        put(m, "optimizer.type", optimizer);
        put(m, "optimizer.lr", lr);
        put(m, "optimizer.momentum", momentum);
        put(m, "optimizer.nesterov", nesterov);
        put(m, "optimizer.weight-decay", weightDecay);
        put(m, "optimizer.beta1", beta1);
        put(m, "optimizer.beta2", beta2);
        put(m, "optimizer.eps", eps);
        put(m, "epochs", epochs);
        put(m, "batch-size", batchSize);
        put(m, "eval-every", evalEvery);
        put(m, "checkpoint-every", checkpointEvery);
        put(m, "backend", backend);
        if (sets != null) {
            for (String s : sets) {
                int eq = s.indexOf('=');
                if (eq <= 0) {
                    throw new SpecException("--set", "expected path=value, got '" + s + "'");
                }
                String path = s.substring(0, eq).strip();
                String value = s.substring(eq + 1).strip();
                Object earlier = m.get(path);
                if (earlier != null && !earlier.equals(value)) {
                    // a silent winner would train a run nobody asked for
                    throw new SpecException(path, "given twice on the command line: '" + earlier + "' and '"
                            + value + "' (--set " + s + ")");
                }
                put(m, path, value);
            }
        }
        return m;
    }

    private static void put(Map<String, Object> m, String path, String value) {
        if (value != null) {
            m.put(path, value);
        }
    }
}
