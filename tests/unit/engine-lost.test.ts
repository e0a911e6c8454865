// Which engine errors mean the worker cannot go on (it is then replaced, and the run carries on):
// the messages TF.js, Emscripten and the browsers give for a dead WASM module, exhausted memory
// and a lost GPU. An ordinary error (a bad image, a bad model) is not one of them.
import { describe, expect, it } from 'vitest';
import { isEngineFatal } from '../../src/engine/workerClient';

describe('isEngineFatal', () => {
  it('knows a dead engine', () => {
    for (const m of [
      'Aborted(OOM). Build with -sASSERTIONS for more info.',
      'RuntimeError: unreachable',
      'RuntimeError: memory access out of bounds',
      'Out of memory',
      'WebGL context lost.',
      'CONTEXT_LOST_WEBGL',
      'GPUDevice was lost: destroyed',
      'Device is lost',
    ]) expect(isEngineFatal(new Error(m)), m).toBe(true);
  });
  it('leaves ordinary failures to the run', () => {
    for (const m of ['Cannot decode image: not a PNG or JPEG', 'The model has no convolutional layer', 'Failed to fetch', 'Input shape mismatch: expected [1,28,28,1]']) {
      expect(isEngineFatal(new Error(m)), m).toBe(false);
    }
  });
});
