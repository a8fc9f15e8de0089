package roster.launcher;

import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import org.h2.mvstore.MVStoreException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Runs mongo-java-server on a TCP address: Roster's offline stand-in for
 * MongoDB (SPEC §8). The default backend keeps everything in memory; the H2
 * backend keeps the data in one MVStore file, committed before each write is
 * acknowledged (see {@link CommittingH2Backend}).
 *
 * <p>Usage: {@code java -jar mongo-java-server-launcher-all.jar
 * --listen-addr=127.0.0.1:27017 [--backend=memory|h2] [--data-file=<path>]
 * [--durability=commit|sync|delayed] [--cache-mb=16] [--exit-on-stdin-eof]}. {@code --data-file}
 * is required with {@code --backend=h2} and refused with the memory backend.
 * Prints {@code mongo-java-server listening on <host>:<port>} once the socket
 * is bound.
 */
public final class MongoJavaServerLauncher {

    private MongoJavaServerLauncher() {
    }

    public static void main(String[] args) throws IOException {
        String listen = "127.0.0.1:27017";
        String backendName = "memory";
        String dataFile = null;
        String durabilityName = "commit";
        int cacheMb = 16;
        boolean exitOnStdinEof = false;
        for (String arg : args) {
            if (arg.startsWith("--listen-addr=")) {
                listen = arg.substring("--listen-addr=".length());
            } else if (arg.startsWith("--backend=")) {
                backendName = arg.substring("--backend=".length());
            } else if (arg.startsWith("--data-file=")) {
                dataFile = arg.substring("--data-file=".length());
            } else if (arg.startsWith("--durability=")) {
                durabilityName = arg.substring("--durability=".length());
            } else if (arg.startsWith("--cache-mb=")) {
                cacheMb = Integer.parseInt(arg.substring("--cache-mb=".length()));
            } else if (arg.equals("--exit-on-stdin-eof")) {
                exitOnStdinEof = true;
            } else {
                fail("unknown argument: " + arg);
            }
        }
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            fail("--listen-addr must be <host>:<port>, got " + listen);
        }
        String host = listen.substring(0, colon);
        int port = Integer.parseInt(listen.substring(colon + 1));

        MongoBackend backend;
        String description;
        switch (backendName) {
            case "memory" -> {
                if (dataFile != null) fail("--data-file needs --backend=h2: the memory backend keeps nothing");
                backend = new MemoryBackend();
                description = "memory";
            }
            case "h2" -> {
                if (dataFile == null || dataFile.isEmpty()) fail("--backend=h2 needs --data-file=<path of the MVStore file>");
                CommittingH2Backend.Durability durability = null;
                try {
                    durability = CommittingH2Backend.Durability.parse(durabilityName);
                } catch (IllegalArgumentException e) {
                    fail(e.getMessage());
                }
                CommittingH2Backend h2 = null;
                try {
                    h2 = CommittingH2Backend.open(dataFile, durability, cacheMb);
                } catch (MVStoreException e) {
                    // one line the parent can match, e.g. "The file is locked" when another process holds it
                    fail("cannot open " + dataFile + ": " + e.getMessage());
                }
                backend = h2;
                description = h2.toString();
            }
            default -> {
                fail("--backend must be memory or h2, got " + backendName);
                return;
            }
        }

        MongoServer server = new MongoServer(backend);
        server.bind(host, port);
        if (backend instanceof CommittingH2Backend h2) h2.fillIndexesInBackground();
        // shutdownNow closes the backend, which for H2 commits and closes the file
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "mongo-java-server-shutdown"));

        // The parent process waits for this line before it connects.
        System.out.println("mongo-java-server listening on " + host + ":" + port + " (" + description + ")");
        System.out.flush();

        if (exitOnStdinEof) {
            // A parent killed with SIGKILL can only close our stdin pipe; EOF means it is gone.
            InputStream in = System.in;
            byte[] buffer = new byte[256];
            while (in.read(buffer) != -1) {
                // discard
            }
            System.exit(0);
        }
    }

    private static void fail(String message) {
        System.err.println(message);
        System.exit(2);
    }
}
