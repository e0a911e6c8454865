// Which layers the maps come from: the target layer, and finer maps fused from more spatial
// layers — a preset ("last two stages") or any layers ticked one by one.
import { useStore } from '../state/store';
import { setExplain } from '../state/actions/run';
import { FUSE_PRESETS, fusePresetOf, layersOf, presetLayers, targetLayerOf, type FusePreset } from '../state/selectors';
import type { Fusion } from '../methods/fusion';

export function LayerPicker() {
  const model = useStore((s) => s.model);
  const explain = useStore((s) => s.explain);
  if (!model) return null;
  const { info } = model;
  const layer = targetLayerOf({ explain, model });
  const preset = fusePresetOf({ explain, model });
  const fused = layersOf({ explain, model });
  // a new target keeps a preset a preset (its stages are counted from the new target)
  const chooseTarget = (targetLayer: string) => {
    const next = { explain: { ...explain, targetLayer }, model };
    void setExplain({ targetLayer, fuseWith: preset === 'custom' ? explain.fuseWith.filter((l) => l !== targetLayer) : presetLayers(next, preset) });
  };
  const toggle = (path: string, on: boolean) => void setExplain({ fuseWith: on ? [...explain.fuseWith, path] : explain.fuseWith.filter((l) => l !== path) });
  return (
    <>
      <label className="inline">
        Layer{' '}
        <select data-testid="layer-select" value={layer} onChange={(e) => chooseTarget(e.target.value)}>
          {info.targetLayers.map((l) => (
            <option key={l.path} value={l.path}>
              {l.path} ({l.className}, {l.shape.join('×')}){l.path === info.defaultTargetLayer ? ' — default' : ''}
            </option>
          ))}
        </select>
      </label>
      <label className="inline" title="Small models end in a coarse grid (a 96×96 MobileNet: 3×3). Fusing finer layers gives sharper maps; each layer is one more backward pass">
        Finer maps{' '}
        <select data-testid="fuse-select" value={preset} onChange={(e) => void setExplain({ fuseWith: presetLayers({ explain, model }, e.target.value as FusePreset) })}>
          {(Object.entries(FUSE_PRESETS) as [FusePreset, string][]).map(([p, label]) => <option key={p} value={p}>{p === 'off' ? `off (${layer} only)` : `fuse the ${label}`}</option>)}
          <option value="custom" disabled>the layers ticked below</option>
        </select>
      </label>
      <details className="inline layer-picker" data-testid="layer-picker">
        <summary>pick layers</summary>
        <fieldset>
          <legend>Fuse {layer} with</legend>
          {info.targetLayers.filter((l) => l.path !== layer).map((l) => (
            <label key={l.path} className="inline">
              <input type="checkbox" data-testid="fuse-layer" data-layer={l.path} checked={explain.fuseWith.includes(l.path)} onChange={(e) => toggle(l.path, e.target.checked)} /> {l.path} ({l.shape.slice(0, 2).join('×')})
            </label>
          ))}
        </fieldset>
      </details>
      {fused && (
        <>
          <label className="inline">
            by{' '}
            <select data-testid="fusion-select" value={explain.fusion} onChange={(e) => void setExplain({ fusion: e.target.value as Fusion })}>
              <option value="max">maximum (LayerCAM)</option>
              <option value="mean">mean</option>
            </select>
          </label>
          <span className="hint" data-testid="fused-layers">{fused.join(' + ')}</span>
        </>
      )}
    </>
  );
}
