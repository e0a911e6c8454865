// The text shown to the user for anything thrown.
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A model that cannot be loaded or explained, with what to do about it. */
export class ModelLoadError extends Error {}
