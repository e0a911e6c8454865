// The text shown to the user for anything thrown.
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A model that cannot be loaded or explained, with what to do about it. */
export class ModelLoadError extends Error {}

/** The engine's worker died or broke beyond repair; a fresh one can carry on. */
export class EngineLostError extends Error {}
