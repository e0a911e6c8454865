// Memory of a process tree (the launched Chromium and every descendant), sampled from /proc every
// ~250 ms: PSS from /proc/PID/smaps_rollup (shared pages split fairly), RSS as a fallback.
import fs from 'node:fs';

function children() {
  const byParent = new Map();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!byParent.has(ppid)) byParent.set(ppid, []);
      byParent.get(ppid).push(Number(d));
    } catch { /* gone */ }
  }
  return byParent;
}

function treeOf(root) {
  const byParent = children();
  const out = [root];
  for (let i = 0; i < out.length; i++) out.push(...(byParent.get(out[i]) ?? []));
  return out;
}

/** kB of one process: PSS when readable, else RSS; 0 when it has gone. */
function kbOf(pid) {
  try {
    const m = /^Pss:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    if (m) return Number(m[1]);
  } catch { /* fall back */ }
  try {
    return Number(/^VmRSS:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** Pids of this Node process's own children running `name` (Playwright spawns Chromium directly). */
export function childPids(name = 'chromium') {
  return (children().get(process.pid) ?? []).filter((p) => {
    try { return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(name); } catch { return false; }
  });
}

/** Starts sampling; `peak(from, to)` and `at(t)` answer in MB over wall-clock (Date.now) times. */
export function sampleMemory(rootPid, everyMs = 250) {
  const samples = [];
  let pids = treeOf(rootPid), lastTree = 0;
  const take = () => {
    const now = Date.now();
    if (now - lastTree > 1000) [pids, lastTree] = [treeOf(rootPid), now]; // renderers come and go
    samples.push([now, pids.reduce((n, p) => n + kbOf(p), 0) / 1024]);
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    now() { take(); return samples.at(-1)[1]; },
    peak(from = 0, to = Infinity) { take(); return Math.max(0, ...samples.filter(([t]) => t >= from && t <= to).map(([, mb]) => mb)); },
    processes() { return treeOf(rootPid).length; },
    stop() { clearInterval(timer); },
  };
}
