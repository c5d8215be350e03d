import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * serpq as a dependency of somebody else's project, on the oldest Node it supports. The package as
 * `npm pack` makes it (its `prepare` builds dist/) is installed with `npm install --engine-strict` into
 * a fresh project, where nothing of this repository's package.json applies (its `overrides` do not
 * reach a consumer); no package of the installed tree may declare an engines.node that excludes the
 * lowest Node serpq's own engines allow; and the README's Vitest example ("Testing your code against
 * serpq"), read from README.md, passes there under the consumer's own Vitest.
 *
 * It needs the npm registry (about a minute): set
 * SERPQ_SKIP_INSTALL_TEST=1 to skip it offline.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SKIP = process.env.SERPQ_SKIP_INSTALL_TEST === '1';
const MINUTE = 60_000;

interface PackageJson {
  name?: string;
  version?: string;
  engines?: { node?: string };
  bin?: string | Record<string, string>;
  exports?: unknown;
  devDependencies?: Record<string, string>;
}
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
const own = readJson(join(ROOT, 'package.json'));

/** The first ```ts block of the README's "Testing your code against serpq" section. */
function readmeVitestExample(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8').replace(/\r\n/g, '\n');
  const section = readme.indexOf('\n## Testing your code against serpq\n');
  expect(section, 'README.md has a "## Testing your code against serpq" section').toBeGreaterThan(-1);
  const block = /```ts\n([\s\S]*?)\n```/.exec(readme.slice(section));
  expect(block, 'a ```ts block in that section').not.toBeNull();
  const code = block![1]!;
  expect(code).toContain("from 'vitest'");
  expect(code).toContain("from 'serpq/testing'");
  return code;
}

/** Every file the package's bin and exports name, as paths inside the package. */
function entryFiles(pkg: PackageJson): string[] {
  const files = new Set<string>();
  const collect = (value: unknown): void => {
    if (typeof value === 'string') files.add(value);
    else if (value && typeof value === 'object') for (const v of Object.values(value)) collect(v);
  };
  collect(pkg.bin);
  collect(pkg.exports);
  return [...files];
}

/** Every package installed under `dir` (node_modules/, scoped and nested ones included). */
function installedPackages(dir: string): { path: string; pkg: PackageJson }[] {
  const found: { path: string; pkg: PackageJson }[] = [];
  const walk = (modules: string): void => {
    if (!existsSync(modules)) return;
    for (const entry of readdirSync(modules, { withFileTypes: true })) {
      if (entry.name.startsWith('.') || !(entry.isDirectory() || entry.isSymbolicLink())) continue;
      const path = join(modules, entry.name);
      if (entry.name.startsWith('@')) {
        walk(path);
        continue;
      }
      if (!existsSync(join(path, 'package.json'))) continue;
      found.push({ path, pkg: readJson(join(path, 'package.json')) });
      walk(join(path, 'node_modules'));
    }
  };
  walk(join(dir, 'node_modules'));
  return found;
}

/**
 * The environment of a process of the consumer's own: none of what this run's npm (`npm test`'s
 * lifecycle: the project's prefix, package and bin directory) and Vitest (TEST, NODE_ENV, MODE, ...)
 * put there. The user's and CI's npm settings (registry, cache, certificates) stay.
 */
function consumerEnv(): NodeJS.ProcessEnv {
  const dropped =
    /^(VITEST.*|TEST|NODE_ENV|NODE_OPTIONS|MODE|DEV|PROD|SSR|BASE_URL|FORCE_TTY|INIT_CWD|npm_command|npm_execpath|npm_lifecycle_.*|npm_package_.*|npm_config_local_prefix)$/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !dropped.test(key)));
  const pathKey = Object.keys(env).find((key) => key.toUpperCase() === 'PATH') ?? 'PATH';
  env[pathKey] = (env[pathKey] ?? '')
    .split(delimiter)
    .filter((entry) => entry !== '' && entry !== ROOT && !entry.startsWith(ROOT + sep))
    .join(delimiter);
  return env;
}

function run(command: string, args: string[], cwd: string, timeoutMs: number) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd, env: consumerEnv(), encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const output = `$ ${command} ${args.join(' ')}  (in ${cwd}, ${seconds} s, exit ${result.status ?? result.signal})\n${result.stdout}${result.stderr}${result.error ? `\n${result.error.message}` : ''}`;
  return { status: result.status, output, seconds };
}

describe.skipIf(SKIP)('serpq installed from its packed tarball in a fresh project (npm install --engine-strict)', () => {
  const oldestNode = semver.minVersion(own.engines!.node!)!.version;
  const vitestMajor = semver.minVersion(own.devDependencies!.vitest!)!.major;
  let work: string;
  let consumer: string;
  const timings: string[] = [];

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'serpq-install-'));
    // Packed from a copy of the sources, built once by npm pack's own `prepare`: the checkout's dist/
    // is not packed, because other test files rebuild parts of it in place while this one runs
    // (cli-bundle.test.ts removes dist/bin first), and a stale dist/ would pass unnoticed.
    const stage = join(work, 'stage');
    mkdirSync(stage);
    for (const entry of ['package.json', 'README.md', 'tsconfig.json', 'tsconfig.build.json', 'src', 'scripts']) {
      cpSync(join(ROOT, entry), join(stage, entry), { recursive: true });
    }
    symlinkSync(join(ROOT, 'node_modules'), join(stage, 'node_modules'), 'junction');
    const packed = run('npm', ['pack', '--pack-destination', work], stage, 10 * MINUTE);
    timings.push(`npm pack (prepare builds dist) ${packed.seconds} s`);
    expect(packed.status, packed.output).toBe(0);
    const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
    expect(tarball, packed.output).toBeDefined();

    consumer = join(work, 'consumer');
    mkdirSync(consumer);
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'serpq-consumer', version: '0.0.0', private: true, type: 'module' }, null, 2),
    );
    // Install scripts are skipped: better-sqlite3's would compile its addon from source for a minute
    // and a half of CPU (its prebuilt download is out of reach here), on a machine running the rest of
    // the suite. The engine checks are npm's resolution, scripts or not; the addon is the project's
    // own build of the same version for the same Node, copied in.
    const installed = run(
      'npm',
      ['install', '--engine-strict', '--ignore-scripts', '--no-audit', '--no-fund', join(work, tarball!), `vitest@${vitestMajor}`],
      consumer,
      15 * MINUTE,
    );
    timings.push(`npm install ${installed.seconds} s`);
    expect(installed.status, installed.output).toBe(0);
    const addon = (root: string) => join(root, 'node_modules', 'better-sqlite3');
    expect(readJson(join(addon(consumer), 'package.json')).version).toBe(readJson(join(addon(ROOT), 'package.json')).version);
    cpSync(join(addon(ROOT), 'build'), join(addon(consumer), 'build'), { recursive: true });
  }, 25 * MINUTE);

  afterAll(() => {
    console.log(`consumer install: ${timings.join(', ')}`);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('the tarball carries the built files that bin and exports name', () => {
    const installed = join(consumer, 'node_modules', own.name!);
    expect(readJson(join(installed, 'package.json')).version).toBe(own.version);
    const missing = entryFiles(own).filter((file) => !existsSync(join(installed, file)));
    expect(missing).toEqual([]);
  });

  it(`no installed package declares an engines.node that excludes Node ${oldestNode}`, () => {
    const packages = installedPackages(consumer);
    expect(packages.map((p) => p.pkg.name)).toEqual(expect.arrayContaining([own.name, 'fastify', 'vitest']));
    const excluding = packages
      .filter(({ pkg }) => pkg.engines?.node && !semver.satisfies(oldestNode, pkg.engines.node, { includePrerelease: true }))
      .map(({ path, pkg }) => `${pkg.name}@${pkg.version} wants node ${pkg.engines!.node} (${path.slice(consumer.length + 1)})`);
    expect(excluding).toEqual([]);
  });

  it(
    "passes the README's Vitest example under the consumer's own Vitest",
    () => {
      const example = readmeVitestExample();
      writeFileSync(join(consumer, 'readme-example.test.ts'), example);
      const ran = run(
        'npx',
        ['--no', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=vitest-report.json'],
        consumer,
        5 * MINUTE,
      );
      timings.push(`vitest run ${ran.seconds} s`);
      expect(ran.status, ran.output).toBe(0);
      const report = JSON.parse(readFileSync(join(consumer, 'vitest-report.json'), 'utf8')) as {
        numTotalTests: number;
        numPassedTests: number;
      };
      // Every test of the example ran and passed (none skipped or filtered away).
      const declared = example.match(/^(it|test)\(/gm)?.length ?? 0;
      expect(declared).toBeGreaterThan(0);
      expect(report).toMatchObject({ numTotalTests: declared, numPassedTests: declared });
    },
    5 * MINUTE,
  );
});
