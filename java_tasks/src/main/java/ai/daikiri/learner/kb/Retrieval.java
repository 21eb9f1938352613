package ai.daikiri.learner.kb;

import ai.daikiri.learner.concept.Concept;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Closed-world instance retrieval over a {@link KnowledgeBase} with bitsets: an individual is
 * an instance of ¬C when it is not a retrieved instance of C; ∀r.C holds for individuals all
 * of whose r-successors are instances of C (also those with none). Results are cached (LRU,
 * bounded by the total number of bits held).
 */
public final class Retrieval {
    private final KnowledgeBase kb;
    private final BitSet all;
    private final Map<Concept, BitSet> cache;
    private long cachedBits;
    private final long maxCachedBits;
    private long retrievals;

    public Retrieval(KnowledgeBase kb) {
        this(kb, 2_000_000_000L);
    }

    public Retrieval(KnowledgeBase kb, long maxCachedBits) {
        this.kb = kb;
        this.all = new BitSet(kb.size());
        all.set(0, kb.size());
        this.maxCachedBits = maxCachedBits;
        this.cache = new LinkedHashMap<>(1024, 0.75f, true);
    }

    public KnowledgeBase knowledgeBase() { return kb; }
    public long retrievals() { return retrievals; }

    /** The instances of {@code c}; callers must not modify the returned set. */
    public BitSet instances(Concept c) {
        BitSet hit = cache.get(c);
        if (hit != null) {
            return hit;
        }
        retrievals++;
        BitSet result = compute(c);
        cache.put(c, result);
        cachedBits += kb.size();
        while (cachedBits > maxCachedBits && !cache.isEmpty()) {
            var eldest = cache.keySet().iterator();
            eldest.next();
            eldest.remove();
            cachedBits -= kb.size();
        }
        return result;
    }

    private BitSet compute(Concept c) {
        return c.accept(semantics);
    }

    /** What each kind of expression denotes, over this knowledge base (closed world). */
    private final Concept.Visitor<BitSet> semantics = new Concept.Visitor<>() {
        public BitSet top(Concept.Top c) { return all; }
        public BitSet bottom(Concept.Bottom c) { return new BitSet(kb.size()); }
        public BitSet atomic(Concept.Atomic c) { return kb.instancesOf(c.iri()); }
        public BitSet not(Concept.Not c) {
            BitSet out = (BitSet) all.clone();
            out.andNot(instances(c.operand()));
            return out;
        }
        public BitSet and(Concept.And c) {
            BitSet out = (BitSet) instances(c.operands().get(0)).clone();
            for (int k = 1; k < c.operands().size(); k++) {
                out.and(instances(c.operands().get(k)));
            }
            return out;
        }
        public BitSet or(Concept.Or c) {
            BitSet out = new BitSet(kb.size());
            for (Concept op : c.operands()) {
                out.or(instances(op));
            }
            return out;
        }
        public BitSet some(Concept.Some c) { return Retrieval.this.some(c.role(),
                instances(c.filler())); }
        public BitSet all(Concept.All c) {
            BitSet notFiller = (BitSet) all.clone();
            notFiller.andNot(instances(c.filler()));
            BitSet out = (BitSet) all.clone();
            out.andNot(Retrieval.this.some(c.role(), notFiller));
            return out;
        }
        public BitSet hasValue(Concept.HasValue c) {
            BitSet target = new BitSet(kb.size());
            Integer i = kb.indexOf(c.individual());
            if (i != null) {
                target.set(i);
            }
            return Retrieval.this.some(c.role(), target);
        }
        public BitSet minCard(Concept.MinCard c) {
            return Retrieval.this.minCard(c.n(), c.role(), instances(c.filler()));
        }
        public BitSet dataRange(Concept.DataRange c) {
            return Retrieval.this.dataRange(c.property(), c.min(), c.max());
        }
    };

    /** Individuals with at least one {@code role}-successor in {@code fillers}. */
    private BitSet some(Concept.Role role, BitSet fillers) {
        BitSet out = new BitSet(kb.size());
        KnowledgeBase.Adjacency back = role.inverse() ? kb.successors(role.iri())
                : kb.predecessors(role.iri());
        if (back == null) {
            return out;
        }
        for (int y = fillers.nextSetBit(0); y >= 0; y = fillers.nextSetBit(y + 1)) {
            for (int k = back.offsets()[y]; k < back.offsets()[y + 1]; k++) {
                out.set(back.targets()[k]);
            }
        }
        return out;
    }

    private BitSet minCard(int n, Concept.Role role, BitSet fillers) {
        BitSet out = new BitSet(kb.size());
        KnowledgeBase.Adjacency next = role.inverse() ? kb.predecessors(role.iri())
                : kb.successors(role.iri());
        if (next == null) {
            return out;
        }
        for (int x = 0; x < kb.size(); x++) {
            int count = 0;
            for (int k = next.offsets()[x]; k < next.offsets()[x + 1] && count < n; k++) {
                if (fillers.get(next.targets()[k])) {
                    count++;
                }
            }
            if (count >= n) {
                out.set(x);
            }
        }
        return out;
    }

    /** Individuals with some value of {@code property} in [min, max] (null = open). */
    public BitSet dataRange(String property, Double min, Double max) {
        BitSet out = new BitSet(kb.size());
        KnowledgeBase.NumericValues v = kb.values(property);
        if (v == null) {
            return out;
        }
        int from = min == null ? 0 : lowerBound(v.values(), min);
        int to = max == null ? v.values().length : upperBound(v.values(), max);
        for (int k = from; k < to; k++) {
            out.set(v.owners()[k]);
        }
        return out;
    }

    /** First index with values[i] >= x. */
    public static int lowerBound(double[] values, double x) {
        int i = Arrays.binarySearch(values, x);
        if (i < 0) {
            return -i - 1;
        }
        while (i > 0 && values[i - 1] >= x) {
            i--;
        }
        return i;
    }

    /** First index with values[i] > x. */
    public static int upperBound(double[] values, double x) {
        int i = Arrays.binarySearch(values, x);
        if (i < 0) {
            return -i - 1;
        }
        while (i < values.length && values[i] <= x) {
            i++;
        }
        return i;
    }
}
