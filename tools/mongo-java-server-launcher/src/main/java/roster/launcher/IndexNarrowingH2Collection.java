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
import org.h2.mvstore.Cursor;
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
    private static final String ID_FIELD = "_id";

    IndexNarrowingH2Collection(MongoDatabase database, String collectionName, CollectionOptions options,
                               MVMap<Object, Document> dataMap, MVMap<String, Object> metaMap, CursorRegistry cursorRegistry) {
        super(database, collectionName, options, dataMap, metaMap, cursorRegistry);
        this.data = dataMap;
    }

    @Override
    protected QueryResult queryDocuments(Document query, Document orderBy, int numberToSkip, int limit, int batchSize,
                                         Document fieldSelector) {
        Map<String, List<Object>> pinned = new HashMap<>();
        Set<String> unusable = new HashSet<>();
        collect(query, pinned, unusable);
        pinned.keySet().removeAll(unusable);
        synchronized (this) {
            // unique indexes first: they give at most one document per lookup
            for (boolean unique : new boolean[] {true, false}) {
                for (Index<Object> index : getIndexes()) {
                    if (index.isUnique() != unique || !pinsEveryKey(index, pinned)) continue;
                    if (index instanceof InMemorySecondaryIndex secondary && !awaitFilled(secondary)) continue;
                    List<Document> lookups = lookups(index, pinned);
                    if (lookups.isEmpty()) continue;
                    Set<Object> positions = new LinkedHashSet<>();
                    for (Document lookup : lookups) {
                        for (Object position : index.getPositions(lookup)) positions.add(position);
                    }
                    return matchDocuments(query, positions, orderBy, numberToSkip, limit, batchSize, fieldSelector);
                }
            }
            List<Object> walked = walkInIdOrder(query, orderBy, numberToSkip, limit);
            if (walked != null) return matchDocuments(query, walked, orderBy, 0, limit, batchSize, fieldSelector);
        }
        return super.queryDocuments(query, orderBy, numberToSkip, limit, batchSize, fieldSelector);
    }

    /**
     * The positions of the matches {@code skip} to {@code skip + |limit|} of a query sorted by
     * {@code _id} alone, found by walking the data map in key order (its keys are the {@code _id}s)
     * and stopping there, instead of matching and sorting the whole collection; null when the walk
     * cannot give the sort's order.
     *
     * <p>The data map orders keys by type first, then within a type; when its first and last keys
     * are both strings every key is, and strings compare as mongo-java-server sorts them
     * ({@link String#compareTo}). A string {@code _id} bound of the query ({@code $gt}, a cursor)
     * starts the walk there; every document walked is still matched against the whole query.
     */
    private List<Object> walkInIdOrder(Document query, Document orderBy, int numberToSkip, int limit) {
        if (limit == 0 || orderBy == null || orderBy.size() != 1 || !(orderBy.get(ID_FIELD) instanceof Number direction)) return null;
        Object first = data.firstKey();
        if (!(first instanceof String) || !(data.lastKey() instanceof String)) return null;
        boolean reverse = direction.doubleValue() < 0;
        String from = idBound(query, reverse);
        long wanted = (long) Math.max(numberToSkip, 0) + Math.abs((long) limit);
        List<Object> positions = new ArrayList<>();
        long matched = 0;
        Cursor<Object, Document> cursor = data.cursor(from, null, reverse);
        while (matched < wanted && cursor.hasNext()) {
            Object key = cursor.next();
            if (!documentMatchesQuery(cursor.getValue(), query)) continue;
            if (matched++ >= numberToSkip) positions.add(key);
        }
        return positions;
    }

    /** The tightest string bound on {@code _id} in the walk's direction, top level or in a top-level {@code $and}; null for none. */
    private static String idBound(Document query, boolean reverse) {
        String bound = null;
        List<Document> clauses = new ArrayList<>();
        clauses.add(query);
        if (query.get("$and") instanceof List<?> and) {
            for (Object clause : and) if (clause instanceof Document document) clauses.add(document);
        }
        for (Document clause : clauses) {
            if (!(clause.get(ID_FIELD) instanceof Document condition)) continue;
            for (String operator : reverse ? List.of("$lt", "$lte") : List.of("$gt", "$gte")) {
                if (!(condition.get(operator) instanceof String value)) continue;
                if (bound == null || (reverse ? value.compareTo(bound) < 0 : value.compareTo(bound) > 0)) bound = value;
            }
        }
        return bound;
    }

    /** A count the in-memory indexes can give without reading documents (see {@link InMemorySecondaryIndex#countMatching}). */
    @Override
    public int count(Document query, int skip, int limit) {
        Document equalities = flatEqualities(query);
        if (equalities != null) {
            synchronized (this) {
                for (Index<Object> index : getIndexes()) {
                    if (!(index instanceof InMemorySecondaryIndex secondary)) continue;
                    if (!awaitFilled(secondary)) continue;
                    long count = secondary.countMatching(equalities);
                    if (count < 0) continue;
                    long counted = Math.max(0, count - Math.max(skip, 0));
                    if (limit > 0) counted = Math.min(counted, limit);
                    return (int) counted;
                }
            }
        }
        return super.count(query, skip, limit);
    }

    /** The query as one flat document of field equalities (top level and top-level {@code $and}); null when it has anything else. */
    private static Document flatEqualities(Document query) {
        Document flat = new Document();
        List<Document> pending = new ArrayList<>(List.of(query));
        while (!pending.isEmpty()) {
            Document clause = pending.remove(pending.size() - 1);
            for (Map.Entry<String, Object> condition : clause.entrySet()) {
                String field = condition.getKey();
                Object value = condition.getValue();
                if (field.equals("$and") && value instanceof List<?> clauses) {
                    for (Object nested : clauses) {
                        if (!(nested instanceof Document document)) return null;
                        pending.add(document);
                    }
                    continue;
                }
                if (field.startsWith("$") || !(value == null || isPlainValue(value))) return null;
                if (flat.containsKey(field)) return null;
                flat.put(field, value);
            }
        }
        return flat.isEmpty() ? null : flat;
    }

    private static boolean pinsEveryKey(Index<Object> index, Map<String, List<Object>> pinned) {
        for (IndexKey key : index.getKeys()) {
            if (!pinned.containsKey(key.getKey())) return false;
        }
        return true;
    }

    /**
     * Waits, releasing the collection's lock, for the background pass to fill {@code index}
     * (started here if need be); false when it stopped without filling it. A query waits rather
     * than scanning: each scan runs under the collection's lock, and scans back to back would
     * leave the pass a chunk per scan (measured: 100,000 users still unfilled after a minute).
     */
    private synchronized boolean awaitFilled(InMemorySecondaryIndex index) {
        if (index.isFilled()) return true;
        fillInBackground();
        try {
            while (!index.isFilled() && filling) wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return index.isFilled();
    }

    /** In-memory indexes of this collection not yet filled; starts the background pass when there are any. */
    synchronized int unfilledIndexes() {
        int unfilled = 0;
        for (Index<Object> index : getIndexes()) {
            if (index instanceof InMemorySecondaryIndex secondary && !secondary.isFilled()) unfilled++;
        }
        if (unfilled > 0) fillInBackground();
        return unfilled;
    }

    /** An in-memory index added to an empty collection is complete: every write maintains it from now on. */
    @Override
    public synchronized void addIndex(Index<Object> index) {
        super.addIndex(index);
        if (index instanceof InMemorySecondaryIndex secondary && data.isEmpty()) secondary.markFilled();
    }

    /**
     * Starts (once at a time) the background pass that fills every in-memory index of this
     * collection not yet filled: the data map in key order, in chunks, each under the
     * collection's lock so writes interleave (see {@link InMemorySecondaryIndex}). Indexes created
     * while it runs get a pass of their own after it.
     */
    synchronized void fillInBackground() {
        if (filling) return;
        filling = true;
        Thread thread = new Thread(this::fillUnfilledIndexes, "fill-indexes-" + getCollectionName());
        thread.setDaemon(true);
        thread.start();
    }

    private void fillUnfilledIndexes() {
        try {
            fillUntilNoneUnfilled();
        } finally {
            synchronized (this) {
                filling = false;
                notifyAll();
            }
        }
    }

    private void fillUntilNoneUnfilled() {
        while (true) {
            List<InMemorySecondaryIndex> unfilled = new ArrayList<>();
            synchronized (this) {
                for (Index<Object> index : getIndexes()) {
                    if (index instanceof InMemorySecondaryIndex secondary && !secondary.isFilled()) unfilled.add(secondary);
                }
                if (unfilled.isEmpty()) return;
            }
                Object after = null;
            boolean started = false;
            while (true) {
                synchronized (this) {
                    Cursor<Object, Document> cursor = data.cursor(started ? after : null);
                    int chunk = 0;
                    boolean more = false;
                    while (cursor.hasNext()) {
                        Object key = cursor.next();
                        // the cursor starts at the last key of the previous chunk when it still exists
                        if (started && key.equals(after)) continue;
                        if (chunk++ == FILL_CHUNK) {
                            more = true;
                            break;
                        }
                        for (InMemorySecondaryIndex index : unfilled) index.fill(cursor.getValue(), key);
                        after = key;
                        started = true;
                    }
                    if (!more) {
                        for (InMemorySecondaryIndex index : unfilled) index.markFilled();
                        notifyAll();
                        break;
                    }
                }
            }
        }
    }

    /** Documents a fill chunk adds under the collection's lock: a write waits for at most one chunk. */
    private static final int FILL_CHUNK = 250;
    private boolean filling;

    // H2Collection keeps its data map private
    private final MVMap<Object, Document> data;

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
