// Which gallery tiles are on screen, so a re-run can explain those first.
const visible = new Set<string>();

export function tileVisible(id: string, isVisible: boolean) {
  if (isVisible) visible.add(id);
  else visible.delete(id);
}

export function visibleSampleIds(): ReadonlySet<string> {
  return new Set(visible);
}
