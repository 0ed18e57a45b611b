import type { Express, Request, Response } from 'express';

/** A feature's own HTTP endpoint (today: the calendar feed), described without express so features need not know it. */
export interface HttpRoute {
  method: 'GET' | 'POST';
  /** An express-style path, e.g. `/calendar/:file`. Its first segment labels the route in metrics. */
  path: string;
  handle(request: { params: Record<string, string>; query: Record<string, string | undefined> }): Promise<HttpAnswer>;
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

/** `/calendar/:file` -> `/calendar`. */
export function routePrefix(route: HttpRoute): string {
  return `/${route.path.split('/').filter(Boolean)[0] ?? ''}`;
}

/** Mounts features' routes; a route that throws answers 500 through the app's error handler, never a crash. */
export function mountRoutes(app: Express, routes: readonly HttpRoute[]): void {
  for (const route of routes) {
    const handler = async (req: Request, res: Response) => {
      const query = Object.fromEntries(Object.entries(req.query).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
      const answer = await route.handle({ params: req.params as Record<string, string>, query });
      res.status(answer.status).type(answer.contentType);
      for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
      res.send(answer.body);
    };
    if (route.method === 'GET') app.get(route.path, handler);
    else app.post(route.path, handler);
  }
}
