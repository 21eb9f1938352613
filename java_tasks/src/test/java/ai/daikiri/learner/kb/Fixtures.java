package ai.daikiri.learner.kb;

/** Small knowledge bases built in code for the unit tests. */
public final class Fixtures {
    public static final String NS = "http://example.org/t#";

    private Fixtures() {
    }

    public static String iri(String name) {
        return NS + name;
    }

    /**
     * Grandpa → (Dad, Aunt); Dad → (Son, Girl); Mum married in. Male/Female under Person;
     * numeric "age" per person.
     */
    public static KnowledgeBase family() {
        KnowledgeBase.Builder b = new KnowledgeBase.Builder();
        b.subClassOf(iri("Male"), iri("Person")).subClassOf(iri("Female"), iri("Person"));
        String[][] people = {{"grandpa", "Male", "80"}, {"dad", "Male", "50"},
            {"aunt", "Female", "47"}, {"mum", "Female", "52"}, {"son", "Male", "60"},
            {"girl", "Female", "17"}};
        for (String[] p : people) {
            b.classAssertion(iri(p[1]), iri(p[0]));
            b.dataAssertion(iri("age"), iri(p[0]), Double.parseDouble(p[2]));
        }
        String[][] children = {{"grandpa", "dad"}, {"grandpa", "aunt"}, {"dad", "son"},
            {"dad", "girl"}, {"mum", "son"}, {"mum", "girl"}};
        for (String[] c : children) {
            b.objectAssertion(iri("hasChild"), iri(c[0]), iri(c[1]));
        }
        return b.build();
    }
}
