import { useMemo } from 'react';
import { useStore } from '../state/store';
import { inputGeometry } from '../state/selectors';
import type { InputGeometry } from '../render/overlay';

/** Where images sit in the model input (for fit-short / fit-long), to lay maps back over them. */
export function useGeometry(): InputGeometry | undefined {
  const model = useStore((s) => s.model);
  const preprocess = useStore((s) => s.preprocess);
  return useMemo(() => inputGeometry(model, preprocess), [model, preprocess]);
}
