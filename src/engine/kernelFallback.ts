// Per-op fallback: gradient kernels a backend lacks (WASM has no Conv2DBackpropFilter nor
// depthwise backprop kernels) are registered for it as thin wrappers that run TF.js's own CPU
// kernel on copies of the inputs. Only speed changes; the numbers are the CPU kernel's.
import * as tf from '@tensorflow/tfjs';
import { registerFirstMaxPoolGrad } from './maxPoolGrad';

/** Gradient kernels Grad-CAM can need through a model's tail. */
const GRADIENT_KERNELS = [
  'Conv2DBackpropFilter',
  'Conv2DBackpropInput',
  'DepthwiseConv2dNativeBackpropFilter',
  'DepthwiseConv2dNativeBackpropInput',
  'MaxPoolGrad',
  'AvgPoolGrad',
  'ResizeBilinearGrad',
  'ResizeNearestNeighborGrad',
  'UnsortedSegmentSum',
];


const used = new Set<string>();

/** Kernels that ran on the CPU fallback since the last call. */
export function takeFallbacksUsed(): string[] {
  const names = [...used];
  used.clear();
  return names;
}

/** Registers CPU-backed kernels for every gradient kernel `backendName` lacks; returns their names. */
export function borrowMissingKernels(backendName: string): string[] {
  if (backendName === 'cpu') return [];
  const have = new Set(tf.getKernelsForBackend(backendName).map((k) => k.kernelName));
  const borrowed: string[] = [];
  // WASM's MaxPoolGrad breaks ties between equal values differently from TensorFlow and TF.js's
  // CPU kernel (first maximum), which moved Grad-CAM weights: replace it with one that does not.
  if (backendName === 'wasm') registerFirstMaxPoolGrad('wasm');
  for (const kernelName of GRADIENT_KERNELS) {
    if (have.has(kernelName)) continue;
    const cpuKernel = tf.getKernel(kernelName, 'cpu');
    if (!cpuKernel) continue;
    tf.registerKernel({
      kernelName,
      backendName,
      kernelFunc: ({ inputs, attrs, backend: own }) => {
        const backend = own as tf.KernelBackend;
        used.add(kernelName);
        const cpu = tf.findBackend('cpu') as tf.KernelBackend;
        const onCpu: Record<string, tf.TensorInfo> = {};
        for (const [name, t] of Object.entries(inputs)) {
          if (!t) continue;
          const info = t as tf.TensorInfo;
          onCpu[name] = { dataId: cpu.write(backend.readSync(info.dataId), info.shape, info.dtype), shape: info.shape, dtype: info.dtype };
        }
        const out = cpuKernel.kernelFunc({ inputs: onCpu, attrs, backend: cpu }) as tf.TensorInfo;
        const values = cpu.readSync(out.dataId);
        for (const t of [...Object.values(onCpu), out]) cpu.disposeData(t.dataId);
        return { dataId: backend.write(values, out.shape, out.dtype), shape: out.shape, dtype: out.dtype };
      },
    });
    borrowed.push(kernelName);
  }
  return borrowed;
}
