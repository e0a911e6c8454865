// Spearman rank correlation for tests: the one the app's sanity checks use (hand-checked in tests/unit/sanity.test.ts).
export { spearman } from '../src/methods/rank';
