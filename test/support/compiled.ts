/**
 * Child processes that start from JavaScript compiled once per test run, not from TypeScript
 * through tsx.
 *
 * Measured on the 2-core machine: `node --import tsx src/main.ts` took about 2.9 s of CPU to start
 * and stop, the same code compiled about 1.4 s — tsx's loader hooks handle every module the
 * process loads. The suite starts some fifty processes (the fleet tests alone start nineteen, one
 * after another). So vitest's global setup (`compileForProcesses`, in vitest.config.ts)
 * transpiles `src/` and the non-test modules of `test/` once into `var/cache/test-js/`, a mirror of
 * the repository (its `data`, `docs`, `README.md` and `package.json` linked in, so paths the code
 * finds from its own location lead to the same files), and the tests start those.
 *
 * What a user runs through tsx (`npm start`, `npx dossier`) keeps its own tests through tsx
 * (test/app/closed-output.test.ts, the `npx` case of test/cli/ask.test.ts); the compiled bot of
 * `npm run build` is test/deploy/process.test.ts.
 */
import { existsSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '../..');

/**
 * Where the compiled mirror of the repository lives during a test run. `npm test` runs its two
 * vitest runs at once and names each its own mirror (`DOSSIER_TEST_JS_NAME`), so that neither
 * deletes the other's while its processes start from it.
 */
export const COMPILED_ROOT = join(repo, 'var', 'cache', process.env.DOSSIER_TEST_JS_NAME ?? 'test-js');

/** What the mirror links to rather than compiles: files the code reads relative to itself. */
const LINKED = ['data', 'docs', 'README.md', 'package.json'];

/**
 * The compiled file of a module of this repository, to start as a process with plain node.
 *
 * @example
 * spawn(process.execPath, [compiled('src/main.ts')], { cwd: repo });
 */
export function compiled(path: string): string {
  const file = join(COMPILED_ROOT, relative(repo, resolve(repo, path)).replace(/\.ts$/u, '.js'));
  if (!existsSync(file)) throw new Error(`${file} is missing: processes start from the code vitest's global setup compiles (test/support/compiled.ts); run the tests through vitest.`);
  return file;
}

/** Every `.ts` module under `dir` but test files and declarations. */
function modules(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return modules(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The part of esbuild's API used here (esbuild is what tsx itself compiles with). */
interface Esbuild {
  buildSync(options: {
    entryPoints: string[];
    outdir: string;
    outbase: string;
    format: 'esm';
    platform: 'node';
    target: string;
    bundle: false;
    logLevel: 'error';
  }): unknown;
}

/** tsx's own esbuild: the transform `node --import tsx` applies, without its loader hooks. */
function esbuild(): Esbuild {
  const fromTsx = createRequire(createRequire(import.meta.url).resolve('tsx/package.json'));
  return fromTsx('esbuild') as Esbuild;
}

/**
 * vitest's global setup: transpile `src/` and the support modules of `test/` into
 * {@link COMPILED_ROOT}, file by file as tsx does (type syntax removed, nothing bundled). Types
 * are the check step's job, not this one's.
 */
export function compileForProcesses(options: { again?: boolean } = {}): void {
  // Each project of vitest.config.ts runs the global setup: compile once per run (and per rerun).
  if (options.again !== true && process.env.DOSSIER_TEST_JS === COMPILED_ROOT) return;
  rmSync(COMPILED_ROOT, { recursive: true, force: true });
  esbuild().buildSync({
    entryPoints: [...modules(join(repo, 'src')), ...modules(join(repo, 'test'))],
    outdir: COMPILED_ROOT,
    outbase: repo,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    logLevel: 'error',
  });
  for (const name of LINKED) symlinkSync(join(repo, name), join(COMPILED_ROOT, name));
  process.env.DOSSIER_TEST_JS = COMPILED_ROOT;
}
