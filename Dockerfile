# syntax=docker/dockerfile:1
# Dossier: a multi-stage build on Node 20 slim.
#   docker build -t dossier .
#   docker run --rm --init --env-file .env -p 8080:8080 -v dossier-var:/app/var dossier
# See docs: "Deploying" in README.md.

# ── Build stage: compile TypeScript and the native SQLite module, then drop dev dependencies ──
FROM node:20-bookworm-slim AS build
WORKDIR /app

# better-sqlite3 is compiled here from source: no prebuilt binary is downloaded (so the build
# works where GitHub release downloads are blocked), and node-gyp uses the headers that ship in
# this image (/usr/local/include/node) instead of fetching them.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=true \
    npm_config_nodedir=/usr/local \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false

COPY package.json package-lock.json ./
RUN npm ci

COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev \
 && npm cache clean --force

# ── Runtime stage: compiled code, production dependencies, the story data and the docs, as user node ──
FROM node:20-bookworm-slim AS runtime
WORKDIR /app

ENV NODE_ENV=production \
    HTTP_PORT=8080 \
    HTTP_HOST=0.0.0.0 \
    DATA_DIR=/app/data \
    DATABASE_PATH=/app/var/dossier.sqlite \
    CONSOLE=off \
    LOG_FORMAT=json

COPY --from=build --chown=node:node /app/package.json ./package.json
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node data ./data
# The web dossier serves the documentation read-only at /docs/ (src/web/pages/docs.ts).
COPY --chown=node:node docs ./docs
COPY --chown=node:node README.md ./README.md
RUN mkdir -p /app/var && chown node:node /app/var

USER node

# The database (subscriptions, delivered digests) must outlive the container.
VOLUME ["/app/var"]
# Stories and added articles: mount a folder here (or one story at /app/data/stories/<story>).
VOLUME ["/app/data"]

EXPOSE 8080

# No curl in the slim image: node asks GET /healthz (200 = ready) and exits 0 or 1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "dist/observability/healthcheck.js"]

# Exec form: node is the process that gets SIGTERM and stops gracefully (see shutdown).
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
