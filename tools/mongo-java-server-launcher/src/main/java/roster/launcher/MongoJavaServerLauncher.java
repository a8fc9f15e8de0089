package roster.launcher;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

import java.io.IOException;
import java.io.InputStream;

/**
 * Runs mongo-java-server with its in-memory backend on a TCP address: Roster's
 * last offline stand-in for MongoDB (SPEC §8), used only when FerretDB cannot
 * be built or started. Nothing is persisted.
 *
 * <p>Usage: {@code java -jar mongo-java-server-launcher-all.jar
 * --listen-addr=127.0.0.1:27017 [--exit-on-stdin-eof]}. Prints
 * {@code mongo-java-server listening on <host>:<port>} once the socket is bound.
 */
public final class MongoJavaServerLauncher {

    private MongoJavaServerLauncher() {
    }

    public static void main(String[] args) throws IOException {
        String listen = "127.0.0.1:27017";
        boolean exitOnStdinEof = false;
        for (String arg : args) {
            if (arg.startsWith("--listen-addr=")) {
                listen = arg.substring("--listen-addr=".length());
            } else if (arg.equals("--exit-on-stdin-eof")) {
                exitOnStdinEof = true;
            } else {
                System.err.println("unknown argument: " + arg);
                System.exit(2);
            }
        }
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) {
            System.err.println("--listen-addr must be <host>:<port>, got " + listen);
            System.exit(2);
        }
        String host = listen.substring(0, colon);
        int port = Integer.parseInt(listen.substring(colon + 1));

        MongoServer server = new MongoServer(new MemoryBackend());
        server.bind(host, port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow, "mongo-java-server-shutdown"));

        // The parent process waits for this line before it connects.
        System.out.println("mongo-java-server listening on " + host + ":" + port);
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
}
