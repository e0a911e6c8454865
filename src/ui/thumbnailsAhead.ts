// Tiles' images decoded ahead, after a run: the preparation workers are idle then, and a screen of
// new photo tiles (a scroll, a confusion-matrix cell, another order) otherwise waited for ~50
// decodes (320×240 JPEG: read from the zip, inflated, decoded, scaled, read back) that, on 2
// cores, took 150–300 ms. Thumbnails are decoded in the gallery's order from its top, a few at a
// time while the page is idle, until the cache's budget (imageCache.ts) is nearly used.
import { useEffect } from 'react';
import { useStore } from '../state/store';
import { coalesced, whenIdle } from '../common/coalesce';
import { hasTileImage, tileImage, tileImagesHeld, tileSide, THUMBNAIL_BYTES } from './imageCache';
import type { GalleryItem } from './useGalleryItems';

/**
 * Requests out at once: four a preparation worker, so a tile asked for on screen never waits
 * behind many. Each comes back when the page's thread is free, a frame later while sliders move:
 * in bench:app, of 1,000 photos 691 were decoded when its scroll series began with one out a
 * worker, all of them with four.
 */
const IN_FLIGHT = 8;
// Not paused while sliders move, measured (bench:app, 1,000 photos, two runs each): pausing until
// the view had not changed for 300 ms kept the first slider series' alpha p50 at 11 ms (14–17 with
// no pause: both workers busy for the ~3 s this takes), but the decoding was then still under way
// when the scrolls came (scroll p50/p95 23–72/161–201 against 8–9/39–53); one request out while
// sliders moved was in between on both (alpha 11–13/17–22, scroll 15–17/129–156).
/**
 * Tiles decoded ahead at most, from the top of the order: ~30 screens, every tile of a 1,000-photo
 * test set; of 10,000 doodles (cheap to decode when shown) no more background work than that.
 */
const AHEAD = 2000;
/** Of the cache, what is left for the tiles shown: decoding ahead stops once the rest is used. */
const HEADROOM = THUMBNAIL_BYTES / 4;
const SPARE_MS = 3;

let order: readonly GalleryItem[] = [];
let next = 0;
let forSide = 0;
let inFlight = 0;

/**
 * One pass: as many requests as may be out. The first waits for the page to be idle (a run's
 * last results are being drawn); each next one is a task of its own, when a request comes back
 * (waiting for idle periods instead, while sliders moved, 494 of 1,000 photos were decoded when
 * bench:app's scroll series began).
 */
const pass = (deadline?: IdleDeadline) => {
  if (useStore.getState().run.status === 'running') return; // the run has the workers
  if (forSide !== tileSide()) [forSide, next] = [tileSide(), 0]; // the tiles changed size: all decoded again
  while (inFlight < IN_FLIGHT && next < Math.min(order.length, AHEAD) && tileImagesHeld() < THUMBNAIL_BYTES - HEADROOM) {
    const { sample } = order[next++];
    if (hasTileImage(sample)) continue;
    inFlight++;
    tileImage(sample)
      .catch(() => {}) // a damaged image says so when its tile is shown
      .finally(() => {
        inFlight--;
        nextPass();
      });
    if (deadline && deadline.timeRemaining() < SPARE_MS) break;
  }
};
const step = coalesced((f: (deadline?: IdleDeadline) => void) => whenIdle(f, 1000), pass);
/** Decode ahead again (the tiles changed size: their images were dropped). */
export const decodeAhead = step;
const nextPass = coalesced((f: () => void) => setTimeout(f), pass);

/** While the gallery shows `items` (in its order): their tiles' images are decoded ahead when the page is idle. */
export function useThumbnailsAhead(items: readonly GalleryItem[]) {
  useEffect(() => {
    order = items;
    next = 0;
    step();
  }, [items]);
  useEffect(() => useStore.subscribe((s, prev) => s.run.status !== prev.run.status && step()), []);
}
