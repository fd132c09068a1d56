/** Graceful start and stop of one process: stop accepting, drain, then close pools and channels in reverse order. */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Express } from 'express';
import type { Logger } from '@midas/observability';

type Closer = { name: string; close: () => Promise<unknown> | unknown };

export class Lifecycle {
  private readonly closers: Closer[] = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly logger: Logger,
    private readonly timeoutMs = 8000,
  ) {}

  get shuttingDown(): boolean {
    return this.stopping !== undefined;
  }

  /** Registers something to close on stop; closed in reverse order of registration. */
  onStop(name: string, close: Closer['close']): void {
    this.closers.push({ name, close });
  }

  stop(): Promise<void> {
    this.stopping ??= this.runClosers();
    return this.stopping;
  }

  private async runClosers(): Promise<void> {
    const deadline = Date.now() + this.timeoutMs;
    for (const closer of [...this.closers].reverse()) {
      const left = Math.max(100, deadline - Date.now());
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(closer.close),
          new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not close within ${left} ms`)), left);
          }),
        ]);
      } catch (err) {
        this.logger.warn({ err, part: closer.name }, 'close failed during shutdown');
      } finally {
        clearTimeout(timer);
      }
    }
  }

  /** SIGTERM/SIGINT stop the process cleanly; a second signal exits at once. */
  handleSignals(): void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.shuttingDown) process.exit(1);
      this.logger.info({ signal }, 'shutting down');
      void this.stop().then(() => process.exit(0));
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    process.on('unhandledRejection', (reason) => this.logger.error({ err: reason }, 'unhandled rejection'));
  }
}

/** Listens on `port` (0 picks a free one) and registers the server's draining close. */
/** Serves an express app, or a plain handler in front of one (the gateway's edge). */
export async function listen(
  app: Express | RequestListener,
  port: number,
  lifecycle: Lifecycle,
  host = '0.0.0.0',
): Promise<Server> {
  const server = createServer(app as RequestListener);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.keepAliveTimeout = 65_000;
  lifecycle.onStop('http', () => closeServer(server));
  return server;
}

export function closeServer(server: Server, graceMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => server.closeAllConnections(), graceMs);
    server.close(() => {
      clearTimeout(timer);
      resolve();
    });
    server.closeIdleConnections();
  });
}

export function serverPort(server: Server): number {
  const addr = server.address();
  if (addr && typeof addr === 'object') return addr.port;
  throw new Error('server is not listening on a TCP port');
}
