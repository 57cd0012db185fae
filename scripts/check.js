#!/usr/bin/env node
/**
 * `npm run check`: the type check and the linter over one TypeScript program.
 *
 * `tsc --noEmit` and `eslint .` with type-aware rules each build and type-check the whole
 * project (src, test, bench, eval): on two cores the two took about 60 s of CPU together, and
 * most of ESLint's was its own second type check. Here the program is built once: its
 * diagnostics are exactly `tsc --noEmit`'s (same tsconfig.json, incremental with the same cache
 * in var/cache), and ESLint runs with the same configuration (eslint.config.js), given that
 * program instead of building its own (`parserOptions.programs`).
 *
 * Exits 0 when both are clean, 1 when either found a problem (both always run, so one run
 * reports everything), 2 when the program could not be built at all.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import ts from 'typescript';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const buildInfo = join(root, 'var', 'cache', 'typecheck.tsbuildinfo');

/** The program of tsconfig.json, incremental like `npm run typecheck` (same cache file). */
function createProgram() {
  const configPath = join(root, 'tsconfig.json');
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => report([d]) };
  const parsed = ts.getParsedCommandLineOfConfigFile(configPath, { incremental: true, tsBuildInfoFile: buildInfo }, host);
  if (parsed === undefined) process.exit(2);
  const builder = ts.createIncrementalProgram({
    rootNames: parsed.fileNames,
    options: parsed.options,
    projectReferences: parsed.projectReferences,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(parsed),
  });
  return builder;
}

const formatHost = {
  getCanonicalFileName: (f) => f,
  getCurrentDirectory: () => root,
  getNewLine: () => '\n',
};

function report(diagnostics) {
  if (diagnostics.length === 0) return;
  const format = process.stdout.isTTY ? ts.formatDiagnosticsWithColorAndContext : ts.formatDiagnostics;
  process.stdout.write(format(diagnostics, formatHost));
}

/** `tsc --noEmit`'s diagnostics, in its order; writes the incremental cache as tsc does. */
function typeCheck(builder) {
  const diagnostics = [
    ...builder.getConfigFileParsingDiagnostics(),
    ...builder.getOptionsDiagnostics(),
    ...builder.getGlobalDiagnostics(),
    ...builder.getSyntacticDiagnostics(),
  ];
  if (diagnostics.length === 0) diagnostics.push(...builder.getSemanticDiagnostics());
  mkdirSync(dirname(buildInfo), { recursive: true });
  // With noEmit, emitting writes only the .tsbuildinfo (what the next run reuses).
  builder.emit();
  const sorted = ts.sortAndDeduplicateDiagnostics(diagnostics);
  report(sorted);
  const errors = sorted.filter((d) => d.category === ts.DiagnosticCategory.Error).length;
  process.stdout.write(`type check: ${errors === 0 ? 'no errors' : `${errors} error${errors === 1 ? '' : 's'}`}\n`);
  return errors === 0;
}

/** `eslint .` with eslint.config.js, its type-aware rules reading the program already built. */
async function lint(program) {
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: [{ files: ['**/*.ts'], languageOptions: { parserOptions: { projectService: false, programs: [program] } } }],
  });
  const results = await eslint.lintFiles(['.']);
  const formatter = await eslint.loadFormatter('stylish');
  const text = await formatter.format(results);
  if (text !== '') process.stdout.write(`${text}\n`);
  // As `eslint .`: warnings are shown, errors fail.
  const errors = results.reduce((n, r) => n + r.errorCount, 0);
  process.stdout.write(`lint: ${errors === 0 ? 'no errors' : `${errors} error${errors === 1 ? '' : 's'}`} in ${results.length} files\n`);
  return errors === 0;
}

const builder = createProgram();
const typesOk = typeCheck(builder);
const lintOk = await lint(builder.getProgram());
process.exitCode = typesOk && lintOk ? 0 : 1;
