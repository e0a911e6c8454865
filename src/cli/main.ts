#!/usr/bin/env node
// Entry point of the command line (`npm run build` builds it into dist-cli/main.js).
import { runCli } from './run';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(`gradcam: ${e.message}`);
    process.exit(1);
  },
);
