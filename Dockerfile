# threaddesk, multi-stage: compile TypeScript with the dev toolchain, install the
# production dependencies alone with `npm ci --omit=dev` (better-sqlite3 is a native
# module built from source when no prebuilt binary can be fetched), and run the
# compiled JavaScript on a slim image as the non-root user.

FROM node:20-bookworm-slim AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

# dist/: TypeScript compiled with the full (dev) dependencies.
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

# node_modules/: what runs, and nothing else. Dropped after the install: the native build's
# sources and intermediates (26 MB), type declarations, source maps, markdown and packages'
# test folders, none of which Node loads. 108 MB → 41 MB on disk (27 MB of file contents).
FROM toolchain AS runtime-deps
RUN npm ci --omit=dev --no-audit --no-fund \
 && rm -rf node_modules/better-sqlite3/deps node_modules/better-sqlite3/src \
           node_modules/better-sqlite3/build/Release/obj* node_modules/better-sqlite3/build/Release/.deps \
           node_modules/better-sqlite3/build/deps \
 && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.cts' -o -name '*.d.mts' -o -name '*.map' -o -name '*.md' -o -name '*.markdown' \) -delete \
 && find node_modules -type d \( -name test -o -name tests -o -name __tests__ \) -prune -exec rm -rf {} + \
 && npm cache clean --force

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=runtime-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json LICENSE ./
COPY config/bot.example.yaml ./config/bot.example.yaml
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# SIGTERM drains the outbox (shutdown_drain_seconds) and exits 0; node is PID 1 and handles it itself.
# Other commands: `docker compose run --rm bot node dist/main.js doctor`, `… setup slack`.
CMD ["node", "dist/main.js"]
