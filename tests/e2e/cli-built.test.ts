// The built command line (dist-cli/main.js, from `npm run build`) runs under plain Node.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';

it('node dist-cli/main.js explains the demo and writes deploy.zip', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'gradcam-built-'));
  const log = execFileSync(process.execPath, ['dist-cli/main.js', '--dataset', 'public/demo/quickdraw-test.zip', '--model', 'public/demo/model', '--out-directory', out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  expect(log).toMatch(/Done: 300 explained .*254 correct, 46 incorrect/);
  expect(fs.statSync(path.join(out, 'deploy.zip')).size).toBeGreaterThan(100_000);
});
