package org.grokscope.compute.task;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import org.grokscope.compute.rng.SplitMix64;
import org.grokscope.protocol.SpecException;

/**
 * The train/test partition of a dataset by the training fraction alpha. The shuffle comes from
 * the run's seed through {@link SplitMix64}, so one seed gives one split on every machine.
 */
public record Split(Dataset train, Dataset test) {

    /**
     * Shuffles the row indices with {@code new SplitMix64(seed)}; the first floor(alpha·size) rows,
     * in shuffled order, train and the rest, also in shuffled order, test. The product is taken
     * with alpha as the decimal it prints as, so 0.29 of 100 pairs is 29, not the 28 that
     * 0.29 × 100 = 28.999999999999996 in binary floating point would give.
     *
     * @throws SpecException field {@code alpha} unless 0 < alpha < 1 and both parts are non-empty
     */
    public static Split of(Dataset all, double alpha, long seed) {
        int size = all.size();
        int trainSize = trainSize(size, alpha);
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        new SplitMix64(seed).shuffle(order);
        return new Split(all.select(Arrays.copyOfRange(order, 0, trainSize)),
                all.select(Arrays.copyOfRange(order, trainSize, size)));
    }

    /** The split a run of {@code spec} trains on: its task's dataset, alpha and split seed. */
    public static Split of(org.grokscope.protocol.RunSpec spec) {
        return of(Dataset.of(Tasks.parse(spec.task(), spec.p())), spec.alpha(), spec.splitSeed());
    }

    /**
     * floor(alpha·size) with alpha as the decimal it prints as; the check that verbs run on a spec
     * before anything is journaled, so a split with an empty part is a user error, not a run that
     * fails once started.
     *
     * @throws SpecException field {@code alpha} unless 0 < alpha < 1 and both parts are non-empty
     */
    public static int trainSize(int size, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new SpecException("alpha", "must be in (0, 1), got " + format(alpha));
        }
        int trainSize = BigDecimal.valueOf(alpha).multiply(BigDecimal.valueOf(size))
                .setScale(0, RoundingMode.FLOOR).intValueExact();
        if (trainSize == 0) {
            throw new SpecException("alpha", "alpha=" + format(alpha) + " of " + size
                    + " pairs leaves the training set empty: alpha × " + size + " must be at least 1");
        }
        if (trainSize == size) {
            throw new SpecException("alpha", "alpha=" + format(alpha) + " of " + size
                    + " pairs leaves the test set empty; lower alpha");
        }
        return trainSize;
    }

    /**
     * Whether a spec can train at all, checked before anything is journaled: its task parses
     * for its p and its alpha leaves both parts of the split non-empty.
     *
     * @throws SpecException naming the field (task, p, alpha) otherwise
     */
    public static void check(org.grokscope.protocol.RunSpec spec) {
        trainSize(Dataset.size(Tasks.parse(spec.task(), spec.p())), spec.alpha());
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
