package roster.launcher;

import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.wire.message.MongoMessage;
import org.h2.mvstore.MVStore;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * mongo-java-server's H2 (MVStore) backend made durable per acknowledged write.
 *
 * <p>Upstream opens the MVStore with its defaults: a background thread commits
 * about once a second (and a writer commits mid-operation when its buffer
 * fills), so a {@code kill -9} loses up to a second of acknowledged writes and
 * can persist a half-applied one (document written, index maps not yet). Here
 * the store is opened with auto-commit disabled and every command that may
 * write runs under one lock and commits before its reply is sent, so what
 * the client saw acknowledged is on disk (in the OS page cache, which survives
 * a process crash; {@link Durability#SYNC} also forces it to the device, which
 * survives power loss) and nothing is ever committed half-way.
 *
 * <p>Reads run without the lock; mongo-java-server already serializes each
 * collection's reads and writes on the collection.
 */
final class CommittingH2Backend extends H2Backend {

    /** What a write waits for before it is acknowledged. */
    enum Durability {
        /** MVStore's background commit about once a second: fastest, loses the last second on a crash */
        DELAYED,
        /** commit (write to the file) before each write's reply: survives kill -9 */
        COMMIT,
        /** commit and fsync before each write's reply: survives power loss */
        SYNC;

        static Durability parse(String value) {
            for (Durability durability : values()) {
                if (durability.name().equalsIgnoreCase(value)) return durability;
            }
            throw new IllegalArgumentException("--durability must be delayed, commit or sync, got " + value);
        }
    }

    /** Commands that never change the store; everything else is treated as a write. */
    private static final Set<String> READ_ONLY_COMMANDS = Set.of(
        "find", "getmore", "count", "distinct", "listcollections", "listindexes", "listdatabases",
        "ping", "hello", "ismaster", "buildinfo", "whatsmyuri", "serverstatus", "dbstats", "collstats",
        "getlasterror", "getparameter", "endsessions", "killcursors", "connectionstatus", "hostinfo",
        "getcmdlineopts", "getlog", "explain", "getfreemonitoringstatus", "saslstart", "saslcontinue",
        RosterH2Database.INDEX_FILL_COMMAND.toLowerCase(Locale.ROOT));

    private final MVStore store;
    private final Durability durability;
    private final ReentrantLock writeLock = new ReentrantLock();

    private CommittingH2Backend(MVStore store, Durability durability) {
        super(store);
        this.store = store;
        this.durability = durability;
    }

    /** Opens (or creates) the MVStore file with the auto-commit the durability needs and a page cache of {@code cacheMb}. */
    static CommittingH2Backend open(String dataFile, Durability durability, int cacheMb) {
        // every query that no unique index serves reads the whole collection: a page
        // cache smaller than the collection turns each scan into file reads
        MVStore.Builder builder = new MVStore.Builder().fileName(dataFile).cacheSize(cacheMb);
        if (durability != Durability.DELAYED) builder.autoCommitDisabled();
        return new CommittingH2Backend(builder.open(), durability);
    }

    // OP_MSG, which carries every command of the drivers Roster uses (the legacy
    // OP_QUERY path is left to the handshake)
    @Override
    public Document handleMessage(MongoMessage message) {
        Document query = message.getDocument();
        String command = query.keySet().iterator().next();
        if (durability == Durability.DELAYED || isReadOnly(command, query)) {
            return super.handleMessage(message);
        }
        writeLock.lock();
        try {
            return super.handleMessage(message);
        } finally {
            // also after a failed write: an unordered insert may have stored part of its batch
            try {
                if (store.hasUnsavedChanges()) {
                    store.commit();
                    if (durability == Durability.SYNC) store.sync();
                }
            } finally {
                writeLock.unlock();
            }
        }
    }

    private static boolean isReadOnly(String command, Document query) {
        String name = command.toLowerCase(Locale.ROOT);
        if (name.equals("aggregate")) return !writesOutput(query.get("pipeline"));
        return READ_ONLY_COMMANDS.contains(name);
    }

    /** An aggregation writes only through a final {@code $out} or {@code $merge} stage. */
    private static boolean writesOutput(Object pipeline) {
        if (!(pipeline instanceof List<?> stages) || stages.isEmpty()) return false;
        Object last = stages.get(stages.size() - 1);
        return last instanceof Document stage && (stage.containsKey("$out") || stage.containsKey("$merge"));
    }

    @Override
    protected MongoDatabase openOrCreateDatabase(String databaseName) {
        // called from H2Backend's constructor, before this class's fields are set
        return new RosterH2Database(databaseName, getMvStore(), getCursorRegistry());
    }

    /** Starts filling every database's in-memory indexes; queries scan until each is complete. */
    void fillIndexesInBackground() {
        for (String name : listDatabaseNames()) {
            if (resolveDatabase(name) instanceof RosterH2Database database) database.fillIndexesInBackground();
        }
    }

    @Override
    public String toString() {
        return "H2 MVStore " + store.getFileStore().getFileName() + " (durability " + durability.name().toLowerCase(Locale.ROOT) + ")";
    }
}
