/** A real RFC 8935 push receiver on loopback: records every SET it is sent and answers as the test tells it. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { decodeJwt } from "jose";

export interface ReceivedSet {
  jwt: string;
  claims: Record<string, any>;
  contentType: string | undefined;
  authorization: string | undefined;
  /** what the receiver answered; 0 when the sender had gone before the answer */
  status: number;
}

export interface EventReceiver {
  url: string;
  received: ReceivedSet[];
  /** the jtis answered 202, in order */
  accepted(): string[];
  close(): Promise<void>;
}

/** `answer` picks the status of each push (202 delivers); it may wait to act as a slow receiver. */
export async function startEventReceiver(answer: (set: Omit<ReceivedSet, "status">, index: number) => number | Promise<number> = () => 202): Promise<EventReceiver> {
  const received: ReceivedSet[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const jwt = await readBody(req);
      let claims: Record<string, any> = {};
      try {
        claims = decodeJwt(jwt);
      } catch {
        // not a JWT: recorded with no claims, answered 400 below
      }
      const set = { jwt, claims, contentType: req.headers["content-type"], authorization: req.headers.authorization };
      const answered = claims.jti ? await answer(set, received.length) : 400;
      // a sender that is gone (killed while waiting) never learns the answer: not delivered
      const status = req.socket.destroyed ? 0 : answered;
      received.push({ ...set, status });
      res.statusCode = status;
      if (status === 400) res.setHeader("Content-Type", "application/json");
      res.end(status === 400 ? JSON.stringify({ err: "invalid_request", description: "not a SET" }) : "");
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/events`,
    received,
    accepted: () => received.filter((set) => set.status === 202).map((set) => set.claims.jti as string),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
