/**
 * A webhook receiver for tests: an HTTP server on a free port recording every request with its
 * headers and raw body. It can be taken down (the port refuses connections) and brought back on
 * the same port, or told to answer with another status.
 */
import http, { type Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  path: string;
  at: number;
}

export interface Receiver {
  url: string;
  received: ReceivedWebhook[];
  /** Requests refused while answering a non-2xx status (they count as attempts, not deliveries). */
  refused: number;
  /** The status answered from now on (default 204). */
  answerWith: (status: number) => void;
  down: () => Promise<void>;
  up: () => Promise<void>;
  close: () => Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  let status = 204;
  const sockets = new Set<Socket>();
  const state: Receiver = {
    url: '',
    received: [],
    refused: 0,
    answerWith: (next) => void (status = next),
    down: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
    up: async () => {
      server = create();
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
  const create = (): Server => {
    const s = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (status >= 200 && status < 300) {
          state.received.push({
            id: String(req.headers['webhook-id']),
            timestamp: String(req.headers['webhook-timestamp']),
            signature: String(req.headers['webhook-signature']),
            body: Buffer.concat(chunks).toString('utf8'),
            path: req.url ?? '',
            at: Date.now(),
          });
        } else {
          state.refused += 1;
        }
        if (status >= 300 && status < 400) res.setHeader('location', 'http://127.0.0.1:1/elsewhere');
        res.statusCode = status;
        res.end();
      });
    });
    s.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    return s;
  };
  let server = create();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  state.url = `http://127.0.0.1:${port}`;
  return state;
}
