package roster.launcher;

import de.bwaldvogel.mongo.backend.CursorRegistry;
import de.bwaldvogel.mongo.backend.EmptyIndex;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import org.h2.mvstore.MVStore;

import java.util.List;

/**
 * H2 database whose non-unique indexes do not rescan the collection on open.
 *
 * <p>mongo-java-server 1.47 does not implement non-unique indexes: it keeps an
 * {@link EmptyIndex} that serves no query, and because that index always
 * reports itself empty, every open of the database "builds" it with two full
 * scans of the collection, deserializing every document. Roster declares six
 * such indexes on users, so a restart read the user collection twelve times
 * (11 s at 20,000 users). Reporting the placeholder as non-empty skips that
 * work; queries behave exactly as before.
 */
final class SecondaryIndexFreeH2Database extends H2Database {

    SecondaryIndexFreeH2Database(String databaseName, MVStore mvStore, CursorRegistry cursorRegistry) {
        super(databaseName, mvStore, cursorRegistry);
    }

    @Override
    protected Index<Object> openOrCreateSecondaryIndex(String collectionName, String indexName, List<IndexKey> keys, boolean sparse) {
        return new EmptyIndex<>(indexName, keys) {
            @Override
            public boolean isEmpty() {
                return false;
            }
        };
    }
}
