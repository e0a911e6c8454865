// Class-name mapping: model output index → name, and the checks shown to the user.
import type { Sample } from '../sources/datasets/dataset';

/** Names from the data set's labels when the model carries none (sorted, like Keras' folders). */
export function classNamesFromLabels(samples: Sample[]): string[] {
  return [...new Set(samples.map((s) => s.label).filter((l): l is string => l !== undefined))].sort();
}

export interface UnknownLabel {
  label: string;
  count: number;
  example: string;
}

/** Labels in the data set that are not among the model's class names. */
export function unknownLabels(samples: Sample[], classNames: string[]): UnknownLabel[] {
  const known = new Set(classNames);
  const found = new Map<string, UnknownLabel>();
  for (const s of samples) {
    if (s.label === undefined || known.has(s.label)) continue;
    const u = found.get(s.label) ?? { label: s.label, count: 0, example: s.path };
    u.count++;
    found.set(s.label, u);
  }
  return [...found.values()];
}

/** Parses the editable text (one name per line, in output order). */
export function parseClassNames(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}
