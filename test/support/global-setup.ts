/**
 * vitest's global setup, run once before any test file: compiles what the tests start as child
 * processes (see ./compiled.ts).
 */
import { compileForProcesses } from './compiled.js';

export default function setup(): void {
  compileForProcesses();
}
