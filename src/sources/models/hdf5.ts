// Reading HDF5 (Keras .h5 and Keras 3 model.weights.h5) with jsfive: pure JS, reads from memory,
// so it runs unchanged in the worker and in Node.
import * as hdf5 from 'jsfive';

export const isHdf5 = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x48 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a;

export type H5Group = hdf5.Group;
export type H5Dataset = hdf5.Dataset;

export function openHdf5(name: string, bytes: Uint8Array): hdf5.File {
  const buffer = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
  try {
    return new hdf5.File(buffer as ArrayBuffer, name);
  } catch (e) {
    throw new Error(`${name} is a damaged or truncated HDF5 file (${(e as Error).message}). Download it again.`);
  }
}

export const isGroup = (node: unknown): node is hdf5.Group => node instanceof hdf5.Group;

/** Fixed-length HDF5 strings come back NUL-padded from jsfive; strip the padding. */
export function attrStrings(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  const list = Array.isArray(value) || ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<unknown>) : [value];
  return list.filter((v): v is string => typeof v === 'string').map((s) => s.replace(/\0+$/, ''));
}

export interface H5Array {
  shape: number[];
  values: Float32Array;
}

export function readArray(ds: hdf5.Dataset, where: string): H5Array {
  const dtype = String(ds.dtype);
  if (!/^[<>]?f[48]$/.test(dtype)) throw new Error(`${where} has dtype ${dtype}; only float weights are supported`);
  const raw = ds.value as ArrayLike<number>;
  return { shape: [...(ds.shape as number[])], values: Float32Array.from(raw) };
}
