/**
 * vitest's global setup, run once before any test file: compiles what the tests start as child
 * processes (see ./compiled.ts), and again before each rerun in watch mode, so that processes
 * never run code older than the tests beside them.
 */
import type { TestProject } from 'vitest/node';
import { compileForProcesses } from './compiled.js';

export default function setup(project: TestProject): void {
  compileForProcesses();
  project.onTestsRerun(() => compileForProcesses({ again: true }));
}
