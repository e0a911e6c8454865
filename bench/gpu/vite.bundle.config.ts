// Self-contained Node bundles for the GPU machine (no node_modules there): the command line and the data maker.
import { defineConfig } from 'vite';
const entry = process.env.ENTRY!;
export default defineConfig({
  publicDir: false,
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: entry,
    outDir: '.gpu/dist',
    emptyOutDir: false,
    target: 'node20',
    minify: true,
    rollupOptions: {
      output: {
        format: 'es',
        entryFileNames: process.env.NAME!,
        codeSplitting: false,
        banner: "import{createRequire as __cr}from'node:module';import{fileURLToPath as __fu}from'node:url';import{dirname as __dn}from'node:path';const require=__cr(import.meta.url);const __filename=__fu(import.meta.url);const __dirname=__dn(__filename);",
      },
    },
  },
});
