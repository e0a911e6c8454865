// Minimal typings for jsfive (the package ships none): the parts we use.
declare module 'jsfive' {
  export class Group {
    keys: string[];
    attrs: Record<string, unknown>;
    get(path: string): Group | Dataset;
  }
  export class Dataset {
    shape: number[];
    dtype: string | unknown;
    value: ArrayLike<number> | unknown;
    attrs: Record<string, unknown>;
  }
  export class File extends Group {
    constructor(buffer: ArrayBuffer, filename?: string);
  }
}
