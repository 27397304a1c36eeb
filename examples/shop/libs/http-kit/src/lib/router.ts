import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createLogger } from '@shop/shared-logger';
import { sendJson } from './json';

export type Handler = (request: IncomingMessage, response: ServerResponse, params: Record<string, string>) => unknown;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

const log = createLogger('http-kit');

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:([a-zA-Z]+)/g, (_, key: string) => (keys.push(key), '([^/]+)'))}$`,
    );
    this.routes.push({ method, pattern, keys, handler });
    return this;
  }

  listen(port: number): Server {
    const server = createServer((request, response) => this.dispatch(request, response));
    return server.listen(port, () => log.info('listening', { port }));
  }

  private async dispatch(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    for (const route of this.routes) {
      const match = route.method === request.method ? route.pattern.exec(url.pathname) : null;
      if (!match) continue;
      const params = Object.fromEntries(route.keys.map((key, i) => [key, match[i + 1] ?? '']));
      try {
        await route.handler(request, response, params);
      } catch (error) {
        log.error('handler failed', { path: url.pathname, error: String(error) });
        sendJson(response, 500, { error: 'internal error' });
      }
      return;
    }
    sendJson(response, 404, { error: `no route for ${request.method} ${url.pathname}` });
  }
}
