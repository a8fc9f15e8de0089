package roster.launcher;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.QueryResult;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.MVMap;

import java.time.Instant;
import java.util.Date;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * H2 collection that answers a query from an index whenever the query pins
 * every key of that index, not only (as upstream) from a unique index whose
 * keys are exactly the query's fields.
 *
 * <p>mongo-java-server 1.47 uses an index only for a query whose field set
 * equals the index's key set: {@code {tenant, _id}} is served by a unique
 * {@code {tenant, _id}} index, but {@code {tenant, _id, deletedAt: null}} or
 * {@code {$and: [{tenant, deletedAt: null}, {userNameKey}]}} read the whole
 * collection. Here the equality conditions of the query (top level and inside a
 * top-level {@code $and}), plain values or {@code $in} lists, select the index
 * entries, and the whole query is still matched against the documents found, so
 * the result is the same as a scan's (without a sort, in the order of the lookups).
 */
final class IndexNarrowingH2Collection extends H2Collection {

    /** beyond this many exact-key lookups (the product of the {@code $in} lists), one scan is cheaper */
    private static final int MAX_LOOKUPS = 10_000;

    IndexNarrowingH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                               MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        Map<String, List<Object>> pinned = new HashMap<>();
        Set<String> unusable = new HashSet<>();
        collect(query, pinned, unusable);
        pinned.keySet().removeAll(unusable);
        // unique indexes first: they give at most one document per lookup
        for (boolean unique : new boolean[] {true, false}) {
            for (Index<Object> index : getIndexes()) {
                if (index.isUnique() != unique || !pinsEveryKey(index, pinned)) continue;
                synchronized (this) {
                    if (index instanceof InMemorySecondaryIndex secondary && !secondary.isFilled()) fillSecondaryIndexes();
                    List<Document> lookups = lookups(index, pinned);
                    if (lookups.isEmpty()) continue;
                    Set<Object> positions = new LinkedHashSet<>();
                    for (Document lookup : lookups) {
                        for (Object position : index.getPositions(lookup)) positions.add(position);
                    }
                    return matchDocuments(query, positions, orderBy, numberToSkip, limit, batchSize, fieldSelector);
                }
            }
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    private static boolean pinsEveryKey(Index<Object> index, Map<String, List<Object>> pinned) {
        for (IndexKey key : index.getKeys()) {
            if (!pinned.containsKey(key.getKey())) return false;
        }
        return true;
    }

    /** One pass over the stored documents fills every in-memory index of this collection not yet filled. */
    private void fillSecondaryIndexes() {
        List<InMemorySecondaryIndex> unfilled = new ArrayList<>();
        for (Index<Object> index : getIndexes()) {
            if (index instanceof InMemorySecondaryIndex secondary && !secondary.isFilled()) unfilled.add(secondary);
        }
        streamAllDocumentsWithPosition().forEach(stored -> {
            for (InMemorySecondaryIndex index : unfilled) index.fill(stored.getDocument(), stored.getPosition());
        });
        for (InMemorySecondaryIndex index : unfilled) index.markFilled();
    }

    /** One exact-key lookup per combination of the values the query allows for the index's keys; none if a key is free. */
    private static List<Document> lookups(Index<Object> index, Map<String, List<Object>> pinned) {
        List<Document> lookups = List.of(new Document());
        for (IndexKey key : index.getKeys()) {
            List<Object> values = pinned.get(key.getKey());
            if (values == null || (long) lookups.size() * values.size() > MAX_LOOKUPS) return List.of();
            List<Document> extended = new ArrayList<>(lookups.size() * values.size());
            for (Document lookup : lookups) {
                for (Object value : values) {
                    Document next = new Document(lookup);
                    next.put(key.getKey(), value);
                    extended.add(next);
                }
            }
            lookups = extended;
        }
        for (Document lookup : lookups) {
            if (!index.canHandle(lookup)) return List.of();
        }
        return lookups;
    }

    /**
     * Collects the values each field must take: a plain value or an {@code $in} of
     * plain values, at the top level or inside a top-level {@code $and}. A field
     * constrained twice is left out (marked unusable) rather than intersected.
     */
    private static void collect(Document query, Map<String, List<Object>> pinned, Set<String> unusable) {
        for (Map.Entry<String, Object> condition : query.entrySet()) {
            String field = condition.getKey();
            Object value = condition.getValue();
            if (field.equals("$and") && value instanceof List<?> clauses) {
                for (Object clause : clauses) {
                    if (clause instanceof Document document) collect(document, pinned, unusable);
                }
                continue;
            }
            if (field.startsWith("$")) continue;
            List<Object> values = allowedValues(value);
            if (values == null) continue;
            if (pinned.putIfAbsent(field, values) != null) unusable.add(field);
        }
    }

    private static List<Object> allowedValues(Object condition) {
        if (isPlainValue(condition)) return List.of(condition);
        if (condition instanceof Document operator && operator.size() == 1 && operator.get("$in") instanceof Collection<?> in) {
            List<Object> values = new ArrayList<>(in.size());
            for (Object value : in) {
                if (!isPlainValue(value)) return null;
                values.add(value);
            }
            return values;
        }
        return null;
    }

    /** Equality with a value an index key can hold: no operator document, array, null (matches missing) or pattern. */
    static boolean isPlainValue(Object value) {
        return value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Instant
            || value instanceof Date || value instanceof UUID || value instanceof ObjectId;
    }
}
