# syntax=docker/dockerfile:1.7
# The agentsec CLI as a container image. Build:   docker build -t agentsec-server:0.1.0 .
# Use it with a volume for the home:            docker run --rm -v agentsec-home:/var/lib/agentsec agentsec-server:0.1.0 init
# It passes its own hardening checks:           agentsec lint --profile strict Dockerfile

# Build stage: the full image has the compilers that better-sqlite3 and argon2 need for their native parts.
FROM node:20.20.2-bookworm AS build
WORKDIR /src
# `npm ci` runs the package's prepare script (the build), so the sources go in first.
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund && npm prune --omit=dev

# Runtime stage: the slim image of the same Debian release (the native modules link against its glibc), no compilers,
# no sources, no dev dependencies; the unprivileged `node` user owns only the home.
FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production \
    AGENTSEC_HOME=/var/lib/agentsec
WORKDIR /opt/agentsec
COPY --from=build /src/package.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/bin ./bin
COPY --from=build /src/dist/cli ./dist/cli
RUN ln -s /opt/agentsec/bin/agentsec.js /usr/local/bin/agentsec \
    && mkdir -p /var/lib/agentsec \
    && chown node:node /var/lib/agentsec \
    && chmod 0700 /var/lib/agentsec
USER node
VOLUME ["/var/lib/agentsec"]
# Healthy while the home, store, master key and permissions are (a long-running `blocks ingest -f`, for example).
HEALTHCHECK --interval=5m --timeout=30s --start-period=30s CMD ["agentsec", "doctor", "--quiet"]
ENTRYPOINT ["agentsec"]
CMD ["--help"]
