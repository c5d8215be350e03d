/**
 * The import boundaries of serpq (ARCHITECTURE.md), checked by `npm run lint`:
 *
 *   domain ← store ← executors ← services ← http / worker / delivery / admin
 *
 * Imports run one way only, toward the domain; only the composition root (src/app.ts) and the
 * command line (src/cli) and the process composition (src/process) know the concrete implementations (the SQLite and PostgreSQL stores, the
 * executors). Type-only imports count: a layer that names another's types depends on it.
 */
const layer = (name) => `^src/${name}/`;
const IMPLEMENTATIONS = [
  '^src/store/sqlite/',
  '^src/store/postgres/',
  '^src/executors/sandbox/sandbox-executor\\.ts$',
  '^src/executors/relay/relay-executor\\.ts$',
  '^src/executors/replay/replay-executor\\.ts$',
  '^src/executors/module/module-executor\\.ts$',
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain holds the rules: it imports nothing of ours outside the domain.',
      severity: 'error',
      from: { path: layer('domain') },
      to: { path: '^src/', pathNot: layer('domain') },
    },
    {
      name: 'store-imports-domain-only',
      comment: "The store implements the port with the domain's types; it knows no use case, executor or transport.",
      severity: 'error',
      from: { path: layer('store') },
      to: { path: '^src/', pathNot: [layer('store'), layer('domain')] },
    },
    {
      name: 'http-never-imports-store',
      comment: 'HTTP is thin over the services; the store is reached through them.',
      severity: 'error',
      from: { path: layer('http') },
      to: { path: layer('store') },
    },
    {
      name: 'no-upward-imports',
      comment: 'Executors, services, workers and delivery never import the layers above them (http, admin, cli, the composition root).',
      severity: 'error',
      from: { path: ['^src/(domain|store|executors|services|worker|delivery|contracts|runtime)/'] },
      to: { path: ['^src/(http|admin|cli|dashboard|process)/', '^src/app\\.ts$', '^src/config\\.ts$'] },
    },
    {
      name: 'implementations-known-to-the-root-only',
      comment: 'Only src/app.ts, src/process and src/cli (and the implementations themselves) import a concrete store or executor.',
      severity: 'error',
      // A courier thread is the entry point of its own thread: it builds the renderer it uses there.
      from: {
        path: '^src/',
        pathNot: ['^src/app\\.ts$', '^src/process/', '^src/cli/', '^src/delivery/courier-thread\\.ts$', ...IMPLEMENTATIONS],
      },
      to: { path: IMPLEMENTATIONS },
    },
    {
      name: 'dashboard-is-browser-code',
      comment: 'The dashboard is bundled for the browser: it imports nothing of the server.',
      severity: 'error',
      from: { path: layer('dashboard') },
      to: { path: '^src/', pathNot: layer('dashboard') },
    },
    {
      name: 'no-circular',
      comment: 'No import cycles, except through a dynamic import (prom-client is loaded at the first scrape).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['dynamic-import'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: ['\\.test\\.ts$', '^dist/', '^test/'] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
