package ai.daikiri.learner.search;

import java.util.BitSet;

/** Confusion counts of a hypothesis on a learning problem, and the measures derived from them. */
public record Scores(int tp, int fp, int fn, int tn) {

    public static Scores of(BitSet covered, BitSet positives, BitSet negatives) {
        BitSet hitPos = (BitSet) covered.clone();
        hitPos.and(positives);
        BitSet hitNeg = (BitSet) covered.clone();
        hitNeg.and(negatives);
        int tp = hitPos.cardinality();
        int fp = hitNeg.cardinality();
        return new Scores(tp, fp, positives.cardinality() - tp, negatives.cardinality() - fp);
    }

    public double precision() { return tp + fp == 0 ? 0.0 : (double) tp / (tp + fp); }
    public double recall() { return tp + fn == 0 ? 0.0 : (double) tp / (tp + fn); }
    public double accuracy() {
        int total = tp + fp + fn + tn;
        return total == 0 ? 0.0 : (double) (tp + tn) / total;
    }
    public double f1() {
        return tp == 0 ? 0.0 : 2.0 * tp / (2.0 * tp + fp + fn);
    }
}
