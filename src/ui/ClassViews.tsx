// Class views: for each true class (and for the images the filters leave), the mean normalised
// map over the mean image at the model's input size. Computed only while open; the mean images
// are kept, so a slider repaints them without decoding again.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../state/store';
import { blend, enlargeSmall, modelInputImage, renderHeatmap, type InputGeometry } from '../render/overlay';
import { normalizeMap } from '../render/normalize';
import { evenlySpaced, groupByLabel, MeanImage, meanMap } from '../results/classView';
import { rawMapOf } from '../results/view';
import { isFiltering } from '../results/filters';
import type { RgbaImage } from '../image/rgba';
import type { GalleryItem } from './useGalleryItems';
import { useGeometry } from './useGeometry';
import { useMapScale } from './useMapScale';
import { useShownItems } from './useShownItems';
import { paint, tileImage } from './imageCache';
import { pick } from './Analysis';

/** Images averaged for a class's mean image (spread over the class); the mean map uses every image. */
export const MEAN_IMAGE_SAMPLES = 64;

const meanImages = new Map<string, RgbaImage>();

async function meanImageOf(items: GalleryItem[], geometry: InputGeometry, live: () => boolean): Promise<RgbaImage | undefined> {
  const picked = evenlySpaced(items, MEAN_IMAGE_SAMPLES);
  const key = [geometry.width, geometry.height, geometry.resizeMode, geometry.resizeMethod, items.length, ...picked.map((i) => i.sample.id)].join('|');
  const hit = meanImages.get(key);
  if (hit) return hit;
  const mean = new MeanImage(geometry.width, geometry.height);
  for (const item of picked) {
    if (!live()) return undefined;
    mean.add(modelInputImage(await tileImage(item.sample), geometry));
  }
  const image = mean.image();
  if (meanImages.size > 200) meanImages.clear();
  meanImages.set(key, image);
  return image;
}

function ClassCard({ label, title, items, open, onOpen }: { label?: string; title: string; items: GalleryItem[]; open: boolean; onOpen?: () => void }) {
  const results = useStore((s) => s.results);
  const scoreCam = useStore((s) => s.scoreCam);
  const view = useStore((s) => s.view);
  const scale = useMapScale();
  const geometry = useGeometry();
  const canvas = useRef<HTMLCanvasElement>(null);
  const [image, setImage] = useState<RgbaImage>();
  const mean = useMemo(() => {
    let grid: { w: number; h: number } | undefined;
    const maps: Float32Array[] = [];
    for (const { sample } of items) {
      const r = results[sample.id];
      const raw = r && !('error' in r) ? rawMapOf(r, view, scoreCam[sample.id]) : undefined;
      if (!raw || !r || 'error' in r) continue;
      grid ??= { w: r.gridWidth, h: r.gridHeight };
      maps.push(normalizeMap(raw, view.normalization, { percentile: view.percentile, scale }));
    }
    const map = meanMap(maps);
    return map && grid ? { map, grid, count: maps.length } : undefined;
  }, [items, results, scoreCam, view.method, view.pooling, view.normalization, view.percentile, scale]);

  useEffect(() => {
    if (!open || !geometry) return;
    let live = true;
    meanImageOf(items, geometry, () => live).then((img) => live && img && setImage(img));
    return () => {
      live = false;
    };
  }, [open, items, geometry]);
  useEffect(() => {
    if (!image || !mean || !canvas.current) return;
    const big = enlargeSmall(image);
    paint(canvas.current, blend(big, renderHeatmap(mean.map, mean.grid.w, mean.grid.h, big.width, big.height, view.colormap), view.alpha));
  }, [image, mean, view.colormap, view.alpha]);

  const name = label === undefined ? title : label || '(no label)';
  return (
    <figure className="class-card" data-testid="class-view" data-label={label} data-count={items.length} data-ready={!!image && !!mean}>
      <button onClick={onOpen} disabled={!onOpen} aria-label={`${name}: ${items.length} images; ${onOpen ? 'show them in the gallery' : 'shown in the gallery'}`}>
        <canvas ref={canvas} />
      </button>
      <figcaption>
        <strong>{name}</strong> · {items.length} images
        <br />
        <small>mean map of {mean?.count ?? 0} over the mean of {Math.min(items.length, MEAN_IMAGE_SAMPLES)} images</small>
      </figcaption>
    </figure>
  );
}

/** Where the model looks on average, per true class; a click opens the class's images. */
export const ClassViews = memo(function ClassViews({ items }: { items: GalleryItem[] }) {
  const [open, setOpen] = useState(false);
  const filters = useStore((s) => s.filters);
  const { order } = useShownItems();
  const groups = useMemo(() => groupByLabel(items, (i) => i.sample.label), [items]);
  if (groups.length === 0) return null;
  return (
    <details className="class-views" onToggle={(e) => setOpen((e.target as HTMLDetailsElement).open)}>
      <summary>Class views: where the model looks on average — the mean map of each true class over its mean image, at the model's input size. A shortcut (a watermark, a border) shows here first.</summary>
      {open && (
        <div className="class-grid">
          {isFiltering(filters) && order.length > 0 && <ClassCard title="The images shown" items={order} open={open} />}
          {groups.map((g) => (
            <ClassCard key={g.label} label={g.label} title={g.label} items={g.items} open={open} onOpen={() => pick({ trueLabel: g.label })} />
          ))}
        </div>
      )}
    </details>
  );
});
