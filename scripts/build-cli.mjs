#!/usr/bin/env node
// Bundles the command line (src/cli/main.ts) and the courier thread into dist/bin/: a few files for
// the module loader to resolve, read and compile at each start instead of every module of serpq one
// by one (about a fifth of the time from spawn to a working /readyz). Packages stay external; what
// serpq loads only when configured (PostgreSQL, the relay, replay, module executors, the CLI's user
// commands) stays in chunks of its own, loaded on first use. The library entry points (`serpq`,
// `serpq/client`, `serpq/testing`, ...) remain tsc's per-file output. `--out DIR` writes elsewhere.
import { rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const out = at > 0 ? resolve(process.argv[at + 1]) : join(root, 'dist', 'bin');

await rm(out, { recursive: true, force: true });
await build({
  // The courier thread is an entry of its own, beside the chunks: courier-pool.ts starts it as
  // ./courier-thread.js next to itself. The dashboard's assets are found at ../dashboard/ from here.
  entryPoints: { main: join(root, 'src', 'cli', 'main.ts'), 'courier-thread': join(root, 'src', 'delivery', 'courier-thread.ts') },
  outdir: out,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: ['node20'],
  packages: 'external',
  sourcemap: false,
  logLevel: 'warning',
  tsconfig: join(root, 'tsconfig.build.json'),
});
console.log(`command line bundled in ${out}`);
