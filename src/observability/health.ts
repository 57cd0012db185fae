/**
 * Readiness: is the process up, is the knowledge base loaded, is each platform connected?
 * Components register a check; `/healthz` asks all of them on each request.
 */
import type { ComponentHealth, ConnectionStatus } from '../adapters/types.js';
import type { Logger } from './logger.js';

export type { ComponentHealth, ConnectionStatus } from '../adapters/types.js';

/** What the knowledge base reports: loaded yet, which build, how many items. */
export interface KnowledgeHealth {
  loaded: boolean;
  /** Identifies the loaded build (a content hash or load time), `null` before the first load. */
  version: string | null;
  /** Entities + facts + quotes + events + claims + sources. */
  items: number;
}

/**
 * `ok` = ready to answer (HTTP 200); anything else is HTTP 503:
 * `starting` (knowledge not loaded or a platform still connecting), `degraded` (something is
 * down or stopped), `stopping` (a graceful stop has begun).
 */
export type HealthStatus = 'ok' | 'starting' | 'degraded' | 'stopping';

export interface HealthReport {
  status: HealthStatus;
  uptimeSeconds: number;
  knowledge: KnowledgeHealth;
  /** Each platform adapter's connection, e.g. `{ telegram: 'connected', discord: 'connecting' }`. */
  platforms: Record<string, ConnectionStatus>;
  /** Other parts (database, scheduler), same states. */
  components: Record<string, ConnectionStatus>;
  /** Per-part details that do not change the status (e.g. each feed's state), when any registered. */
  details?: Record<string, unknown>;
}

export type HealthCheck = () => ComponentHealth | Promise<ComponentHealth>;

export interface HealthRegistryOptions {
  /** Logs a check that throws or times out (the HTTP answer never carries error text). */
  logger?: Logger;
  /** A check slower than this counts as `down` (default 2 s). */
  checkTimeoutMs?: number;
  /** Seconds since start (injected in tests; default `process.uptime()`). */
  uptime?: () => number;
}

const NOT_LOADED: KnowledgeHealth = { loaded: false, version: null, items: 0 };

/**
 * Collects health checks and turns them into one {@link HealthReport}.
 *
 * @example
 * const health = new HealthRegistry({ logger });
 * health.setKnowledge(() => ({ loaded: true, version: 'a1b2c3', items: 412 }));
 * health.register('telegram', () => telegram.health());
 * health.register('database', () => ({ status: 'connected' }), 'component');
 * startHttpServer({ host, port, health: () => health.report(), metrics });
 */
export class HealthRegistry {
  readonly #checks = new Map<string, { check: HealthCheck; group: 'platform' | 'component' }>();
  readonly #details = new Map<string, () => unknown>();
  #knowledge: () => KnowledgeHealth = () => NOT_LOADED;
  #stopping = false;
  readonly #options: HealthRegistryOptions;

  constructor(options: HealthRegistryOptions = {}) {
    this.#options = options;
  }

  /**
   * Register (or replace) a named check. Platforms (`telegram`, `discord`, `console`) go in the
   * report's `platforms`; pass `'component'` for anything else (database, scheduler).
   */
  register(name: string, check: HealthCheck, group: 'platform' | 'component' = 'platform'): void {
    this.#checks.set(name, { check, group });
  }

  /** Remove a check (a platform that was switched off at run time). */
  unregister(name: string): void {
    this.#checks.delete(name);
  }

  /**
   * Show `read()`'s result under `details[name]` in every report. Details inform (a failing
   * feed, with its reason) without changing the status: the bot still answers.
   */
  setDetails(name: string, read: () => unknown): void {
    this.#details.set(name, read);
  }

  /** Say how to read the knowledge base's state; until then it counts as not loaded. */
  setKnowledge(check: () => KnowledgeHealth): void {
    this.#knowledge = check;
  }

  /** From now on report `stopping` (HTTP 503), so load balancers stop sending work. */
  markStopping(): void {
    this.#stopping = true;
  }

  /** Ask every check (concurrently, each bounded) and summarise. Never throws. */
  async report(): Promise<HealthReport> {
    const knowledge = this.#readKnowledge();
    const entries = await Promise.all(
      [...this.#checks].map(async ([name, { check, group }]) => [name, group, await this.#run(name, check)] as const),
    );
    const platforms: Record<string, ConnectionStatus> = {};
    const components: Record<string, ConnectionStatus> = {};
    for (const [name, group, status] of entries) (group === 'platform' ? platforms : components)[name] = status;
    const states = entries.map(([, , status]) => status);
    const status: HealthStatus = this.#stopping
      ? 'stopping'
      : states.some((s) => s === 'down' || s === 'stopped')
        ? 'degraded'
        : !knowledge.loaded || states.some((s) => s !== 'connected')
          ? 'starting'
          : 'ok';
    const uptime = this.#options.uptime ?? (() => process.uptime());
    const report: HealthReport = { status, uptimeSeconds: Math.floor(uptime()), knowledge, platforms, components };
    if (this.#details.size > 0) report.details = this.#readDetails();
    return report;
  }

  #readDetails(): Record<string, unknown> {
    const details: Record<string, unknown> = {};
    for (const [name, read] of this.#details) {
      try {
        details[name] = read();
      } catch (error) {
        this.#options.logger?.warn({ err: error, check: name }, 'health details failed');
      }
    }
    return details;
  }

  #readKnowledge(): KnowledgeHealth {
    try {
      const k = this.#knowledge();
      return { loaded: k.loaded, version: k.version, items: k.items };
    } catch (error) {
      this.#options.logger?.warn({ err: error, check: 'knowledge' }, 'health check failed');
      return NOT_LOADED;
    }
  }

  async #run(name: string, check: HealthCheck): Promise<ConnectionStatus> {
    const timeoutMs = this.#options.checkTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`health check took longer than ${timeoutMs} ms`)), timeoutMs);
      });
      const result = await Promise.race([Promise.resolve().then(check), timeout]);
      return result.status;
    } catch (error) {
      this.#options.logger?.warn({ err: error, check: name }, 'health check failed');
      return 'down';
    } finally {
      clearTimeout(timer);
    }
  }
}
