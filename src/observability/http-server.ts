import { AppError } from '../errors/app-error.ts';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface Readiness {
  readonly ready: boolean;
  /** Why not, for the operator (no secrets). */
  readonly problems: readonly string[];
}

export interface HealthServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  readonly readiness: () => Promise<Readiness>;
  /**
   * Called before /metrics is served, to refresh gauges read from the database. When it fails (the
   * database is down), the metrics are served anyway — the process metrics matter most then — after
   * `onMetricsRefreshFailed`.
   */
  readonly beforeMetrics?: () => Promise<void>;
  readonly onMetricsRefreshFailed?: (error: unknown) => void;
}

/** HTTP_PORT cannot be listened on: named so the operator knows which option to change. */
export class HttpPortError extends AppError<'http_port'> {
  constructor(host: string, port: number, code: string | undefined) {
    super(
      code === 'EADDRINUSE'
        ? `HTTP_PORT=${port} (on ${host}) is already in use by another process: stop it, or set HTTP_PORT to a free port (0 turns the health and metrics server off)`
        : `HTTP_PORT=${port} (on ${host}) cannot be listened on (${code ?? 'unknown error'}): set HTTP_PORT to another port, or HTTP_HOST to an address of this machine`,
      { kind: 'http_port', userMistake: true },
    );
  }
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * /healthz: the process is alive. /readyz: the database answers and no account's run is stuck.
 * /metrics: Prometheus text format.
 */
export async function startHealthServer(options: HealthServerOptions): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const reply = (status: number, contentType: string, body: string) => {
      response.writeHead(status, { 'content-type': contentType });
      response.end(body);
    };
    const handle = async () => {
      if (path === '/healthz') return reply(200, 'text/plain', 'ok\n');
      if (path === '/readyz') {
        const readiness = await options.readiness();
        return reply(readiness.ready ? 200 : 503, 'application/json', `${JSON.stringify(readiness)}\n`);
      }
      if (path === '/metrics') {
        try {
          await options.beforeMetrics?.();
        } catch (error) {
          options.onMetricsRefreshFailed?.(error);
        }
        return reply(200, options.registry.contentType, await options.registry.metrics());
      }
      return reply(404, 'text/plain', 'not found\n');
    };
    handle().catch((error: unknown) =>
      reply(500, 'text/plain', `${error instanceof Error ? error.message : 'error'}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new HttpPortError(options.host, options.port, error.code)),
    );
    server.listen(options.port, options.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
