/** Serves the built dashboard with an SPA fallback; without a build, `/` says how to make one. */
import fs from 'node:fs';
import path from 'node:path';
import express, { type Express } from 'express';

const NO_BUILD = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Flowlight</title></head>
<body style="font-family:system-ui;margin:3rem;max-width:40rem">
<h1>Flowlight API is running</h1>
<p>The dashboard has not been built yet. Run <code>pnpm --filter @flowlight/web build</code> and reload.</p>
<p>API: <a href="/api/health">/api/health</a> · <a href="/api/openapi.json">/api/openapi.json</a></p>
</body></html>`;

export function serveWeb(app: Express, webDist: string): void {
  const index = path.join(webDist, 'index.html');
  app.use(express.static(webDist, { index: false, fallthrough: true }));
  app.use((req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path.startsWith('/api/') || req.path === '/api') return next();
    if (fs.existsSync(index)) res.sendFile(index);
    else res.type('html').send(NO_BUILD);
  });
}
