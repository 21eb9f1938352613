package ai.daikiri.learner.concept;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The learner's numbers in one place: which threshold it writes (the simplest number in the
 * gap between two data values, so coverage is that of the data and the text is short) and how
 * it is written (the shortest text that reads back as the same double). DL text, Manchester
 * text and the JSON AST all carry that number; the Python side prints it as given, so the
 * English sentence and the published OWL axiom show the same digits.
 */
public final class Numbers {
    /** Scales tried, coarsest first: millions down to 17 decimals. */
    private static final int COARSEST = -6;
    private static final int FINEST = 17;

    private Numbers() {
    }

    /** {@code 3500} rather than {@code 3500.0}; otherwise Java's shortest round-trip text. */
    public static String text(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Double.toString(value);
    }

    /**
     * The number with the fewest digits strictly between {@code low} and {@code high}, nearest
     * their midpoint: 1377.5 between 1377 and 1378, 8.6 between the floating-point neighbours
     * 8.599999999999994 and 8.600000000000023, 3500 between 3496.2 and 3503.9. Strictly
     * inside, so "below 1377.5" is true of every run it covers whether read as ≤ or as <.
     */
    public static double simplestBetween(double low, double high) {
        double mid = low + (high - low) / 2.0;
        for (int scale = COARSEST; scale <= FINEST; scale++) {
            double candidate = new BigDecimal(mid).setScale(scale, RoundingMode.HALF_EVEN)
                    .doubleValue();
            if (candidate > low && candidate < high) {
                return candidate;
            }
        }
        return mid;
    }
}
