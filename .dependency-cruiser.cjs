/**
 * The direction of dependencies in src/, checked by `npm test` (npm run depcruise) so CI enforces it:
 * no import circles, kernels never reach up into features, nothing reaches into the composition
 * root, and the rule engine imports nothing that does I/O. Known violations (debt to pay down, not
 * to add to) are listed in .dependency-cruiser-known-violations.json; `npm run depcruise:baseline`
 * rewrites that list, so run it only when a violation has been removed.
 */
const kernels = ['^src/(db|http|jobs|auth)/', '^src/(config|logger|deps|paths|startup|errors|canonical-json)\\.ts$', '^src/openapi/registry\\.ts$'];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules import each other in a circle: break it with a port or by moving the shared piece down to a kernel.',
      from: { path: '^src' },
      to: { circular: true },
    },
    {
      name: 'engine-is-pure',
      severity: 'error',
      comment:
        'The rule engine (src/screening/engine) evaluates without I/O, clock or randomness: it may import the application schema, field catalogue and subject, zod, re2js (the linear-time regex engine), libphonenumber-js and node:crypto only.',
      from: { path: '^src/screening/engine/' },
      to: {
        pathNot: [
          '^src/screening/engine/',
          '^src/screening/(subject|field-paths|application-schema)\\.ts$',
          '^src/canonical-json\\.ts$',
          '^node_modules/(zod|re2js|libphonenumber-js|canonicalize)/',
          '^(node:)?crypto$',
        ],
      },
    },
    {
      name: 'kernels-do-not-import-features',
      severity: 'error',
      comment: 'Kernels (db, http, jobs, auth, config, logger, deps) sit below the features: features import them, never the other way round.',
      // src/db/schema.ts gathers every component's tables for drizzle-kit; src/deps.ts names the screener's type.
      from: { path: kernels, pathNot: ['^src/db/schema\\.ts$', '^src/deps\\.ts$'] },
      to: { path: '^src/', pathNot: kernels },
    },
    {
      name: 'nothing-imports-the-composition-root',
      severity: 'error',
      comment: 'src/app.ts, src/main.ts, src/worker.ts and src/background.ts wire components together; components take what they need from src/deps.ts.',
      from: { path: '^src/', pathNot: '^src/(app|main|worker|background)\\.ts$' },
      to: { path: '^src/(app|main|worker|background)\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // TypeScript 7 has no JavaScript compiler API for dependency-cruiser to parse with; swc reads the
    // sources, type-only imports included (tsPreCompilationDeps).
    parser: 'swc',
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
