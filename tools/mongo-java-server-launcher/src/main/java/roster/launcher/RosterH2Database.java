package roster.launcher;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVStore;

import java.lang.reflect.Field;
import java.util.List;

/**
 * mongo-java-server's H2 database with two changes that matter at tenant scale:
 *
 * <ul>
 * <li>Non-unique indexes, which mongo-java-server 1.47 does not implement (it
 * keeps a placeholder that serves no query, and "builds" it on every open with
 * two full scans of the collection: a restart read the users twelve times, 11 s
 * at 20,000 users), are {@link InMemorySecondaryIndex}es, filled by one pass
 * the first time a query can use them.
 * <li>Collections answer a query from a unique index whenever the query pins
 * every key of it (see {@link IndexNarrowingH2Collection}).
 * </ul>
 */
final class RosterH2Database extends H2Database {

    RosterH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
        super(databaseName, mvStore, cursorRegistry);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new InMemorySecondaryIndex(indexName, keys);
    }

    // the same maps H2Database.openOrCreateCollection opens, so existing data files read unchanged
    @Override
    protected MongoCollection<Object> openOrCreateCollection(String collectionName, CollectionOptions options) {
        String namespace = getFullCollectionNamespace(collectionName);
        MVStore store = mvStore();
        return new IndexNarrowingH2Collection(this, collectionName, options,
            store.openMap("databases." + namespace), store.openMap("meta." + namespace), cursorRegistry);
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
