package org.grokscope.compute.analysis;

import com.typesafe.config.Config;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.grokscope.protocol.ConfigValues;
import org.grokscope.protocol.SpecException;

/**
 * The analyzers a replay can run over a run's checkpoints, by name, with their parameters from
 * {@code grokscope.analyzers}. Each turns one checkpoint (W1 N×2p, W2 p×N) into named numbers,
 * so new analyzers can be computed over old journals without retraining.
 */
public final class CheckpointAnalysis {
    public static final List<String> ANALYZERS = List.of("ipr", "phases", "coverage", "ffs");
    /** The parameters {@code --set} may change, under {@code grokscope.analyzers}. */
    public static final List<String> PARAMETERS = List.of("ipr.r", "phases.bins", "ffs.eta");
    /** IPR_r with r this large already measures only the largest frequency (the paper uses r = 2). */
    static final int MAX_R = 16;
    /** A tenth of a degree per bin; more only splits the histogram into empty bins (and memory). */
    static final int MAX_BINS = 3600;

    private final List<String> analyzers;
    private final int r;
    private final int bins;
    private final double eta;

    public CheckpointAnalysis(List<String> analyzers, Config config) {
        for (String a : analyzers) {
            if (!ANALYZERS.contains(a)) {
                throw new SpecException("--analyzers", "unknown analyzer '" + a + "'; known: " + String.join(", ", ANALYZERS));
            }
        }
        Config c = config.getConfig("grokscope.analyzers");
        this.analyzers = List.copyOf(analyzers);
        this.r = (int) ConfigValues.integer(c, "ipr.r", "ipr.r", 1, MAX_R);
        this.bins = (int) ConfigValues.integer(c, "phases.bins", "phases.bins", 1, MAX_BINS);
        this.eta = ConfigValues.number(c, "ffs.eta", "ffs.eta");
        if (!(eta > 0 && eta <= 1)) {
            throw new SpecException("ffs.eta", "must be in (0, 1], got " + eta);
        }
    }

    public List<String> analyzers() {
        return analyzers;
    }

    /** The IPR exponent in force. */
    public int r() {
        return r;
    }

    /** The phase histogram's bin count in force. */
    public int bins() {
        return bins;
    }

    /** The scalar results of each analyzer, in the order {@link #analyze} gives them (arrays aside). */
    private static final Map<String, List<String>> SCALARS = Map.of(
            "ipr", List.of("ipr_u", "ipr_v", "ipr_w"),
            "phases", List.of("phase_resultant_length"),
            "coverage", List.of("frequencies_used"),
            "ffs", List.of("ffs_w1", "fcr_w1", "ffs_w2", "fcr_w2"));

    /** The names of the scalar results of the chosen analyzers: a table's columns, known before any checkpoint. */
    public List<String> scalarNames() {
        List<String> names = new java.util.ArrayList<>();
        for (String a : ANALYZERS) {
            if (analyzers.contains(a)) {
                names.addAll(SCALARS.get(a));
            }
        }
        return names;
    }

    /** Named results of every chosen analyzer for one checkpoint, in a stable order. */
    public Map<String, Object> analyze(int p, int width, float[] w1, float[] w2) {
        Map<String, Object> out = new LinkedHashMap<>();
        boolean needFourier = analyzers.contains("ipr") || analyzers.contains("phases") || analyzers.contains("coverage");
        FourierMeasures m = needFourier ? FourierMeasures.of(p, width, w1, w2, r, bins) : null;
        if (analyzers.contains("ipr")) {
            out.put("ipr_u", m.iprU());
            out.put("ipr_v", m.iprV());
            out.put("ipr_w", m.iprW());
        }
        if (analyzers.contains("phases")) {
            out.put("phase_resultant_length", m.resultantLength());
            out.put("phase_histogram", m.histogram());
        }
        if (analyzers.contains("coverage")) {
            out.put("frequencies_used", m.frequenciesUsed());
            out.put("neurons_per_frequency", m.coverage());
        }
        if (analyzers.contains("ffs")) {
            // W1 as one p × 2N block, both operands of every neuron: column j of it starts at
            // j·p (u_k at 2kp, v_k at 2kp + p), so a task whose operands use different
            // frequencies (sub, f1(n) + f2(m)) shows them all
            FourierSparsity emb = FourierSparsity.of(p, 2 * width, w1, 0, 1, p, eta);
            FourierSparsity readout = FourierSparsity.of(p, width, w2, 0, width, 1, eta);
            out.put("ffs_w1", emb.ffs());
            out.put("fcr_w1", emb.fcr());
            out.put("ffs_w2", readout.ffs());
            out.put("fcr_w2", readout.fcr());
        }
        return out;
    }

    /**
     * Bumped whenever an analyzer's definition changes, so old stored results are recomputed.
     * 2: ffs_w1 and fcr_w1 cover both operand blocks of W1 (they covered u only); FFS amplitudes
     * normalised per basis vector (changes even p only); the Nyquist frequency's DFT is exactly real.
     * 3: the phase histogram has a bin centred on 0 (bins were edged at −π + k·2π/bins; this moves
     * every bin of an even count, the default 36, and for an odd count moves a residual of exactly
     * π from the last bin to the first).
     */
    public static final int VERSION = 3;

    /** Flattens a result map into parallel name/value arrays (array entries as name[i]). */
    public static void flatten(Map<String, Object> row, List<String> names, List<Double> values) {
        for (Map.Entry<String, Object> e : row.entrySet()) {
            if (e.getValue() instanceof int[] a) {
                for (int i = 0; i < a.length; i++) {
                    names.add(e.getKey() + "[" + i + "]");
                    values.add((double) a[i]);
                }
            } else {
                names.add(e.getKey());
                values.add(((Number) e.getValue()).doubleValue());
            }
        }
    }

    /** The scalar results that are counts (analyze gives them as Integer; arrays are int[] counts). */
    private static final java.util.Set<String> COUNTS = java.util.Set.of("frequencies_used");

    /**
     * The inverse of {@link #flatten}: journaled names and values back into a result map as
     * {@link #analyze} gives it (name[i] entries as int[], counts as Integer, the rest as Double).
     */
    public static Map<String, Object> unflatten(String[] names, double[] values) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, List<Integer>> arrays = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            int bracket = names[i].indexOf('[');
            if (bracket > 0 && names[i].endsWith("]")) {
                String name = names[i].substring(0, bracket);
                if (!arrays.containsKey(name)) {
                    arrays.put(name, new java.util.ArrayList<>());
                    out.put(name, null); // holds the array's place in the order
                }
                arrays.get(name).add((int) values[i]);
            } else {
                out.put(names[i], COUNTS.contains(names[i]) ? (Object) (int) values[i] : (Object) values[i]);
            }
        }
        arrays.forEach((name, list) -> out.put(name, list.stream().mapToInt(Integer::intValue).toArray()));
        return out;
    }

    /** The parameters in force, recorded with every replay output. */
    public String parameters() {
        return String.format(Locale.ROOT, "ipr.r=%d phases.bins=%d ffs.eta=%s", r, bins, eta);
    }
}
