/**
 * This machine has no Docker engine, so the container files are checked by reading them: every
 * point the Deploying guide promises (slim Node 20, native module built from source, dev
 * dependencies pruned, non-root user, volumes, health check, signals) is asserted here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { execForm, parseDockerfile, parseEnv, type Instruction } from './dockerfile.js';

const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const instructions = parseDockerfile(read('Dockerfile'));
const froms = instructions.filter((i) => i.keyword === 'FROM');
const finalStage = froms.length - 1;
const inStage = (stage: number, keyword: string): Instruction[] => instructions.filter((i) => i.stage === stage && i.keyword === keyword);
const runs = (stage: number) => inStage(stage, 'RUN').map((i) => i.args).join('\n');
const envOf = (stage: number) => Object.assign({}, ...inStage(stage, 'ENV').map((i) => parseEnv(i.args))) as Record<string, string>;

describe('Dockerfile', () => {
  it('is multi-stage, every stage on the slim Node 20 image', () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const from of froms) expect(from.args).toMatch(/^node:20-bookworm-slim(\s|$)/);
    expect(froms[0]?.args).toMatch(/\bAS build$/i);
  });

  describe('build stage', () => {
    it('installs the compilers better-sqlite3 needs, without recommended extras', () => {
      expect(runs(0)).toMatch(/apt-get install -y --no-install-recommends [^\n]*\bpython3\b/);
      expect(runs(0)).toMatch(/\bmake\b/);
      expect(runs(0)).toMatch(/\bg\+\+/);
      expect(runs(0)).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
    });

    it('builds native modules from source with local headers: no prebuilt binary or header download', () => {
      const env = envOf(0);
      expect(env.npm_config_build_from_source).toBe('true');
      expect(env.npm_config_nodedir).toBe('/usr/local');
      const buildEnvIndex = instructions.findIndex((i) => i.keyword === 'ENV' && 'npm_config_build_from_source' in parseEnv(i.args));
      const ciIndex = instructions.findIndex((i) => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args));
      expect(buildEnvIndex).toBeGreaterThan(-1);
      expect(buildEnvIndex).toBeLessThan(ciIndex);
    });

    it('installs from the lock file, compiles, then prunes dev dependencies', () => {
      const text = runs(0);
      const ci = text.indexOf('npm ci');
      const build = text.indexOf('npm run build');
      const prune = text.indexOf('npm prune --omit=dev');
      expect(ci).toBeGreaterThan(-1);
      expect(build).toBeGreaterThan(ci);
      expect(prune).toBeGreaterThan(build);
    });

    it('copies the lock file before the sources, so dependency layers are cached', () => {
      const copies = inStage(0, 'COPY').map((i) => i.args);
      expect(copies[0]).toMatch(/package\.json package-lock\.json/);
      expect(copies.findIndex((c) => c.startsWith('src'))).toBeGreaterThan(0);
    });
  });

  describe('runtime stage', () => {
    it('takes only production node_modules and the compiled dist/ from the build stage, plus the story data', () => {
      const copies = inStage(finalStage, 'COPY').map((i) => i.args);
      expect(copies.some((c) => /--from=build\b.*\/app\/node_modules \.\/node_modules/.test(c))).toBe(true);
      expect(copies.some((c) => /--from=build\b.*\/app\/dist \.\/dist/.test(c))).toBe(true);
      expect(copies.some((c) => /\bdata \.\/data$/.test(c))).toBe(true);
      // The web dossier serves the documentation at /docs/.
      expect(copies.some((c) => /\bdocs \.\/docs$/.test(c))).toBe(true);
      expect(copies.some((c) => /\bREADME\.md \.\/README\.md$/.test(c))).toBe(true);
      expect(copies.some((c) => /\bsrc\b/.test(c))).toBe(false);
      expect(runs(finalStage)).not.toMatch(/npm (ci|install)/);
    });

    it('sets the production environment', () => {
      expect(envOf(finalStage)).toMatchObject({
        NODE_ENV: 'production',
        HTTP_PORT: '8080',
        DATA_DIR: '/app/data',
        DATABASE_PATH: '/app/var/dossier.sqlite',
        CONSOLE: 'off',
      });
    });

    it('runs as the non-root user node', () => {
      const users = inStage(finalStage, 'USER');
      expect(users.at(-1)?.args).toBe('node');
      const userIndex = instructions.indexOf(users.at(-1) as Instruction);
      expect(instructions.slice(userIndex).some((i) => i.keyword === 'USER' && /^(root|0)\b/.test(i.args))).toBe(false);
    });

    it('keeps the database and the articles on volumes the node user can write', () => {
      const volumes = inStage(finalStage, 'VOLUME').flatMap((i) => execForm(i.args) ?? i.args.split(/\s+/));
      expect(volumes).toContain('/app/var');
      expect(volumes).toContain('/app/data');
      expect(runs(finalStage)).toMatch(/mkdir -p \/app\/var && chown node:node \/app\/var/);
    });

    it('exposes the health/metrics port and checks /healthz with node (the slim image has no curl)', () => {
      expect(inStage(finalStage, 'EXPOSE').map((i) => i.args)).toContain('8080');
      const [healthcheck] = inStage(finalStage, 'HEALTHCHECK');
      expect(healthcheck?.args).toMatch(/--interval=\d+s/);
      expect(healthcheck?.args).toMatch(/--timeout=\d+s/);
      const command = execForm(healthcheck?.args.replace(/^.*?CMD\s+/, '') ?? '');
      expect(command).toEqual(['node', 'dist/observability/healthcheck.js']);
      expect(existsSync(new URL('src/observability/healthcheck.ts', root))).toBe(true);
      expect(runs(finalStage)).not.toMatch(/curl|wget/);
    });

    it('starts node directly in exec form, so node itself receives SIGTERM', () => {
      expect(inStage(finalStage, 'STOPSIGNAL').map((i) => i.args)).toEqual(['SIGTERM']);
      const cmds = inStage(finalStage, 'CMD');
      expect(cmds).toHaveLength(1);
      expect(execForm(cmds[0]?.args ?? '')).toEqual(['node', 'dist/main.js']);
      expect(instructions.some((i) => i.keyword === 'ENTRYPOINT')).toBe(false);
    });
  });

  it('copies only files that exist and that .dockerignore lets through', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'));
    const sources = instructions
      .filter((i) => i.keyword === 'COPY' && !i.args.includes('--from='))
      .flatMap((i) => i.args.replace(/--\S+\s+/g, '').split(/\s+/).slice(0, -1));
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(new URL(source, root)), source).toBe(true);
      expect(ignored, source).not.toContain(source);
    }
  });
});

describe('.dockerignore', () => {
  it('keeps secrets, local state and host-built modules out of the image', () => {
    const lines = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const entry of ['.env', 'node_modules', 'dist', 'var', '.git']) expect(lines).toContain(entry);
  });
});

describe('build scripts', () => {
  it('npm run build compiles src/ into dist/, and start:prod runs the compiled entry point with plain node', () => {
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json');
    expect(pkg.scripts['start:prod']).toBe('node dist/main.js');
    const build = JSON.parse(read('tsconfig.build.json')) as { compilerOptions: Record<string, unknown>; include: string[] };
    expect(build.compilerOptions).toMatchObject({ noEmit: false, outDir: 'dist', rootDir: 'src' });
    expect(build.include).toEqual(['src']);
  });
});

describe('compose.yaml', () => {
  const compose = parseYaml(read('compose.yaml')) as {
    services: Record<string, Record<string, unknown>>;
    volumes?: Record<string, unknown>;
  };
  const service = compose.services.dossier ?? {};

  it('builds this Dockerfile and restarts the bot unless stopped', () => {
    expect(service.build).toBe('.');
    expect(service.restart).toBe('unless-stopped');
  });

  it('runs an init process that forwards signals, and waits longer than the graceful stop bound', () => {
    expect(service.init).toBe(true);
    expect(service.stop_signal).toBe('SIGTERM');
    const grace = /^(\d+)s$/.exec(String(service.stop_grace_period));
    expect(Number(grace?.[1]) * 1000).toBeGreaterThan(10_000);
  });

  it('reads settings from .env and fixes the in-container paths and port', () => {
    expect(service.env_file).toEqual(['.env']);
    expect(service.environment).toMatchObject({ NODE_ENV: 'production', HTTP_PORT: '8080', DATABASE_PATH: '/app/var/dossier.sqlite', DATA_DIR: '/app/data' });
  });

  it('keeps the database on a named volume and mounts the story data', () => {
    const volumes = service.volumes as string[];
    expect(volumes).toContain('dossier-var:/app/var');
    expect(volumes.some((v) => /^\.\/data:\/app\/data(:ro)?$/.test(v))).toBe(true);
    expect(compose.volumes).toHaveProperty('dossier-var');
  });

  it('health-checks with the same node command as the image and publishes the port on loopback only', () => {
    const healthcheck = service.healthcheck as Record<string, unknown>;
    expect(healthcheck.test).toEqual(['CMD', 'node', 'dist/observability/healthcheck.js']);
    for (const key of ['interval', 'timeout', 'retries', 'start_period']) expect(healthcheck).toHaveProperty(key);
    expect(service.ports).toEqual(['127.0.0.1:8080:8080']);
  });
});

describe('compose.yaml: several instances on PostgreSQL behind a proxy', () => {
  const compose = parseYaml(read('compose.yaml')) as {
    services: Record<string, Record<string, unknown>>;
    volumes?: Record<string, unknown>;
    configs?: Record<string, { content?: string }>;
  };
  const replicas = ['dossier-1', 'dossier-2'].map((name) => compose.services[name] ?? {});
  const caddyfile = compose.configs?.caddyfile?.content ?? '';

  it('is an opt-in profile: `docker compose up` alone still starts only the single SQLite bot', () => {
    expect(compose.services.dossier?.profiles).toBeUndefined();
    for (const name of ['postgres', 'dossier-1', 'dossier-2', 'proxy']) expect(compose.services[name]?.profiles, name).toEqual(['scaled']);
  });

  it('runs PostgreSQL with its data on a named volume and a readiness check the bots wait for', () => {
    const postgres = compose.services.postgres ?? {};
    expect(String(postgres.image)).toMatch(/^postgres:\d+/);
    expect(postgres.volumes).toContain('dossier-pg:/var/lib/postgresql/data');
    expect((postgres.healthcheck as { test: string[] }).test).toContain('pg_isready');
    expect(compose.volumes).toHaveProperty('dossier-pg');
    for (const replica of replicas) expect(replica.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
  });

  it('runs two replicas of the same image on that database, reachable only through the proxy', () => {
    for (const replica of replicas) {
      expect(replica.build).toBe('.');
      const environment = replica.environment as Record<string, string>;
      expect(environment.DATABASE_URL).toMatch(/^postgres:\/\/dossier:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432\/dossier$/);
      expect(environment).toMatchObject({ HTTP_PORT: '8080', TELEGRAM_WEBHOOK_PORT: '8443', CONSOLE: 'off' });
      expect(replica.ports).toBeUndefined();
      expect(replica.init).toBe(true);
      expect((replica.healthcheck as { test: string[] }).test).toEqual(['CMD', 'node', 'dist/observability/healthcheck.js']);
    }
    expect(compose.services.proxy?.ports).toEqual(['80:80', '443:443']);
  });

  it('sends Discord interactions and Telegram webhook calls to both replicas, only while they are healthy', () => {
    expect(caddyfile).toMatch(/handle \/interactions \{\s*reverse_proxy dossier-1:8080 dossier-2:8080 \{[^}]*health_uri \/healthz/);
    expect(caddyfile).toMatch(/handle \/telegram \{\s*reverse_proxy dossier-1:8443 dossier-2:8443 \{[^}]*health_uri \/healthz\s+health_port 8080/);
    // `$$` is Compose's escape: Caddy itself reads {$PUBLIC_HOST} from its environment.
    expect(caddyfile).toContain('{$$PUBLIC_HOST}');
    expect((compose.services.proxy?.environment as Record<string, string>).PUBLIC_HOST).toMatch(/^\$\{PUBLIC_HOST/);
  });
});
