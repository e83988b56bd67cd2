/** A thin React wrapper over uPlot (small, fast canvas charts; see docs/adr for the choice). */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  color: string;
  values: number[];
}

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** Bars (`bars`) or lines over `x` (epoch seconds when `time`, else category indexes labelled by `labels`). */
export function Chart({ title, x, labels, series, bars = false, time = false, height = 260 }: { title: string; x: number[]; labels?: string[]; series: Series[]; bars?: boolean; time?: boolean; height?: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const axisColor = cssVar('--fg-muted', '#666');
    const grid = { stroke: cssVar('--border', '#ddd'), width: 1 };
    const opts: uPlot.Options = {
      title,
      width: Math.max(280, el.clientWidth),
      height,
      scales: { x: { time } },
      axes: [
        { stroke: axisColor, grid, values: labels ? (_u, splits) => splits.map((s) => labels[Math.round(s)] ?? '') : undefined },
        { stroke: axisColor, grid },
      ],
      series: [
        {},
        ...series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: bars ? `${s.color}cc` : `${s.color}22`,
          width: bars ? 0 : 2,
          paths: bars ? uPlot.paths.bars!({ size: [0.8 / Math.max(1, series.length), 60], align: 0 }) : undefined,
        })),
      ],
    };
    const plot = new uPlot(opts, [x, ...series.map((s) => s.values)], el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [title, x, labels, series, bars, time, height]);
  return <div ref={ref} className="chart" role="img" aria-label={title} />;
}
