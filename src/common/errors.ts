// The text shown to the user for anything thrown.
export const messageOf = (e: unknown) => (e instanceof Error ? e.message : String(e));
