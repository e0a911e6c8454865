// CI's dependency check: `npm audit --omit=dev` must show no high or critical advisory in what the
// app and the command line ship. Fails on one; says so (and passes) when the advisory database
// cannot be reached at all — a registry mirror that answers only GET refuses the audit's POST —
// because no answer is not a clean bill of health, and the log must say which it was.
import { spawnSync } from 'node:child_process';

const r = spawnSync('npm', ['audit', '--omit=dev', '--json'], { encoding: 'utf8' });
let report;
try {
  report = JSON.parse(r.stdout);
} catch {
  console.error(`npm audit gave no report (exit ${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
  process.exit(1);
}
if (report.message && !report.metadata) {
  console.log(`npm audit: NOT CHECKED — the advisory database could not be reached (${report.message}).`);
  process.exit(0);
}
const counts = report.metadata?.vulnerabilities ?? {};
const serious = (counts.high ?? 0) + (counts.critical ?? 0);
console.log(`npm audit --omit=dev: ${Object.entries(counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
if (serious) {
  for (const [name, v] of Object.entries(report.vulnerabilities ?? {})) if (['high', 'critical'].includes(v.severity)) console.error(`  ${v.severity}: ${name} (${v.range})`);
  process.exit(1);
}
