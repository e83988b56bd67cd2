# Maestro API image (the reference pipeline and the `maestro` CLI run from the same image with
# another command).
# docs/deployment.md explains it; CI proves this recipe's install and build commands in a clean
# folder (scripts/production-install-test.mjs) but no image is built on the project's machines.
ARG NODE_IMAGE=node:22-bookworm-slim

# Package manifests only, shared by both stages: dependencies install before the sources are
# copied, so a source change reuses the installed layers.
FROM ${NODE_IMAGE} AS manifests
WORKDIR /app
COPY package.json package-lock.json ./
COPY api/package.json api/
COPY sdk/package.json sdk/
COPY pipeline/package.json pipeline/
COPY cli/package.json cli/
COPY test/package.json test/
COPY scripts/api-build.mjs scripts/

# Build stage: every dependency, then the API, the SDK, the pipeline and the CLI.
FROM manifests AS build
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Runtime stage: production dependencies and the built output only.
FROM manifests AS runtime
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8001
RUN npm ci --omit=dev --no-audit --no-fund
COPY --from=build /app/api/dist api/dist
COPY --from=build /app/sdk/dist sdk/dist
COPY --from=build /app/pipeline/dist pipeline/dist
COPY --from=build /app/pipeline/config pipeline/config
COPY --from=build /app/cli/dist cli/dist
# The official image's unprivileged user; the API writes nothing to /app (use a database server,
# or mount a volume writable by uid 1000 for DATABASE_URL=pglite:/data).
USER node
EXPOSE 8001
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8001)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# main.js handles SIGTERM: stops accepting connections, drains in-flight requests, closes the
# database and exits 0 (a second signal exits at once). Node runs as PID 1 without a shell.
STOPSIGNAL SIGTERM
CMD ["node", "api/dist/main.js"]
