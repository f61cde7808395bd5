# syntax=docker/dockerfile:1
#
# The projector (no HTTP). Build from the repository root:
#   docker build -f docker/projector.Dockerfile -t wallet-projector .
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
RUN npx nest build projector

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY --from=build /app/dist/apps/projector ./dist/apps/projector
USER node
CMD ["node", "dist/apps/projector/main.js"]
