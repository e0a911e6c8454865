// The whole window is a drop target: a model, a data set, or both at once (sorted by content).
import { useEffect, useRef, useState } from 'react';
import { loadDrop } from '../state/actions/load';
import { readDataTransfer } from './readDrop';

const carriesFiles = (e: DragEvent) => !!e.dataTransfer && [...e.dataTransfer.types].includes('Files');

export function WindowDrop() {
  const [over, setOver] = useState(false);
  // dragenter/dragleave fire for every child crossed; count them to know when the drag left the window
  const depth = useRef(0);
  useEffect(() => {
    const enter = (e: DragEvent) => {
      if (!carriesFiles(e)) return;
      depth.current++;
      setOver(true);
    };
    const leave = () => {
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const overHandler = (e: DragEvent) => {
      if (carriesFiles(e)) e.preventDefault(); // allows the drop (and stops the browser opening the file)
    };
    const drop = async (e: DragEvent) => {
      depth.current = 0;
      setOver(false);
      if (!carriesFiles(e) || e.defaultPrevented) return; // a drop area took it
      e.preventDefault();
      await loadDrop(await readDataTransfer(e.dataTransfer!));
    };
    // the drop areas stop propagation, so reset the overlay on the capture phase as well
    const reset = () => {
      depth.current = 0;
      setOver(false);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragleave', leave);
    window.addEventListener('dragover', overHandler);
    window.addEventListener('drop', drop);
    window.addEventListener('drop', reset, true);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('dragover', overHandler);
      window.removeEventListener('drop', drop);
      window.removeEventListener('drop', reset, true);
    };
  }, []);
  return over ? (
    <div className="window-drop" data-testid="window-drop" aria-hidden="true">
      <p>Drop a data set, a model, or both — they are told apart by their contents</p>
    </div>
  ) : null;
}
