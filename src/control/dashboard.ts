import { readFile } from 'node:fs/promises';
import express from 'express';
import { packagePath } from '../runtime/package-root.js';

/** The dashboard's files (ui/ in the package): plain HTML, JS and CSS, no build step. */
const FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/dashboard.js': { file: 'dashboard.js', type: 'text/javascript; charset=utf-8' },
  '/dashboard.css': { file: 'dashboard.css', type: 'text/css; charset=utf-8' },
};

/**
 * Scripts and styles from this origin only, no inline script, nothing framed:
 * the page shows names an identity provider chose, and even if one slipped
 * past the DOM text APIs it renders with, it could not run.
 */
const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** GET /_emulator/ui (and its two files). */
export function serveDashboard(): express.Router {
  const router = express.Router({ strict: true });
  const cache = new Map<string, Buffer>();
  router.get(['/', '/dashboard.js', '/dashboard.css'], async (req, res, next) => {
    const entry = FILES[req.path];
    if (!entry) return next();
    // /_emulator/ui without the slash: relative links in the page need it.
    if (req.path === '/' && !req.originalUrl.split('?')[0]!.endsWith('/')) {
      res.redirect(301, `${req.baseUrl}/`);
      return;
    }
    let body = cache.get(entry.file);
    if (!body) {
      body = await readFile(packagePath('ui', entry.file));
      cache.set(entry.file, body);
    }
    res
      .status(200)
      .set({ 'Content-Type': entry.type, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
      .send(body);
  });
  return router;
}
