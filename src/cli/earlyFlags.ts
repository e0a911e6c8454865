// Flags read before the arguments are parsed in full (flags.ts): what must be known before the
// rest of the command line is imported (WebGPU, see webgpu.ts) or before Node is started again
// (singleThreadedGc.ts).

/** A flag's value (`--name x` or `--name=x`), or undefined. */
export function flagValue(argv: string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  return argv[i].includes('=') ? argv[i].slice(name.length + 3) : argv[i + 1];
}
