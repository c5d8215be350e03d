import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A module that cannot be used as an executor; `message` is one line naming the module and the reason. */
export class ModuleLoadError extends Error {}

const JS_FILE = /\.(c|m)?js$/;

/**
 * Where `--executor SPEC` points, as a URL to import: a path (`./x.mjs`, `/abs/x.js`, or a bare
 * `x.mjs` that exists) resolved against `cwd`, else a package installed where serpq runs. Packages
 * are resolved from `cwd`, not from serpq's own folder, so `npm i my-executor` next to the data works.
 */
export function moduleUrl(spec: string, cwd: string): string {
  if (spec.startsWith('file:')) return spec;
  if (spec.startsWith('.') || isAbsolute(spec) || (JS_FILE.test(spec) && existsSync(resolve(cwd, spec)))) {
    const path = resolve(cwd, spec);
    if (!existsSync(path)) throw new ModuleLoadError(`executor module ${spec} cannot be found (no file ${path})`);
    return pathToFileURL(path).href;
  }
  try {
    return pathToFileURL(createRequire(join(cwd, 'noop.js')).resolve(spec)).href;
  } catch (err) {
    // require.resolve knows only the `require` and `default` conditions: an ESM-only package
    // (`"exports": {"import": …}`) needs its entry read from its package.json.
    const esm = (err as NodeJS.ErrnoException).code === 'ERR_PACKAGE_PATH_NOT_EXPORTED' ? esmEntry(spec, cwd) : null;
    if (esm) return esm;
  }
  // Last, a package installed next to serpq itself (a global install of both). Where the runtime
  // has no import.meta.resolve (a test runner's module loader), the import itself decides.
  if (typeof import.meta.resolve !== 'function') return spec;
  try {
    return import.meta.resolve(spec);
  } catch {
    throw notFound(spec, cwd);
  }
}

export const notFound = (spec: string, cwd: string): ModuleLoadError =>
  new ModuleLoadError(`executor module ${spec} cannot be found (neither a file nor a package installed in ${cwd})`);

/** The `import` entry of an installed package (`name` or `name/subpath`), found upwards from `cwd`. */
function esmEntry(spec: string, cwd: string): string | null {
  const parts = spec.split('/');
  const nameLength = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = parts.length > nameLength ? `./${parts.slice(nameLength).join('/')}` : '.';
  for (let dir = cwd; ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name);
    if (existsSync(join(pkgDir, 'package.json'))) {
      const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as { exports?: unknown };
      const target = entryOf(pkg.exports, subpath);
      return target ? pathToFileURL(join(pkgDir, target)).href : null;
    }
    if (dirname(dir) === dir) return null;
  }
}

function entryOf(exports: unknown, subpath: string): string | null {
  if (exports === null || typeof exports !== 'object' || Array.isArray(exports)) return subpath === '.' ? condition(exports) : null;
  const map = exports as Record<string, unknown>;
  const keyed = Object.keys(map).some((k) => k.startsWith('.'));
  if (!keyed) return subpath === '.' ? condition(map) : null;
  return condition(map[subpath]);
}

/** The target of a conditional export for an ES import by Node. */
function condition(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return condition(value[0]);
  if (value === null || typeof value !== 'object') return null;
  const c = value as Record<string, unknown>;
  for (const key of ['import', 'node', 'default']) if (key in c) return condition(c[key]);
  return null;
}
