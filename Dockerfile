# The Edge Impulse custom deployment block: the command line (src/cli), built, on Node 20 slim.
# Studio runs it with --metadata deployment-metadata.json (privileged: the project's API key is in
# it); it downloads the export and the model, explains the test split and writes deploy.zip.
FROM node:20-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json vite.config.ts ./
COPY src ./src
RUN npm run build:cli

FROM node:20-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist-cli ./dist-cli
USER node
ENTRYPOINT ["node", "/app/dist-cli/main.js"]
