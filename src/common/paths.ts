// File-name helpers shared by every reader of dropped files.

/** The last part of a path ("a/b/c.png" → "c.png"). */
export const baseName = (p: string) => p.split('/').pop() ?? p;
