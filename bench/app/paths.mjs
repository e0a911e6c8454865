// Where the benchmark reads fixtures and writes its generated (git-ignored) data.
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const DATA = path.join(ROOT, 'bench/.data');
export const FIXTURES = path.join(ROOT, 'tests/fixtures');
