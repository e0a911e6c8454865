// What goes into the export from the user's files: names and labels become zip paths and CSV
// cells, so neither may carry a path, a control character, a direction override or a formula.
// Pure; the export and its tests use these.

// C0/C1 controls, and the bidirectional marks, embeddings, overrides and isolates that can make
// "evil‮gnp.exe" read as "evilexe.png"
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// path separators and what Windows forbids in a file name
const RESERVED = /[/\\:*?"<>|]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
const MAX_STEM = 120;

/** A file name's stem made safe for a zip entry in any unzipper: no path, no controls, no "..", not empty, not a device name. */
export function safeStem(name: string): string {
  let s = name.normalize('NFC').replace(CONTROL, '').replace(RESERVED, '_');
  s = s.replace(/^[.\s]+/, '').replace(/[.\s]+$/, ''); // no "..", no hidden files, no trailing dots (Windows drops them)
  if (WINDOWS_DEVICE.test(s)) s = `_${s}`;
  if (s.length > MAX_STEM) s = s.slice(0, MAX_STEM);
  return s || 'image';
}

const PLAIN_NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

/**
 * One CSV cell: quoted when it holds a quote, comma or line break; a text starting with = + - @
 * (or a tab or carriage return) is prefixed with ' so a spreadsheet shows it instead of running
 * it as a formula ("CSV injection"). Numbers, negative ones included, stay numbers.
 */
export function csvCell(v: string | number | boolean): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  s = s.replace(CONTROL, (c) => (c === '\n' || c === '\r' || c === '\t' ? c : ''));
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
