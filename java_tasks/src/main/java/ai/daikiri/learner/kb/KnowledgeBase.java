package ai.daikiri.learner.kb;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A compact, integer-indexed, closed-world view of an ontology's ABox for fast instance
 * retrieval: one bitset per named class (instances of subclasses included), adjacency arrays
 * per object property (both directions) and sorted (value, individual) arrays per numeric data
 * property. No OWL API axiom object is kept per assertion, so a million individuals fit.
 *
 * <p>Built once by {@link Builder}; immutable afterwards.
 */
public final class KnowledgeBase {

    /** Sorted numeric assertions of one data property. */
    public record NumericValues(double[] values, int[] owners) {
        /** Distinct values in ascending order. */
        public double[] distinct() {
            return Arrays.stream(values).distinct().toArray();
        }
    }

    /** Compressed adjacency: successors of i are targets[offsets[i] .. offsets[i+1]). */
    public record Adjacency(int[] offsets, int[] targets) {
        public int degree(int i) { return offsets[i + 1] - offsets[i]; }
    }

    private final List<String> individuals;
    private final Map<String, Integer> index;
    private final Map<String, BitSet> classInstances;
    private final Map<String, Set<String>> subClasses;
    private final Map<String, Set<String>> superClasses;
    private final Map<String, Adjacency> forward;
    private final Map<String, Adjacency> backward;
    private final Map<String, NumericValues> numeric;
    private final Map<String, String> labels;
    private final String tboxReader;

    private KnowledgeBase(Builder b) {
        this.individuals = List.copyOf(b.individuals);
        this.index = Collections.unmodifiableMap(b.index);
        int n = individuals.size();
        this.subClasses = freeze(b.subClasses);
        this.superClasses = new HashMap<>();
        for (String cls : b.classes) {
            superClasses.put(cls, new LinkedHashSet<>());
            subClasses.putIfAbsent(cls, Set.of());
        }
        b.subClasses.forEach((sup, subs) -> subs.forEach(
                sub -> superClasses.computeIfAbsent(sub, k -> new LinkedHashSet<>()).add(sup)));
        this.classInstances = closeUnderHierarchy(b.classes, b.classAssertions, n);
        this.forward = new HashMap<>();
        this.backward = new HashMap<>();
        for (Map.Entry<String, List<int[]>> e : b.edges.entrySet()) {
            forward.put(e.getKey(), adjacency(e.getValue(), n, false));
            backward.put(e.getKey(), adjacency(e.getValue(), n, true));
        }
        for (String p : b.objectProperties) {
            forward.putIfAbsent(p, adjacency(List.of(), n, false));
            backward.putIfAbsent(p, adjacency(List.of(), n, true));
        }
        this.numeric = new HashMap<>();
        b.values.forEach((p, list) -> numeric.put(p, sortValues(list)));
        for (String p : b.dataProperties) {
            numeric.putIfAbsent(p, new NumericValues(new double[0], new int[0]));
        }
        this.labels = Map.copyOf(b.labels);
        this.tboxReader = b.tboxReader;
    }

    public int size() { return individuals.size(); }
    public String individual(int i) { return individuals.get(i); }
    public Integer indexOf(String iri) { return index.get(iri); }
    public Set<String> classes() { return classInstances.keySet(); }
    public Set<String> objectProperties() { return forward.keySet(); }
    public Set<String> dataProperties() { return numeric.keySet(); }
    public Set<String> subClassesOf(String cls) { return subClasses.getOrDefault(cls, Set.of()); }
    public Set<String> superClassesOf(String cls) { return superClasses.getOrDefault(cls, Set.of()); }
    public NumericValues values(String property) { return numeric.get(property); }
    public Adjacency successors(String property) { return forward.get(property); }
    public Adjacency predecessors(String property) { return backward.get(property); }
    public String label(String iri) { return labels.get(iri); }
    /** Which reader read the TBox ("rdf/xml" or "owl api"; empty when built in code). */
    public String tboxReader() { return tboxReader; }

    /**
     * A SHA-256 digest of everything the knowledge base holds — individuals, classes and
     * properties, the told class hierarchy, labels and every assertion — independent of the
     * order it was read in, so two readers of one file can be compared exactly.
     */
    public String fingerprint() {
        List<String> lines = new ArrayList<>();
        individuals.forEach(i -> lines.add("individual " + i));
        classInstances.forEach((cls, members) -> {
            lines.add("class " + cls);
            members.stream().forEach(i -> lines.add("instance " + cls + " " + individuals.get(i)));
        });
        subClasses.forEach((sup, subs) -> subs.forEach(
                sub -> lines.add("subclass " + sub + " " + sup)));
        forward.forEach((p, a) -> {
            lines.add("object property " + p);
            for (int i = 0; i < size(); i++) {
                for (int k = a.offsets()[i]; k < a.offsets()[i + 1]; k++) {
                    lines.add("edge " + p + " " + individuals.get(i) + " "
                            + individuals.get(a.targets()[k]));
                }
            }
        });
        numeric.forEach((p, v) -> {
            lines.add("data property " + p);
            for (int k = 0; k < v.values().length; k++) {
                lines.add("value " + p + " " + individuals.get(v.owners()[k]) + " "
                        + v.values()[k]);
            }
        });
        labels.forEach((iri, label) -> lines.add("label " + iri + " " + label));
        Collections.sort(lines);
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String line : lines) {
                sha.update((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Instances of a named class (closed world, subclasses included); never null. */
    public BitSet instancesOf(String cls) {
        BitSet found = classInstances.get(cls);
        return found == null ? new BitSet(size()) : found;
    }

    /** Classes with no named superclass (below owl:Thing). */
    public List<String> topClasses() {
        List<String> tops = new ArrayList<>();
        for (String c : classes()) {
            if (superClassesOf(c).isEmpty()) {
                tops.add(c);
            }
        }
        Collections.sort(tops);
        return tops;
    }

    public long assertionCount() {
        long count = 0;
        for (Adjacency a : forward.values()) {
            count += a.targets().length;
        }
        for (NumericValues v : numeric.values()) {
            count += v.values().length;
        }
        return count;
    }

    private Map<String, BitSet> closeUnderHierarchy(Set<String> classes,
            Map<String, List<Integer>> assertions, int n) {
        Map<String, BitSet> direct = new HashMap<>();
        for (String cls : classes) {
            BitSet bits = new BitSet(n);
            for (int i : assertions.getOrDefault(cls, List.of())) {
                bits.set(i);
            }
            direct.put(cls, bits);
        }
        Map<String, BitSet> closed = new HashMap<>();
        for (String cls : classes) {
            closed.put(cls, collect(cls, direct, new HashSet<>()));
        }
        return Collections.unmodifiableMap(closed);
    }

    private BitSet collect(String cls, Map<String, BitSet> direct, Set<String> visiting) {
        BitSet bits = (BitSet) direct.getOrDefault(cls, new BitSet()).clone();
        if (!visiting.add(cls)) {
            return bits;
        }
        for (String sub : subClassesOf(cls)) {
            bits.or(collect(sub, direct, visiting));
        }
        visiting.remove(cls);
        return bits;
    }

    private static Adjacency adjacency(List<int[]> edges, int n, boolean reverse) {
        int[] offsets = new int[n + 1];
        for (int[] e : edges) {
            offsets[(reverse ? e[1] : e[0]) + 1]++;
        }
        for (int i = 0; i < n; i++) {
            offsets[i + 1] += offsets[i];
        }
        int[] fill = Arrays.copyOf(offsets, n);
        int[] targets = new int[edges.size()];
        for (int[] e : edges) {
            int from = reverse ? e[1] : e[0];
            targets[fill[from]++] = reverse ? e[0] : e[1];
        }
        return new Adjacency(offsets, targets);
    }

    /**
     * The (value, owner) pairs ordered by value (Double.compare order: -0.0 before 0.0, NaN
     * last), pairs with equal values in the order they were added. Primitive arrays only:
     * sorting boxed indices with a comparator took seconds for a million values, and a binary
     * search per value for its place a fifth of loading 11 million triples.
     */
    private static NumericValues sortValues(DoubleIntList list) {
        int size = list.size;
        int[] order = stableOrder(list.values, size);
        double[] values = new double[size];
        int[] owners = new int[size];
        for (int k = 0; k < size; k++) {
            values[k] = list.values[order[k]];
            owners[k] = list.owners[order[k]];
        }
        return new NumericValues(values, owners);
    }

    /**
     * The positions of the first {@code size} values in Double.compare order, equal values in
     * position order: a least-significant-digit radix sort (stable) of the values' bits made
     * to sort as unsigned numbers, a byte per pass, skipping bytes all values share.
     */
    static int[] stableOrder(double[] raw, int size) {
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) {
            long bits = Double.doubleToLongBits(raw[i]); // one NaN; -0.0 and 0.0 apart
            keys[i] = (bits < 0 ? ~bits : bits ^ Long.MIN_VALUE); // negatives reversed, below
        }
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        int[] next = new int[size];
        int[] counts = new int[257];
        for (int shift = 0; shift < 64; shift += 8) {
            Arrays.fill(counts, 0);
            for (int i = 0; i < size; i++) {
                counts[(int) (keys[i] >>> shift & 0xFF) + 1]++;
            }
            if (size == 0 || counts[(int) (keys[0] >>> shift & 0xFF) + 1] == size) {
                continue; // every value has this byte: the order stands
            }
            for (int b = 0; b < 256; b++) {
                counts[b + 1] += counts[b];
            }
            for (int i = 0; i < size; i++) {
                int position = order[i];
                next[counts[(int) (keys[position] >>> shift & 0xFF)]++] = position;
            }
            int[] swap = order;
            order = next;
            next = swap;
        }
        return order;
    }

    private static Map<String, Set<String>> freeze(Map<String, Set<String>> map) {
        Map<String, Set<String>> copy = new HashMap<>();
        map.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
        return copy;
    }

    /** A growable (double, int) array pair, far smaller than boxed lists. */
    static final class DoubleIntList {
        private double[] values = new double[16];
        private int[] owners = new int[16];
        private int size;

        void add(double value, int owner) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
                owners = Arrays.copyOf(owners, size * 2);
            }
            values[size] = value;
            owners[size++] = owner;
        }
    }

    /** Collects individuals, classes and assertions, then freezes them into a KnowledgeBase. */
    public static final class Builder {
        private final List<String> individuals = new ArrayList<>();
        private final Map<String, Integer> index = new HashMap<>();
        private final Set<String> classes = new LinkedHashSet<>();
        private final Set<String> objectProperties = new LinkedHashSet<>();
        private final Set<String> dataProperties = new LinkedHashSet<>();
        private final Map<String, Set<String>> subClasses = new HashMap<>();
        private final Map<String, List<Integer>> classAssertions = new HashMap<>();
        private final Map<String, List<int[]>> edges = new LinkedHashMap<>();
        private final Map<String, DoubleIntList> values = new LinkedHashMap<>();
        private final Map<String, String> labels = new HashMap<>();
        private String tboxReader = "";

        public int individual(String iri) {
            Integer known = index.get(iri);
            if (known != null) {
                return known;
            }
            int id = individuals.size();
            individuals.add(iri);
            index.put(iri, id);
            return id;
        }

        public Builder declareClass(String cls) {
            classes.add(cls);
            return this;
        }

        public Builder declareObjectProperty(String property) {
            objectProperties.add(property);
            return this;
        }

        public Builder declareDataProperty(String property) {
            dataProperties.add(property);
            return this;
        }

        public boolean isClass(String iri) { return classes.contains(iri); }
        public boolean isObjectProperty(String iri) { return objectProperties.contains(iri); }
        public boolean isDataProperty(String iri) { return dataProperties.contains(iri); }

        public Builder subClassOf(String sub, String sup) {
            if (!sub.equals(sup)) {
                declareClass(sub).declareClass(sup);
                subClasses.computeIfAbsent(sup, k -> new LinkedHashSet<>()).add(sub);
            }
            return this;
        }

        /** An entity's label; of several, the first in sort order (so any reading order
         * gives the same knowledge base). */
        public Builder label(String iri, String label) {
            labels.merge(iri, label, (a, b) -> a.compareTo(b) <= 0 ? a : b);
            return this;
        }

        public Builder tboxReader(String reader) {
            tboxReader = reader;
            return this;
        }

        public Builder classAssertion(String cls, String individualIri) {
            declareClass(cls);
            classAssertions.computeIfAbsent(cls, k -> new ArrayList<>())
                    .add(individual(individualIri));
            return this;
        }

        public Builder objectAssertion(String property, String subject, String object) {
            declareObjectProperty(property);
            edges.computeIfAbsent(property, k -> new ArrayList<>())
                    .add(new int[] {individual(subject), individual(object)});
            return this;
        }

        public Builder dataAssertion(String property, String subject, double value) {
            declareDataProperty(property);
            values.computeIfAbsent(property, k -> new DoubleIntList())
                    .add(value, individual(subject));
            return this;
        }

        public KnowledgeBase build() {
            return new KnowledgeBase(this);
        }
    }
}
