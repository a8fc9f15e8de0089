package roster.launcher;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.DatabaseResolver;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVStore;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;

/**
 * mongo-java-server's H2 database with two changes that matter at tenant scale:
 *
 * <ul>
 * <li>Non-unique indexes, which mongo-java-server 1.47 does not implement (it
 * keeps a placeholder that serves no query, and "builds" it on every open with
 * two full scans of the collection: a restart read the users twelve times, 11 s
 * at 20,000 users), are {@link InMemorySecondaryIndex}es, filled by one
 * background pass after the server starts.
 * <li>Collections answer a query from a unique index whenever the query pins
 * every key of it, walk the {@code _id} order for a sorted page and count from
 * an in-memory index (see {@link IndexNarrowingH2Collection}).
 * </ul>
 */
final class RosterH2Database extends H2Database {

    // collections open from H2Database's constructor, before this class's fields are set
    private List<IndexNarrowingH2Collection> opened;

    RosterH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
        super(databaseName, mvStore, cursorRegistry);
    }

    /** Starts filling the in-memory indexes of every collection open so far. */
    void fillIndexesInBackground() {
        List<IndexNarrowingH2Collection> collections;
        synchronized (this) {
            collections = opened == null ? List.of() : new ArrayList<>(opened);
        }
        for (IndexNarrowingH2Collection collection : collections) collection.fillInBackground();
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new InMemorySecondaryIndex(indexName, keys);
    }

    /**
     * The aggregation the drivers send for {@code countDocuments}
     * ({@code [{$match: q}, {$group: {_id: 1, n: {$sum: 1}}}]}) is counted by the collection,
     * which an in-memory index can answer; upstream runs every aggregation over all documents.
     */
    @Override
    public Document handleCommand(Channel channel, String command, Document query, DatabaseResolver databaseResolver, Oplog oplog) {
        if (command.equalsIgnoreCase(INDEX_FILL_COMMAND)) return indexFillStatus();
        if (command.equalsIgnoreCase("aggregate") && query.get("aggregate") instanceof String collectionName
            && !query.containsKey("collation") && !query.containsKey("let")) {
            Document match = countedMatch(query.get("pipeline"));
            MongoCollection<Object> collection = match == null ? null : resolveCollection(collectionName, false);
            if (collection != null) {
                int count = collection.count(match, 0, 0);
                Document cursor = new Document();
                cursor.put("id", 0L);
                cursor.put("ns", getFullCollectionNamespace(collectionName));
                cursor.put("firstBatch", count == 0 ? List.of() : List.of(new Document("_id", 1).append("n", count)));
                Document reply = new Document("cursor", cursor);
                reply.put("ok", 1.0);
                return reply;
            }
        }
        return super.handleCommand(channel, command, query, databaseResolver, oplog);
    }

    /**
     * {@code {rosterIndexFill: 1}}: how many in-memory indexes of this database's collections the
     * background pass has not filled yet ({@code unfilled}, 0 when every query can use its index),
     * starting the pass where needed; a benchmark waits for 0 so no scenario times the fill.
     */
    static final String INDEX_FILL_COMMAND = "rosterIndexFill";

    private Document indexFillStatus() {
        List<IndexNarrowingH2Collection> collections;
        synchronized (this) {
            collections = opened == null ? List.of() : new ArrayList<>(opened);
        }
        int unfilled = 0;
        for (IndexNarrowingH2Collection collection : collections) unfilled += collection.unfilledIndexes();
        Document reply = new Document("unfilled", unfilled);
        reply.put("ok", 1.0);
        return reply;
    }

    private static Document countedMatch(Object pipeline) {
        if (!(pipeline instanceof List<?> stages) || stages.size() != 2) return null;
        if (!(stages.get(0) instanceof Document first) || first.size() != 1 || !(first.get("$match") instanceof Document match)) return null;
        if (!(stages.get(1) instanceof Document second) || second.size() != 1 || !(second.get("$group") instanceof Document group)) return null;
        boolean countsOne = group.size() == 2 && Integer.valueOf(1).equals(group.get("_id"))
            && group.get("n") instanceof Document sum && sum.size() == 1 && Integer.valueOf(1).equals(sum.get("$sum"));
        return countsOne ? match : null;
    }

    // the same maps H2Database.openOrCreateCollection opens, so existing data files read unchanged
    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        String namespace = getFullCollectionNamespace(collectionName);
        MVStore store = mvStore();
        IndexNarrowingH2Collection collection = new IndexNarrowingH2Collection(this, collectionName, options,
            store.openMap("databases." + namespace), store.openMap("meta." + namespace), cursorRegistry);
        synchronized (this) {
            if (opened == null) opened = new ArrayList<>();
            opened.add(collection);
        }
        return collection;
    }

    // H2Database keeps its store private; it is set before the first collection opens
    private MVStore mvStore() {
        try {
            Field field = H2Database.class.getDeclaredField("mvStore");
            field.setAccessible(true);
            return (MVStore) field.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("mongo-java-server's H2Database changed: no mvStore field", e);
        }
    }
}
