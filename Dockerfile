# tencentcloud-emulator as a container image.
#
#   docker build -t tencentcloud-emulator .
#   docker run --rm -p 9000:9000 -v tce-data:/data tencentcloud-emulator
#
# Listens on 0.0.0.0:9000 inside the container, keeps its data in the /data
# volume, runs as the unprivileged "node" user. Every setting is an environment
# variable (the ENV block below lists them all with their defaults); flags given
# after the image name are passed to the emulator and win over the variables.
# test/docker/dockerfile.test.ts runs this file's entry command with this
# environment (there is no container runtime where the tests run).

ARG NODE_IMAGE=node:20-alpine

# --- build: compile the TypeScript ------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
RUN npm run build

# --- deps: run-time dependencies only ----------------------------------------
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# --- the image ----------------------------------------------------------------
FROM ${NODE_IMAGE}
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /src/dist/src ./dist/src
COPY package.json ./
COPY schemas ./schemas
COPY fixtures ./fixtures
RUN mkdir -p /data && chown node:node /data
USER node
ENV NODE_ENV=production \
    TCE_HOST=0.0.0.0 \
    TCE_PORT=9000 \
    TCE_DATA=/data/emulator.json \
    TCE_IN_MEMORY=false \
    TCE_RESET_DAMAGED_DATA=false \
    TCE_FIXTURES=/app/fixtures/default.json \
    TCE_AUTH=permissive \
    TCE_LOG_LEVEL=info \
    TCE_UTC_OFFSET=+08:00 \
    TCE_MAX_USERS_PER_ZONE=1000 \
    TCE_MAX_GROUPS_PER_ZONE=500 \
    TCE_MAX_MEMBERS_PER_GROUP=1000 \
    TCE_RATE_LIMITS=false
# Settings that are off unless given (no value means off, so they are not set here):
#   TCE_SEED=<n>              deterministic IDs, secrets and RequestIds
#   TCE_CLOCK=<ISO-8601>      start with the clock frozen at that instant
#   TCE_CONTROL_TOKEN=<token> lets clients outside the container use /_emulator (the host is not loopback to it)
#   TCE_PUBLIC_URL=<url>      the address browsers and IdPs use (SAML Entity ID and ACS URL); without it
#                             http://127.0.0.1:9000, right only when the port is published as 9000
VOLUME ["/data"]
EXPOSE 9000
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.TCE_PORT || 9000) + '/_emulator/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# node is PID 1: the emulator handles SIGTERM (docker stop) itself and shuts down cleanly.
ENTRYPOINT ["node", "/app/dist/src/cli.js"]
