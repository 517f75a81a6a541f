# syntax=docker/dockerfile:1
# The production image: the steps are those scripts/smoke.mjs runs in CI (npm ci, npm run build,
# node dist/server.js), so what CI smoke-tests is what this image runs.

# 1. Build: install everything, compile TypeScript to plain JavaScript in dist/, drop dev dependencies.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

# 2. Run: Node, the production dependencies, dist/ and the files it reads at run time
#    (drizzle/ migrations, assets/ fonts), as the unprivileged user `node`.
FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    DATA_DIR=/app/data
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY drizzle ./drizzle
COPY assets ./assets
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# Liveness (the process answers); load balancers should use /readyz (the database answers too).
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM drains within SHUTDOWN_TIMEOUT_MS (10 s); give the container more than that before SIGKILL.
STOPSIGNAL SIGTERM
# node is PID 1 itself (no npm, no shell), so the signal reaches the server.
CMD ["node", "dist/server.js"]
