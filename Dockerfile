# One image for every Trawl process: the command picks the role (api, worker crawl, worker ingest).
# It runs as the unprivileged `node` user; Chromium (for rendered pages) runs as that user too,
# with the flags crawler/render/browser.ts passes (no sandbox: a container has no user namespaces).
FROM node:20-bookworm-slim
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NODE_ENV=production LOG_FORMAT=json CHROMIUM_PATH=/usr/bin/chromium
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium ca-certificates fonts-liberation \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
RUN chown node:node /app
USER node
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node scripts ./scripts
COPY --chown=node:node prisma ./prisma
COPY --chown=node:node prisma.config.ts ./
# Production dependencies only (NODE_ENV=production): everything the processes import at run
# time is in "dependencies", which test/architecture.test.ts checks.
RUN npm ci --no-audit --no-fund
COPY --chown=node:node . .
EXPOSE 3000 9100
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
ENTRYPOINT ["node", "--max-semi-space-size=64", "--import", "tsx", "bin/trawl.ts"]
CMD ["api"]
