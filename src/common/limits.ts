// Named limits, checked before anything is allocated for what a file claims: a zip's unpacked
// size and entry count (a zip bomb claims gigabytes in kilobytes), one image's pixel count (a PNG
// header can claim 30,000 × 30,000 in a few bytes), a model file's size, the number of classes.
// Each has a default, an "Advanced" field in the app, a command-line flag and its own message.

export interface Limits {
  /** Total unpacked size of one zip, bytes. */
  zipBytes: number;
  /** Files in one zip. */
  zipEntries: number;
  /** Pixels of one image (width × height). */
  imagePixels: number;
  /** Size of one model file, bytes. */
  modelBytes: number;
  /** Model outputs (classes). */
  classes: number;
}

const MB = 1024 * 1024;

export interface LimitSpec {
  key: keyof Limits;
  /** In the Advanced panel. */
  label: string;
  /** What the panel shows: bytes as MB, pixels as megapixels. */
  unit: 'MB' | 'Mpx' | 'count';
  flag: string;
  fallback: number;
}

export const LIMIT_SPECS: readonly LimitSpec[] = [
  { key: 'zipBytes', label: 'Largest unpacked zip', unit: 'MB', flag: '--max-zip-mb', fallback: 8 * 1024 * MB },
  { key: 'zipEntries', label: 'Most files in a zip', unit: 'count', flag: '--max-zip-files', fallback: 500_000 },
  { key: 'imagePixels', label: 'Largest image', unit: 'Mpx', flag: '--max-image-mpx', fallback: 100_000_000 },
  { key: 'modelBytes', label: 'Largest model file', unit: 'MB', flag: '--max-model-mb', fallback: 2048 * MB },
  { key: 'classes', label: 'Most classes', unit: 'count', flag: '--max-classes', fallback: 100_000 },
];

export const DEFAULT_LIMITS: Limits = Object.fromEntries(LIMIT_SPECS.map((s) => [s.key, s.fallback])) as unknown as Limits;

/** A limit's value in the unit people set it in (MB, megapixels, a count) and back. */
export const toUnit = (spec: LimitSpec, v: number) => (spec.unit === 'MB' ? v / MB : spec.unit === 'Mpx' ? v / 1e6 : v);
export const fromUnit = (spec: LimitSpec, v: number) => Math.round(spec.unit === 'MB' ? v * MB : spec.unit === 'Mpx' ? v * 1e6 : v);

export const formatBytes = (n: number) => (n >= 1024 * MB ? `${(n / (1024 * MB)).toFixed(1)} GB` : n >= MB ? `${(n / MB).toFixed(1)} MB` : `${Math.ceil(n / 1024)} kB`);

/** A file or a model over a limit; `limit` names which (tests and the fuzzer check it). */
export class LimitError extends Error {
  constructor(readonly limit: keyof Limits, message: string) {
    super(message);
  }
}

const where = (key: keyof Limits) => {
  const spec = LIMIT_SPECS.find((s) => s.key === key)!;
  return `(raise "${spec.label}" under Advanced, or ${spec.flag} on the command line)`;
};

// the limits in force in this thread: the page sets them from the Advanced panel, the engine
// worker gets them with each run, the command line from its flags
let current: Limits = DEFAULT_LIMITS;
export const limits = (): Limits => current;
export function setLimits(patch: Partial<Limits>): Limits {
  current = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => typeof v === 'number' && v > 0)) };
  return current;
}

export function checkZip(name: string, entries: number, unpackedBytes: number, l: Limits = current) {
  if (entries > l.zipEntries) throw new LimitError('zipEntries', `${name} holds ${entries.toLocaleString('en')} files, more than the limit of ${l.zipEntries.toLocaleString('en')} ${where('zipEntries')}.`);
  if (unpackedBytes > l.zipBytes) throw new LimitError('zipBytes', `${name} would unpack to ${formatBytes(unpackedBytes)}, more than the limit of ${formatBytes(l.zipBytes)} ${where('zipBytes')}. A zip that small on disk and that large unpacked is a zip bomb; otherwise split it.`);
}

export function checkImage(width: number, height: number, l: Limits = current) {
  if (width * height > l.imagePixels) throw new LimitError('imagePixels', `the image is ${width.toLocaleString('en')} × ${height.toLocaleString('en')} pixels (${((width * height) / 1e6).toFixed(0)} Mpx), more than the limit of ${(l.imagePixels / 1e6).toFixed(0)} Mpx for one image ${where('imagePixels')}; it was not decoded.`);
}

export function checkModelFile(name: string, bytes: number, l: Limits = current) {
  if (bytes > l.modelBytes) throw new LimitError('modelBytes', `${name} is ${formatBytes(bytes)}, more than the limit of ${formatBytes(l.modelBytes)} for a model file ${where('modelBytes')}.`);
}

export function checkClasses(count: number, l: Limits = current) {
  if (count > l.classes) throw new LimitError('classes', `the model has ${count.toLocaleString('en')} outputs, more than the limit of ${l.classes.toLocaleString('en')} classes ${where('classes')}.`);
}
