package ai.daikiri.learner.search;

import ai.daikiri.learner.concept.Concept;
import ai.daikiri.learner.kb.KnowledgeBase;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A CELOE-style downward refinement operator: ⊤ refines to the most general building blocks
 * (top classes, negated leaf classes, ∃r.⊤ over every role and inverse role, hasValue for roles
 * with few objects, and numeric ranges at split points chosen from the examples' values);
 * a class refines to its subclasses, ∃r.C to ∃r.C' and ≥2 r.C, numeric ranges tighten to the
 * next split, and any expression can gain a conjunct. Conjunctions and disjunctions refine one
 * operand at a time. Every refinement is at most {@code maxLength} long.
 */
public final class RefinementOperator {

    /** What the operator may build. */
    public record Options(boolean negation, boolean universal, boolean cardinality,
            boolean hasValue, int splitsPerProperty, int maxCardinality) {
        public static Options defaults() {
            return new Options(true, false, true, true, 12, 4);
        }
    }

    private static final int SMALL_VOCABULARY = 200;
    private final KnowledgeBase kb;
    private final Options options;
    private final Set<String> ignored;
    private final List<Concept> building;
    private final java.util.Map<String, double[]> splits = new java.util.HashMap<>();

    /**
     * @param ignored classes and properties no expression may use (the target's own classes,
     *     entities a person excluded); an ignored class's usable subclasses stay usable
     */
    public RefinementOperator(KnowledgeBase kb, BitSet examples, Set<String> ignored,
            Options options) {
        this.kb = kb;
        this.options = options;
        this.ignored = Set.copyOf(ignored);
        for (String p : dataProperties()) {
            double[] cuts = splitPoints(kb.values(p), examples, options.splitsPerProperty());
            if (cuts.length > 0) {
                splits.put(p, cuts);
            }
        }
        this.building = computeBuildingBlocks();
    }

    /** The numeric properties expressions may use, in a fixed order. */
    public List<String> dataProperties() {
        List<String> out = new ArrayList<>();
        for (String p : new TreeSet<>(kb.dataProperties())) {
            if (!ignored.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /** The building blocks that refine ⊤ and that any expression may add as a conjunct. */
    public List<Concept> buildingBlocks() {
        return building;
    }

    private List<Concept> computeBuildingBlocks() {
        Set<Concept> blocks = new LinkedHashSet<>();
        // Small vocabularies: every class with instances is a block, so "Male" is found as
        // directly as "¬Female"; large ones start from the top classes and refine downwards.
        List<String> start = kb.classes().size() <= SMALL_VOCABULARY
                ? new ArrayList<>(kb.classes()) : kb.topClasses();
        for (String cls : usable(start)) {
            if (!kb.instancesOf(cls).isEmpty()) {
                blocks.add(new Concept.Atomic(cls));
            }
        }
        if (options.negation()) {
            for (String cls : new TreeSet<>(kb.classes())) {
                if (!ignored.contains(cls) && kb.subClassesOf(cls).isEmpty()
                        && !kb.instancesOf(cls).isEmpty()) {
                    blocks.add(new Concept.Not(new Concept.Atomic(cls)));
                }
            }
        }
        for (String p : new TreeSet<>(kb.objectProperties())) {
            if (ignored.contains(p) || kb.successors(p).targets().length == 0) {
                continue;
            }
            for (boolean inverse : new boolean[] {false, true}) {
                Concept.Role role = new Concept.Role(p, inverse);
                blocks.add(new Concept.Some(role, Concept.TOP));
                if (options.universal()) {
                    blocks.add(new Concept.All(role, Concept.TOP));
                }
            }
            if (options.hasValue()) {
                int[] targets = kb.successors(p).targets();
                Set<Integer> objects = new TreeSet<>();
                for (int t : targets) {
                    objects.add(t);
                    if (objects.size() > 16) {
                        break;
                    }
                }
                if (objects.size() <= 16) {
                    for (int o : objects) {
                        blocks.add(new Concept.HasValue(new Concept.Role(p, false),
                                kb.individual(o)));
                    }
                }
            }
        }
        for (String p : new TreeSet<>(splits.keySet())) {
            for (double cut : splits.get(p)) {
                blocks.add(new Concept.DataRange(p, cut, null));
                blocks.add(new Concept.DataRange(p, null, cut));
            }
        }
        return List.copyOf(blocks);
    }

    /** All refinements of {@code c} no longer than {@code maxLength}. */
    public Set<Concept> refine(Concept c, int maxLength) {
        Set<Concept> out = new LinkedHashSet<>();
        refineInto(c, maxLength, true, out);
        out.remove(c);
        return out;
    }

    private void refineInto(Concept c, int maxLength, boolean addConjuncts, Set<Concept> out) {
        if (c instanceof Concept.Top) {
            for (Concept b : building) {
                if (b.length() <= maxLength) {
                    out.add(b);
                }
            }
            return;
        }
        if (c instanceof Concept.Atomic a) {
            for (String sub : usable(kb.subClassesOf(a.iri()))) {
                out.add(new Concept.Atomic(sub));
            }
        } else if (c instanceof Concept.Not n && n.operand() instanceof Concept.Atomic a) {
            for (String sup : kb.superClassesOf(a.iri())) {
                if (!ignored.contains(sup)) {
                    out.add(new Concept.Not(new Concept.Atomic(sup)));
                }
            }
        } else if (c instanceof Concept.Some s) {
            for (Concept f : refine(s.filler(), maxLength - 2)) {
                out.add(new Concept.Some(s.role(), f));
            }
            if (options.cardinality() && s.length() + 1 <= maxLength) {
                out.add(new Concept.MinCard(2, s.role(), s.filler()));
            }
        } else if (c instanceof Concept.All a) {
            for (Concept f : refine(a.filler(), maxLength - 2)) {
                out.add(new Concept.All(a.role(), f));
            }
        } else if (c instanceof Concept.MinCard m) {
            if (m.n() < options.maxCardinality()) {
                out.add(new Concept.MinCard(m.n() + 1, m.role(), m.filler()));
            }
            for (Concept f : refine(m.filler(), maxLength - 3)) {
                out.add(new Concept.MinCard(m.n(), m.role(), f));
            }
        } else if (c instanceof Concept.DataRange d) {
            tighten(d, out);
        } else if (c instanceof Concept.And and) {
            List<Concept> ops = and.operands();
            for (int i = 0; i < ops.size(); i++) {
                Set<Concept> inner = new LinkedHashSet<>();
                refineInto(ops.get(i), maxLength - (and.length() - ops.get(i).length()), false,
                        inner);
                for (Concept r : inner) {
                    List<Concept> next = new ArrayList<>(ops);
                    next.set(i, r);
                    Concept built = Concept.and(next);
                    if (built.length() <= maxLength) {
                        out.add(built);
                    }
                }
            }
        } else if (c instanceof Concept.Or or) {
            List<Concept> ops = or.operands();
            for (int i = 0; i < ops.size(); i++) {
                for (Concept r : refine(ops.get(i), maxLength - (or.length() - ops.get(i).length()))) {
                    List<Concept> next = new ArrayList<>(ops);
                    next.set(i, r);
                    out.add(Concept.or(next));
                }
            }
        }
        if (addConjuncts) {
            addConjuncts(c, maxLength, out);
        }
    }

    private void addConjuncts(Concept c, int maxLength, Set<Concept> out) {
        if (c.length() + 2 > maxLength) {
            return;
        }
        List<Concept> present = c instanceof Concept.And a ? a.operands() : List.of(c);
        for (Concept b : building) {
            if (c.length() + b.length() + 1 > maxLength || redundant(b, present)) {
                continue;
            }
            List<Concept> next = new ArrayList<>(present);
            next.add(b);
            out.add(Concept.and(next));
        }
    }

    /** Adding {@code b} says nothing new: present already, or a class-hierarchy relative. */
    private boolean redundant(Concept b, List<Concept> present) {
        for (Concept p : present) {
            if (p.equals(b)) {
                return true;
            }
            if (b instanceof Concept.Atomic x && p instanceof Concept.Atomic y
                    && (related(x.iri(), y.iri()) || related(y.iri(), x.iri()))) {
                return true;
            }
            if (b instanceof Concept.DataRange x && p instanceof Concept.DataRange y
                    && x.property().equals(y.property())
                    && (x.min() != null) == (y.min() != null)) {
                return true;
            }
        }
        return false;
    }

    private boolean related(String sub, String sup) {
        for (String s : kb.superClassesOf(sub)) {
            if (s.equals(sup) || related(s, sup)) {
                return true;
            }
        }
        return false;
    }

    private void tighten(Concept.DataRange d, Set<Concept> out) {
        double[] cuts = splits.get(d.property());
        if (cuts == null) {
            return;
        }
        if (d.min() != null) {
            for (double cut : cuts) {
                if (cut > d.min() && (d.max() == null || cut <= d.max())) {
                    out.add(new Concept.DataRange(d.property(), cut, d.max()));
                    break;
                }
            }
        }
        if (d.max() != null) {
            for (int i = cuts.length - 1; i >= 0; i--) {
                if (cuts[i] < d.max() && (d.min() == null || cuts[i] >= d.min())) {
                    out.add(new Concept.DataRange(d.property(), d.min(), cuts[i]));
                    break;
                }
            }
        }
    }

    /** Classes usable in expressions: not ignored, or else their usable subclasses. */
    private List<String> usable(Iterable<String> classes) {
        Set<String> out = new TreeSet<>();
        for (String cls : classes) {
            if (ignored.contains(cls)) {
                out.addAll(usable(kb.subClassesOf(cls)));
            } else {
                out.add(cls);
            }
        }
        return new ArrayList<>(out);
    }

    /**
     * Up to {@code count} split points between distinct values of the examples, at evenly
     * spaced quantiles, each the midpoint between two adjacent distinct values.
     */
    static double[] splitPoints(KnowledgeBase.NumericValues values, BitSet examples, int count) {
        if (values == null || count < 1) {
            return new double[0];
        }
        TreeSet<Double> seen = new TreeSet<>();
        List<Double> ordered = new ArrayList<>();
        for (int k = 0; k < values.values().length; k++) {
            if (examples.get(values.owners()[k])) {
                ordered.add(values.values()[k]);
                seen.add(values.values()[k]);
            }
        }
        if (seen.size() < 2) {
            return new double[0];
        }
        Set<Double> cuts = new TreeSet<>();
        for (int q = 1; q <= count; q++) {
            double at = ordered.get(Math.min(ordered.size() - 1, q * ordered.size() / (count + 1)));
            Double below = seen.lower(at);
            if (below == null) {
                Double above = seen.higher(at);
                if (above != null) {
                    cuts.add((at + above) / 2.0);
                }
            } else {
                cuts.add((below + at) / 2.0);
            }
        }
        return cuts.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
