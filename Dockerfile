# One image for every Trawl process: the command picks the role (api, worker crawl, worker ingest).
FROM node:20-bookworm-slim
ENV PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 NODE_ENV=production LOG_FORMAT=json
RUN apt-get update \
 && apt-get install -y --no-install-recommends chromium ca-certificates \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
EXPOSE 3000 9100
ENTRYPOINT ["node", "--max-semi-space-size=64", "--import", "tsx", "bin/trawl.ts"]
CMD ["api"]
