// Which modules this process has loaded: for tests that prove a code path never loads some code (the
// embedded PostgreSQL in production). Records through module hooks (module-load-hooks.mjs), so it sees
// static and dynamic imports alike; only modules loaded after recordModuleLoads() are seen.
import { randomUUID } from 'node:crypto';
import { register } from 'node:module';
import { MessageChannel } from 'node:worker_threads';

export interface ModuleLoadRecorder {
  /** Every module URL loaded since recording started, once all loads so far have been reported. */
  loaded(): Promise<string[]>;
  stop(): void;
}

export function recordModuleLoads(): ModuleLoadRecorder {
  const { port1, port2 } = new MessageChannel();
  const urls: string[] = [];
  const listeners = new Set<(url: string) => void>();
  port1.on('message', (url: string) => {
    urls.push(url);
    for (const listener of listeners) listener(url);
  });
  register('./module-load-hooks.mjs', import.meta.url, { data: { port: port2 }, transferList: [port2] });
  return {
    async loaded() {
      // The hooks report on their own thread. Messages on one port arrive in order, so once a marker
      // module loaded now has been reported, every load before it has been reported too.
      const id = randomUUID();
      const isMarker = (url: string) => url.startsWith('data:') && url.includes(id);
      const reported = new Promise<void>((resolve) => {
        const listener = (url: string) => {
          if (!isMarker(url)) return;
          listeners.delete(listener);
          resolve();
        };
        listeners.add(listener);
      });
      await import(`data:text/javascript,export%20default%200;//${id}`);
      await reported;
      return urls.filter((url) => !url.startsWith('data:'));
    },
    stop() {
      port1.close();
    },
  };
}
