package org.grokscope.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.grokscope.compute.task.Split;
import org.grokscope.protocol.ConfigValues;
import org.grokscope.protocol.RunSpec;
import org.grokscope.protocol.RunSpecs;
import org.grokscope.protocol.SpecException;

/**
 * A sweep file read and expanded for {@code grokscope sweep}: a base run spec, a grid of axes
 * (named optimizer variants, each a partial spec, and lists of values of spec fields) and the cells
 * of their product. Every cell is a validated {@link RunSpec} under a run id made of the sweep name
 * and the cell's coordinates only, so a later invocation of the same file finds in the journal the
 * runs an earlier one started.
 *
 * <pre>
 * name = fig4a
 * max-concurrent = 2                 # optional; --max-concurrent wins
 * base { task = add, p = 59, width = 256 }
 * grid {
 *   alpha = [0.3, 0.5]
 *   seed = [1, 2]                    # sets split-seed and init-seed
 *   weight-decay = [0, 1]            # optimizer fields go directly in the grid
 *   optimizer {                      # named variants: optimizer fields and any other spec field
 *     gd { type = gd, lr = 1600, weight-decay = 0, epochs = 6000 }
 *     adamw { type = adamw, lr = 0.003 }
 *   }
 * }
 * </pre>
 *
 * @param name          the sweep's name, the prefix of its run ids
 * @param maxConcurrent runs trained at once as the file asks; null leaves it to the node
 * @param axes          the grid's axes in cell-id order, as written in the file
 * @param cells         the product of the axes, outermost axis first
 */
public record SweepSpec(String name, Integer maxConcurrent, List<String> axes, List<Cell> cells) {
    /** The axis of named variants; its coordinate is the variant's name. */
    public static final String VARIANTS = "optimizer";
    /** Sets split-seed and init-seed together: a "seed" is one repetition of the experiment. */
    public static final String SEED = "seed";

    private static final String BASE = "base";
    private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_-]{0,39}";
    private static final String VARIANT_PATTERN = "[A-Za-z0-9][A-Za-z0-9_]{0,19}";
    private static final int MAX_ID = 100;
    private static final List<String> TOP_FIELDS = List.of("name", "max-concurrent", "base", "grid");
    /** Axes that come first in run ids, in this order; the rest follow alphabetically. */
    private static final List<String> FIRST_AXES = List.of(VARIANTS, "alpha", "weight-decay", "width", SEED);
    /** Short forms in run ids, so ids of big grids stay readable and under the length limit. */
    private static final Map<String, String> ID_LABELS = Map.of("alpha", "a", "weight-decay", "wd", "width", "n",
            SEED, "s");

    /**
     * One run of the sweep.
     *
     * @param coordinates axis (as written in the file) to value label, in axis order
     */
    public record Cell(String runId, Map<String, String> coordinates, RunSpec spec) {
        /** The variant's name, or the optimizer's when the grid has no variants. */
        public String variant() {
            String v = coordinates.get(VARIANTS);
            return v != null ? v : spec.optimizer().kind().specName();
        }
    }

    /** Reads and expands a sweep file; every problem is a one-line {@link SpecException}. */
    public static SweepSpec read(Path file) {
        Config raw = SpecOptions.parseFile(file, "sweep");
        return expand(raw, SpecOptions.resolve(raw, file, "sweep"));
    }

    /**
     * More cells than this is a typo in a grid (an axis of 1000 seeds) rather than an experiment:
     * every cell is a journaled run, and expanding and checking them alone takes minutes.
     */
    static final int MAX_CELLS = 20_000;

    /** Expands a parsed sweep file; substitutions may still be unresolved (each cell resolves its own). */
    public static SweepSpec fromConfig(Config file) {
        Config resolved;
        try {
            resolved = file.resolve();
        } catch (ConfigException e) {
            throw new SpecException("sweep", "cannot resolve " + Main.oneLine(e.getMessage()));
        }
        return expand(file, resolved);
    }

    /**
     * The grid's shape (axes, variants, ids) comes from the whole file resolved once; each cell's
     * spec comes from the unresolved file with the cell's axis values and variant laid over
     * {@code base} and then resolved, so {@code width = ${base.p}} follows {@code grid.p}.
     */
    private static SweepSpec expand(Config raw, Config file) {
        for (String key : file.root().keySet()) {
            if (!TOP_FIELDS.contains(key)) {
                throw new SpecException(key, "unknown sweep field; known fields: " + String.join(", ", TOP_FIELDS));
            }
        }
        String name = field(file, "name", Config::getString, "a string");
        if (!name.matches(NAME_PATTERN)) {
            throw new SpecException("name", "use letters, digits, '_' and '-' (at most 40), got '" + name + "'");
        }
        Integer maxConcurrent = null;
        if (file.hasPath("max-concurrent")) {
            maxConcurrent = (int) ConfigValues.integer(file, "max-concurrent", "max-concurrent", 1, Integer.MAX_VALUE);
        }
        Config base = file.hasPath(BASE) ? field(file, BASE, Config::getConfig, "an object of spec fields")
                : ConfigFactory.empty();
        Config grid = file.hasPath("grid") ? field(file, "grid", Config::getConfig, "an object of axes")
                : ConfigFactory.empty();

        Map<String, Config> variants = variants(grid);
        Map<String, List<ConfigValue>> lists = new TreeMap<>();
        for (String axis : grid.root().keySet()) {
            if (!axis.equals(VARIANTS)) {
                lists.put(axis, axisValues(grid, axis));
            }
        }
        Map<String, String> setBy = new HashMap<>();
        for (String axis : lists.keySet()) {
            for (String path : specPaths(axis)) {
                String other = setBy.putIfAbsent(path, axis);
                if (other != null) {
                    throw new SpecException("grid." + axis, "sets " + path + ", as the grid axis grid." + other
                            + " does; set it in one place");
                }
            }
        }
        for (String axis : lists.keySet()) {
            for (Map.Entry<String, Config> v : variants.entrySet()) {
                for (String path : specPaths(axis)) {
                    if (has(v.getValue(), path)) {
                        throw new SpecException("grid." + VARIANTS + "." + v.getKey() + "." + axis,
                                "is also the grid axis grid." + axis + "; set it in one place");
                    }
                }
            }
        }
        List<String> axes = new ArrayList<>();
        if (!variants.isEmpty()) {
            axes.add(VARIANTS);
        }
        for (String first : FIRST_AXES) {
            if (lists.containsKey(first)) {
                axes.add(first);
            }
        }
        lists.keySet().stream().filter(a -> !axes.contains(a)).forEach(axes::add);
        long size = variants.isEmpty() ? 1 : variants.size();
        for (List<ConfigValue> values : lists.values()) {
            size = Math.multiplyExact(size, (long) values.size());
            if (size > MAX_CELLS) {
                break;
            }
        }
        if (size > MAX_CELLS) {
            throw new SpecException("grid", "has more than " + MAX_CELLS + " cells (the product of its axes' lengths); "
                    + "split it into several sweeps");
        }

        List<Cell> cells = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        expand(new Grid(name, raw, base, grid, variants, lists, axes), 0, new LinkedHashMap<>(),
                new LinkedHashMap<>(), cells, ids);
        return new SweepSpec(name, maxConcurrent, List.copyOf(axes), List.copyOf(cells));
    }

    /** The grid's named variants, sorted by name, each normalized to spec paths. */
    private static Map<String, Config> variants(Config grid) {
        Map<String, Config> variants = new TreeMap<>();
        if (!grid.hasPath(VARIANTS)) {
            return variants;
        }
        String field = "grid." + VARIANTS;
        ConfigValue raw = grid.root().get(VARIANTS);
        String example = "named variants, e.g. optimizer { gd { type = gd, lr = 1600 }, adamw { type = adamw } }";
        if (raw.valueType() != ConfigValueType.OBJECT) {
            throw new SpecException(field, "must be " + example);
        }
        Config all = grid.getConfig(VARIANTS);
        if (all.root().isEmpty()) {
            throw new SpecException(field, "must name at least one variant: " + example);
        }
        for (Map.Entry<String, ConfigValue> v : all.root().entrySet()) {
            String variant = v.getKey();
            if (!variant.matches(VARIANT_PATTERN)) {
                throw new SpecException(field + "." + variant,
                        "variant names use letters, digits and '_' (at most 20)");
            }
            if (v.getValue().valueType() != ConfigValueType.OBJECT) {
                throw new SpecException(field + "." + variant, "must be an object of spec fields, e.g. { type = gd,"
                        + " lr = 1600 } (to vary one optimizer field, put a list in the grid: lr = [...])");
            }
            variants.put(variant, normalize(all.getConfig(ConfigUtil.joinPath(variant))));
        }
        return variants;
    }

    /** Optimizer fields may be written without their "optimizer." prefix; spec paths have it. */
    private static Config normalize(Config variant) {
        Config out = ConfigFactory.empty();
        for (Map.Entry<String, ConfigValue> e : variant.entrySet()) {
            out = out.withValue(specPath(e.getKey()), e.getValue());
        }
        return out;
    }

    private static String specPath(String path) {
        List<String> parts = ConfigUtil.splitPath(path);
        return optimizerFields().contains(parts.get(0)) ? "optimizer." + path : path;
    }

    /** The spec paths an axis sets. */
    private static List<String> specPaths(String axis) {
        return axis.equals(SEED) ? List.of("split-seed", "init-seed") : List.of(specPath(ConfigUtil.joinPath(axis)));
    }

    private static Set<String> optimizerFields() {
        return RunSpecs.defaults().getConfig("optimizer").root().keySet();
    }

    private static List<ConfigValue> axisValues(Config grid, String axis) {
        String field = "grid." + axis;
        ConfigValue raw = grid.root().get(axis);
        if (raw.valueType() != ConfigValueType.LIST) {
            throw new SpecException(field, "must be a list of values, e.g. " + axis + " = [0.3, 0.5], got '"
                    + raw.unwrapped() + "'");
        }
        ConfigList list = (ConfigList) raw;
        if (list.isEmpty()) {
            throw new SpecException(field, "must have at least one value");
        }
        Set<String> seen = new HashSet<>();
        for (ConfigValue v : list) {
            if (v.valueType() == ConfigValueType.OBJECT || v.valueType() == ConfigValueType.LIST
                    || v.valueType() == ConfigValueType.NULL) {
                throw new SpecException(field, "values must be numbers, strings or booleans, got '" + v.unwrapped() + "'");
            }
            if (!seen.add(canonical(v))) {
                throw new SpecException(field, "value " + v.unwrapped() + " appears twice");
            }
        }
        return list;
    }

    /** A value as a spec reads it: numbers in their shortest plain form, so 0.30 and 0.3 are one value. */
    private static String canonical(ConfigValue v) {
        Object raw = v.unwrapped();
        String number = plainNumber(raw);
        return number != null ? number : raw instanceof String s ? s.strip() : String.valueOf(raw);
    }

    /** A number, or a string that reads as one, in its shortest plain form; null for anything else. */
    private static String plainNumber(Object raw) {
        if (!(raw instanceof Number || raw instanceof String)) {
            return null;
        }
        try {
            return new BigDecimal(raw.toString().strip()).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    /**
     * The labels of an axis's values in run ids: {@link #label}, and where two different values
     * share one (task = [n+m, n-m] both read n_m) a short checksum of the value is added to each,
     * so every cell keeps its own id; axes without such clashes keep the ids they always had.
     */
    static List<String> labels(List<ConfigValue> values) {
        Map<String, Integer> uses = new HashMap<>();
        for (ConfigValue v : values) {
            uses.merge(label(v), 1, Integer::sum);
        }
        List<String> labels = new ArrayList<>();
        for (ConfigValue v : values) {
            String l = label(v);
            if (uses.get(l) > 1) {
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(canonical(v).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                l = l + "_" + String.format(Locale.ROOT, "%06x", crc.getValue() & 0xffffff);
            }
            labels.add(l);
        }
        return labels;
    }

    /** What every cell of one sweep file shares while the product is expanded. */
    private record Grid(String name, Config raw, Config base, Config grid, Map<String, Config> variants,
                        Map<String, List<ConfigValue>> lists, List<String> axes) {
    }

    private static void expand(Grid g, int depth, Map<String, String> coordinates, Map<String, ConfigValue> values,
                               List<Cell> cells, Set<String> ids) {
        if (depth == g.axes().size()) {
            cells.add(cell(g, coordinates, values, ids));
            return;
        }
        String axis = g.axes().get(depth);
        if (axis.equals(VARIANTS)) {
            for (String variant : g.variants().keySet()) {
                coordinates.put(axis, variant);
                expand(g, depth + 1, coordinates, values, cells, ids);
                coordinates.remove(axis);
            }
            return;
        }
        List<ConfigValue> axisValues = g.lists().get(axis);
        List<String> axisLabels = labels(axisValues);
        for (int i = 0; i < axisValues.size(); i++) {
            ConfigValue v = axisValues.get(i);
            coordinates.put(axis, axisLabels.get(i));
            values.put(axis, v);
            expand(g, depth + 1, coordinates, values, cells, ids);
            coordinates.remove(axis);
            values.remove(axis);
        }
    }

    private static Cell cell(Grid g, Map<String, String> coordinates, Map<String, ConfigValue> values,
                             Set<String> ids) {
        StringBuilder id = new StringBuilder(g.name());
        for (Map.Entry<String, String> c : coordinates.entrySet()) {
            id.append('-');
            if (!c.getKey().equals(VARIANTS)) {
                id.append(ID_LABELS.getOrDefault(c.getKey(), c.getKey().replaceAll("[^A-Za-z0-9]", "")));
            }
            id.append(c.getValue());
        }
        String runId = id.toString();
        if (runId.length() > MAX_ID) {
            throw new SpecException("name", "run id '" + runId + "' is longer than " + MAX_ID
                    + " characters; use a shorter sweep name or fewer axes");
        }
        if (!ids.add(runId)) {
            throw new SpecException("grid", "two cells get the run id '" + runId + "'; make the axis values distinct");
        }
        String variantName = coordinates.get(VARIANTS);
        Config variant = variantName != null ? g.variants().get(variantName) : ConfigFactory.empty();
        Config base = g.base();
        try {
            RunSpec spec = RunSpecs.fromConfig(cellConfig(g, variantName, values, runId));
            Split.check(spec);
            return new Cell(runId, Collections.unmodifiableMap(new LinkedHashMap<>(coordinates)), spec);
        } catch (SpecException e) {
            String problem = e.getMessage().substring(e.field().length() + 2) + " (cell " + runId + ")";
            throw new SpecException(origin(e.field(), values.keySet(), variantName, variant, base), problem);
        }
    }

    /**
     * A cell's spec fields: the axis values and the variant's fields laid over {@code base} in the
     * unresolved file, then resolved there. The variant's fields go in as references to where the
     * file wrote them, so a substitution inside a variant also sees the cell's axis values.
     */
    private static Config cellConfig(Grid g, String variantName, Map<String, ConfigValue> values, String runId) {
        Config overlay = ConfigFactory.empty();
        for (Map.Entry<String, ConfigValue> v : values.entrySet()) {
            for (String path : specPaths(v.getKey())) {
                overlay = overlay.withValue(BASE + "." + path, v.getValue());
            }
        }
        if (variantName != null) {
            String at = "grid." + VARIANTS + "." + ConfigUtil.joinPath(variantName);
            StringBuilder refs = new StringBuilder();
            for (Map.Entry<String, ConfigValue> e : g.grid().getConfig(VARIANTS)
                    .getConfig(ConfigUtil.joinPath(variantName)).entrySet()) {
                refs.append(BASE).append('.').append(specPath(e.getKey()))
                        .append(" = ${").append(at).append('.').append(e.getKey()).append("}\n");
            }
            overlay = overlay.withFallback(ConfigFactory.parseString(refs.toString()));
        }
        try {
            Config cell = overlay.withFallback(g.raw()).resolve();
            return cell.hasPath(BASE) ? cell.getConfig(BASE) : ConfigFactory.empty();
        } catch (ConfigException e) {
            throw new SpecException("sweep", "cannot resolve cell " + runId + ": " + Main.oneLine(e.getMessage()));
        }
    }

    /** Where in the sweep file a rejected spec field was set: an axis, a variant, the base or a default. */
    private static String origin(String field, Set<String> axes, String variantName, Config variant, Config base) {
        for (String axis : axes) {
            if (specPaths(axis).contains(field)) {
                return "grid." + axis;
            }
        }
        if (variantName != null && has(variant, field)) {
            // named as the documented flat form: grid.optimizer.gd.lr, not grid.optimizer.gd.optimizer.lr
            return "grid." + VARIANTS + "." + variantName + "." + field.replaceFirst("^optimizer\\.", "");
        }
        if (has(base, field)) {
            return "base." + field;
        }
        return field;
    }

    private static boolean has(Config c, String path) {
        try {
            return c.hasPath(path);
        } catch (ConfigException e) {
            return false;
        }
    }

    /** A value as it appears in run ids: numbers in their shortest plain form, so 0.30 and 0.3 agree. */
    static String label(ConfigValue v) {
        Object raw = v.unwrapped();
        String number = plainNumber(raw);
        if (number != null) {
            return number;
        }
        return raw instanceof String s ? s.replaceAll("[^A-Za-z0-9.]", "_") : String.valueOf(raw);
    }

    private static <T> T field(Config c, String field, java.util.function.BiFunction<Config, String, T> get,
                              String expected) {
        try {
            return get.apply(c, field);
        } catch (ConfigException.Missing e) {
            throw new SpecException(field, "is missing");
        } catch (ConfigException e) {
            throw new SpecException(field, "must be " + expected + ", got '" + c.getValue(field).unwrapped() + "'");
        }
    }

    /** The run ids in cell order. */
    public List<String> runIds() {
        return cells.stream().map(Cell::runId).toList();
    }
}
