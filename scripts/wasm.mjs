// Turns src/render/blend.wat into the bytes the app loads (src/render/blendWasm.bytes.ts), with
// wabt's wat2wasm. `npm run wasm` after editing the .wat; `--check` only says whether the two
// agree (a unit test runs it).
import fs from 'node:fs';
import path from 'node:path';
import wabt from 'wabt';

const root = path.join(import.meta.dirname, '..');
const WAT = path.join(root, 'src/render/blend.wat');
const OUT = path.join(root, 'src/render/blendWasm.bytes.ts');

/** The module's bytes, compiled from the .wat text. */
async function blendWasmBytes() {
  const w = await wabt();
  const module = w.parseWat('blend.wat', fs.readFileSync(WAT, 'utf8'), { simd: true });
  try {
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

const bytesModule = (bytes) =>
  `// Generated from blend.wat by \`npm run wasm\` (scripts/wasm.mjs); do not edit.\nexport const BLEND_WASM = '${bytes.toString('base64')}';\n`;

const text = bytesModule(await blendWasmBytes());
if (process.argv.includes('--check')) {
  if (fs.readFileSync(OUT, 'utf8') !== text) {
    console.error(`${path.relative(root, OUT)} is not blend.wat's: run npm run wasm`);
    process.exit(1);
  }
} else {
  fs.writeFileSync(OUT, text);
  console.log(`wrote ${path.relative(root, OUT)}`);
}
