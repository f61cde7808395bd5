# syntax=docker/dockerfile:1
#
# The wallet API. Build from the repository root:
#   docker build -f docker/wallet-api.Dockerfile -t wallet-api .
# The image needs DATABASE_URL: it never starts the embedded PostgreSQL.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Install scripts only prepare the embedded PostgreSQL binaries, which the image never uses
# because DATABASE_URL is always set.
RUN npm ci --ignore-scripts
COPY nest-cli.json tsconfig*.json ./
COPY apps ./apps
COPY libs ./libs
RUN npx nest build wallet-api
# The operator console: static files the API serves at /console (CONSOLE_DIR).
RUN npm run build:console

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/apps/wallet-api ./dist/apps/wallet-api
COPY --from=build /app/dist/console ./dist/console
# Listen on every interface: inside a container 127.0.0.1 cannot be reached from outside.
ENV HOST=0.0.0.0 PORT=3000
EXPOSE 3000
USER node
CMD ["node", "dist/apps/wallet-api/main.js"]
