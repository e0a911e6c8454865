// Tiles' images decoded ahead, after a run: the preparation workers are idle then, and a screen of
// new photo tiles (a scroll, a confusion-matrix cell, another order) otherwise waited for ~50
// decodes (320×240 JPEG: read from the zip, inflated, decoded, scaled, read back) that, on 2
// cores, took 150–300 ms. The gallery's first screens go first, then the first screen of every
// other order and of the fullest confusion cells (with 10,000 photos: a new order's p95 204 → 52 ms,
// a matrix cell's 258 → 81), then the rest of the gallery's order, a few at a time, until the
// cache's budget (imageCache.ts) is nearly used. Images no larger than a tile (doodles) are not
// decoded ahead: each is cheap to decode when shown (imageCache.ts: tileImagesAreSmall).
import { useEffect } from 'react';
import { useStore } from '../state/store';
import { coalesced, whenIdle } from '../common/coalesce';
import { hasTileImage, tileImagesAhead, tileImagesAreSmall, tileImagesHeld, tileSide, AHEAD_BYTES, TILE_IMAGES_A_REQUEST } from './imageCache';
import type { GalleryItem } from './useGalleryItems';
import { filterable, shownItems } from './useShownItems';
import { byFaithfulness, fullestCells, SORTS, sortItems, type GalleryFilters, type GallerySort } from '../results/filters';

/**
 * Requests out at once, each of TILE_IMAGES_A_REQUEST images (imageCache.ts: those asked for in
 * one task go out together): one a preparation worker, so a tile asked for on screen waits behind a
 * dozen decodes at most. Each comes back when the page's thread is free, a
 * frame later while sliders move: in bench:app, of 1,000 photos 691 were decoded when its scroll
 * series began with one image out a worker, all of them with four.
 */
const IN_FLIGHT = 2;
// Not paused while sliders move, measured (bench:app, 1,000 photos, two runs each): pausing until
// the view had not changed for 300 ms kept the first slider series' alpha p50 at 11 ms (14–17 with
// no pause: both workers busy for the ~3 s this takes), but the decoding was then still under way
// when the scrolls came (scroll p50/p95 23–72/161–201 against 8–9/39–53); one request out while
// sliders moved was in between on both (alpha 11–13/17–22, scroll 15–17/129–156).
/** Tiles decoded ahead at most: ~30 screens, every tile of a 1,000-photo test set. */
const AHEAD = 2000;
const SPARE_MS = 3;
/** The gallery's own first screens, decoded before the other views' first screens. */
const FIRST = 240;
/** A view's first screen (~60 tiles at 1280×900) and some. */
const TOP = 72;
/** Confusion cells whose first screens are decoded ahead, the fullest first. */
const CELLS = 24;

let shown: readonly GalleryItem[] = [];
let all: GalleryItem[] = [];
let filters: GalleryFilters = {};
let sort: GallerySort = 'verdict';
let kind = 'classification';
let queue: Iterator<GalleryItem | undefined> | undefined;
let asked = 0;
let forSide = 0;
let inFlight = 0;

/**
 * What to decode, in turn: the gallery's first screens; the first screen of every other order and
 * of the fullest confusion cells (where a click lands: with 10,000 photos those are images not yet
 * decoded); then the rest of the gallery's order. `undefined` ends a task: the order that follows
 * (a sort of every result) is worked out in a task of its own.
 */
function* wanted(): Generator<GalleryItem | undefined> {
  yield* shown.slice(0, FIRST);
  for (const s of SORTS) {
    if (s.id === sort || byFaithfulness(s.id) || (s.for !== 'both' && s.for !== kind)) continue;
    yield undefined;
    // what the gallery would show in that order, with the filters as they are
    yield* shownItems(all, filters, s.id).order.slice(0, TOP);
  }
  if (kind === 'classification') {
    yield undefined;
    // a click on a cell shows it in the current order (a faithfulness order's scores are not read
    // here: there the cells' first images are taken in data-set order)
    yield* fullestCells(sortItems(all, sort, filterable), (i) => ({ label: i.sample.label, predicted: i.prediction.predicted }), TOP, CELLS);
  }
  yield* shown.slice(FIRST);
}

/**
 * One pass: as many requests as may be out. The first waits for the page to be idle (a run's
 * last results are being drawn); each next one is a task of its own, when a request comes back
 * (waiting for idle periods instead, while sliders moved, 494 of 1,000 photos were decoded when
 * bench:app's scroll series began).
 */
const pass = (deadline?: IdleDeadline) => {
  if (useStore.getState().run.status === 'running') return; // the run has the workers
  if (tileImagesAreSmall()) return; // decoded when shown, at no cost worth saving
  if (forSide !== tileSide()) [forSide, queue] = [tileSide(), undefined]; // the tiles changed size: all decoded again
  if (!queue) [queue, asked] = [wanted(), 0];
  while (inFlight < IN_FLIGHT && asked < AHEAD && tileImagesHeld() < AHEAD_BYTES) {
    const group: GalleryItem['sample'][] = [];
    let ended = false;
    while (group.length < TILE_IMAGES_A_REQUEST && asked + group.length < AHEAD) {
      const got = queue.next();
      if (got.done) {
        ended = true;
        break;
      }
      if (!got.value) {
        // a task ends here: what follows is worked out in the next one
        nextPass();
        ended = true;
        break;
      }
      if (!hasTileImage(got.value.sample) && !group.includes(got.value.sample)) group.push(got.value.sample);
    }
    if (group.length) {
      asked += group.length;
      inFlight++;
      // a damaged image says so when its tile is shown
      void tileImagesAhead(group).finally(() => {
        inFlight--;
        nextPass();
      });
    }
    if (ended || (deadline && deadline.timeRemaining() < SPARE_MS)) break;
  }
};
const step = coalesced((f: (deadline?: IdleDeadline) => void) => whenIdle(f, 1000), pass);
/** Decode ahead again (the tiles changed size: their images were dropped). */
export const decodeAhead = step;
const nextPass = coalesced((f: () => void) => setTimeout(f), pass);

/**
 * While the gallery shows `items` (in its order) of `everything`: their tiles' images, and the
 * first of other orders and cells, are decoded ahead when a run is not using the workers.
 */
export function useThumbnailsAhead(everything: GalleryItem[], items: readonly GalleryItem[]) {
  const filtersNow = useStore((s) => s.filters);
  const order = useStore((s) => s.sort);
  const outputKind = useStore((s) => s.model?.info.outputKind ?? 'classification');
  useEffect(() => {
    [all, shown, filters, sort, kind, queue] = [everything, items, filtersNow, order, outputKind, undefined];
    step();
  }, [everything, items, filtersNow, order, outputKind]);
  useEffect(() => useStore.subscribe((s, prev) => s.run.status !== prev.run.status && step()), []);
}
