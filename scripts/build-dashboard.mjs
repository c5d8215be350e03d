#!/usr/bin/env node
// Builds the operator dashboard (src/dashboard/) into dist/dashboard/: index.html, app.js and
// app.css (the page's styles and uPlot's), bundled and minified by esbuild. Run by `npm run build`
// and `prepare`; `--out DIR` writes elsewhere. Plain JavaScript, so it runs with node alone.
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const at = process.argv.indexOf('--out');
const out = at > 0 ? resolve(process.argv[at + 1]) : join(root, 'dist', 'dashboard');
const src = join(root, 'src', 'dashboard');

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: { app: join(src, 'main.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  platform: 'browser',
  minify: true,
  sourcemap: false,
  legalComments: 'eof',
  logLevel: 'warning',
  tsconfig: join(src, 'tsconfig.json'),
});
await copyFile(join(src, 'index.html'), join(out, 'index.html'));
console.log(`dashboard built in ${out}`);
