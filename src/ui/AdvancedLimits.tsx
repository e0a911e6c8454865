// "Advanced": the limits checked before anything is allocated for what a file claims
// (common/limits.ts). They apply to the next file dropped or the next run.
import { useState } from 'react';
import { fromUnit, limits, LIMIT_SPECS, setLimits, toUnit } from '../common/limits';

export function AdvancedLimits() {
  const [values, setValues] = useState(limits);
  return (
    <details className="advanced">
      <summary>Advanced: limits on files</summary>
      <p className="hint">Checked before reading what a file claims to hold (a zip bomb, a 30,000 × 30,000 PNG header). Applies to the next drop or run.</p>
      <div className="limits">
        {LIMIT_SPECS.map((spec) => (
          <label key={spec.key}>
            {spec.label}{spec.unit === 'count' ? '' : ` (${spec.unit})`}{' '}
            <input
              type="number"
              min={1}
              data-testid={`limit-${spec.key}`}
              value={toUnit(spec, values[spec.key])}
              onChange={(e) => {
                const v = Number(e.target.value);
                if (v > 0) setValues(setLimits({ [spec.key]: fromUnit(spec, v) }));
              }}
            />
          </label>
        ))}
      </div>
    </details>
  );
}
