// Turns src/render/overlay.wat into the bytes the app loads (src/render/overlayWasm.bytes.ts), with
// wabt's wat2wasm. `npm run wasm` after editing the .wat; `--check` only says whether the two
// agree (a unit test runs it).
import fs from 'node:fs';
import path from 'node:path';
import wabt from 'wabt';

const root = path.join(import.meta.dirname, '..');
const WAT = path.join(root, 'src/render/overlay.wat');
const OUT = path.join(root, 'src/render/overlayWasm.bytes.ts');

/** The module's bytes, compiled from the .wat text. */
async function wasmBytes() {
  const w = await wabt();
  const module = w.parseWat('overlay.wat', fs.readFileSync(WAT, 'utf8'), { simd: true });
  try {
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

const bytesModule = (bytes) =>
  `// Generated from overlay.wat by \`npm run wasm\` (scripts/wasm.mjs); do not edit.\nexport const OVERLAY_WASM = '${bytes.toString('base64')}';\n`;

const text = bytesModule(await wasmBytes());
if (process.argv.includes('--check')) {
  if (fs.readFileSync(OUT, 'utf8') !== text) {
    console.error(`${path.relative(root, OUT)} is not overlay.wat's: run npm run wasm`);
    process.exit(1);
  }
} else {
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(root, OUT)}`);
}
