import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import helmet from 'helmet';
import { consoleReference } from './reference';

/**
 * The public assets: beside this file when run from source, and still read from src/ when run from
 * the compiled dist/ (tsc copies no assets), so both `npm start` and `npm run start:prod` serve them.
 */
function publicDirectory(): string {
  const candidates = [path.join(__dirname, 'public'), path.resolve(__dirname, '../../../src/console/public')];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html'))) ?? candidates[0]!;
}

/**
 * The console's own Content-Security-Policy, stricter than the API's defaults in what it loads (only
 * this service's scripts and styles, no inline code, no external origin at all) and without
 * upgrade-insecure-requests, so a console opened over plain HTTP on an office LAN still loads.
 */
const consolePolicy = helmet.contentSecurityPolicy({
  useDefaults: false,
  directives: {
    defaultSrc: ["'none'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'"],
    connectSrc: ["'self'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
    baseUri: ["'none'"],
    objectSrc: ["'none'"],
  },
});

/** The officer console: a static single-page app under /console that talks to /api/v1 with a token it keeps in memory. */
export function consoleRoutes(): Router {
  const router = Router();
  const reference = JSON.stringify(consoleReference());
  router.use(consolePolicy);

  // The page's relative asset URLs need the trailing slash: /console -> /console/.
  router.get('/', (req, res, next) => {
    const [pathname, query] = req.originalUrl.split('?');
    if (pathname && !pathname.endsWith('/')) {
      res.redirect(301, `${pathname}/${query === undefined ? '' : `?${query}`}`);
      return;
    }
    next();
  });

  router.get('/reference.json', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('application/json').send(reference);
  });

  // The network drawing library (issue 21), served from node_modules: no CDN, the same CSP 'self'.
  const cytoscapeModule = path.join(path.dirname(require.resolve('cytoscape')), 'cytoscape.esm.min.mjs');
  router.get('/vendor/cytoscape.mjs', (_req, res) => {
    res.set('Cache-Control', 'no-cache').type('text/javascript').sendFile(cytoscapeModule);
  });

  router.use(
    express.static(publicDirectory(), {
      index: 'index.html',
      fallthrough: true,
      // Revalidate every time (cheap: ETag), so officers never run yesterday's script after an update.
      setHeaders: (res) => res.setHeader('Cache-Control', 'no-cache'),
    }),
  );
  return router;
}
