package roster.launcher;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.Document;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A non-unique index kept in memory only, which mongo-java-server 1.47 does not
 * implement (it ignores such indexes and scans).
 *
 * <p>Nothing of it is written to the data file, so there is nothing to keep
 * consistent across a crash: every write maintains it from the moment it exists,
 * and a background pass (see {@link IndexNarrowingH2Collection}) adds the stored
 * documents in chunks, each under the collection's lock. Adding is idempotent and
 * removing an absent entry is a no-op, so a write that lands on a document the
 * pass has not reached yet leaves exactly what the pass will find. Queries use it
 * only once the pass is complete (or at once, when it was created on an empty collection). The collection's lock guards it.
 */
final class InMemorySecondaryIndex extends Index<Object> {

    private static final String ID_FIELD = "_id";

    private final Map<KeyValue, Set<Object>> positionsByKey = new HashMap<>();
    private volatile boolean filled;
    /** whether some document gave an indexed field an array: then one document has several keys */
    private boolean multiKey;

    InMemorySecondaryIndex(String name, List<IndexKey> keys) {
        // sparse: the collection then accepts a null from remove(), the position comes from the _id index
        super(name, keys, true);
    }

    boolean isFilled() {
        return filled;
    }

    void markFilled() {
        filled = true;
    }

    /** Adds one stored document while the collection fills this index. */
    void fill(Document document, Object position) {
        Set<KeyValue> keys = getKeyValues(document);
        if (keys.size() != 1) multiKey = true;
        for (KeyValue key : keys) {
            positionsByKey.computeIfAbsent(key.normalized(), unused -> new LinkedHashSet<>()).add(position);
        }
    }

    private void removePosition(Document document, Object position) {
        for (KeyValue key : getKeyValues(document)) {
            KeyValue normalized = key.normalized();
            Set<Object> positions = positionsByKey.get(normalized);
            if (positions == null) continue;
            positions.remove(position);
            if (positions.isEmpty()) positionsByKey.remove(normalized);
        }
    }

    @Override
    public Object getPosition(Document document) {
        return null;
    }

    @Override
    public void checkAdd(Document document, MongoCollection<Object> collection) {
    }

    @Override
    public void add(Document document, Object position, MongoCollection<Object> collection) {
        fill(document, position);
    }

    @Override
    public Object remove(Document document) {
        // H2Collection's position of a document is its _id (see H2Collection.addDocumentInternal)
        removePosition(document, Missing.ofNullable(Utils.getSubdocumentValue(document, ID_FIELD)));
        return null;
    }

    /** Only an exact lookup: every key of this index, each equal to a plain value (upstream also asks with ranges). */
    @Override
    public boolean canHandle(Document query) {
        if (!filled || !query.keySet().equals(keySetOf())) return false;
        for (Object value : query.values()) {
            if (!IndexNarrowingH2Collection.isPlainValue(value)) return false;
        }
        return true;
    }

    private Set<String> keySetOf() {
        Set<String> names = new LinkedHashSet<>();
        for (IndexKey key : getKeys()) names.add(key.getKey());
        return names;
    }

    /** Positions of the documents whose keys equal the lookup's plain values (a copy: writes may follow). */
    @Override
    public Iterable<Object> getPositions(Document lookup) {
        // the lookup names dotted keys literally ({"a.b": v}), so its values are read by name, not as paths
        List<Object> values = new ArrayList<>();
        for (IndexKey key : getKeys()) values.add(lookup.get(key.getKey()));
        Set<Object> positions = positionsByKey.get(new KeyValue(values).normalized());
        return positions == null ? List.of() : new ArrayList<>(positions);
    }

    /**
     * How many documents match {@code query}, when it is equalities on exactly this index's keys
     * (plain values or null, which matches null and missing) and no document ever had an array
     * in them (so each has exactly one key); -1 when the index cannot tell.
     */
    long countMatching(Document query) {
        if (!filled || multiKey || !query.keySet().equals(keySetOf())) return -1;
        List<List<Object>> alternatives = new ArrayList<>();
        alternatives.add(new ArrayList<>());
        for (IndexKey key : getKeys()) {
            Object value = query.get(key.getKey());
            List<Object> choices;
            if (value == null) choices = List.of(NULL_KEY, Missing.getInstance());
            else if (IndexNarrowingH2Collection.isPlainValue(value)) choices = List.of(value);
            else return -1;
            List<List<Object>> extended = new ArrayList<>();
            for (List<Object> prefix : alternatives) {
                for (Object choice : choices) {
                    List<Object> next = new ArrayList<>(prefix);
                    next.add(choice == NULL_KEY ? null : choice);
                    extended.add(next);
                }
            }
            alternatives = extended;
        }
        // distinct keys hold distinct documents when no document has two keys (null and missing may normalize alike)
        Set<KeyValue> keys = new LinkedHashSet<>();
        for (List<Object> values : alternatives) keys.add(new KeyValue(values).normalized());
        long count = 0;
        for (KeyValue key : keys) {
            Set<Object> positions = positionsByKey.get(key);
            if (positions != null) count += positions.size();
        }
        return count;
    }

    private static final Object NULL_KEY = new Object();

    @Override
    public long getCount() {
        return positionsByKey.size();
    }

    @Override
    public boolean isEmpty() {
        // never "empty", so opening or creating it does not scan the collection twice (a background pass fills it)
        return false;
    }

    @Override
    public long getDataSize() {
        return 0;
    }

    @Override
    public void checkUpdate(Document oldDocument, Document newDocument, MongoCollection<Object> collection) {
    }

    @Override
    public void updateInPlace(Document oldDocument, Document newDocument, Object position, MongoCollection<Object> collection) {
        removePosition(oldDocument, position);
        fill(newDocument, position);
    }

    @Override
    public void drop() {
        positionsByKey.clear();
    }
}
