import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { compact, count } from '../format.js';

export interface Series {
  readonly label: string;
  readonly stroke: string;
  readonly fill?: string;
}

/** The axes' font, set on the axes and used to measure their labels (uPlot's default, minus the emoji fonts). */
const AXIS_FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

/** Tick steps of a count: whole numbers only (uPlot's default steps go down to 0.001 and write 0.5, 1.000...). */
const COUNT_STEPS = Array.from({ length: 10 }, (_, e) => [1, 2, 5].map((m) => m * 10 ** e)).flat();

/** Tick steps of the time axis, in seconds: never below one (samples are seconds apart; uPlot's go to ms). */
const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800];

/**
 * Time labels in UTC and 24 hours, as the page's clock shows it: seconds only for steps under a
 * minute, and the date under the first label of each day.
 */
function timeLabels(_u: uPlot, splits: number[], _axis: number, _space: number, step: number): string[] {
  let day = '';
  return splits.map((s) => {
    const iso = new Date(s * 1000).toISOString();
    const time = iso.slice(11, step < 60 ? 19 : 16);
    if (iso.slice(0, 10) === day) return time;
    day = iso.slice(0, 10);
    return `${time}\n${iso.slice(5, 10)}`;
  });
}

const legendTime = (_u: uPlot, v: number | null) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(5, 19).replace('T', ' '));

let measurer: CanvasRenderingContext2D | null = null;
const textWidth = (text: string) => {
  measurer ??= document.createElement('canvas').getContext('2d');
  if (!measurer) return text.length * 8;
  measurer.font = AXIS_FONT;
  return measurer.measureText(text).width;
};

/**
 * The y-axis as wide as its widest label: a fixed width cut the left of long ones ("1,000" showed
 * as ",000"). Ticks (10 px) and the gap (5 px) are uPlot's defaults; 4 px keeps the text off the edge.
 */
function yAxisSize(_u: uPlot, values: string[] | null): number {
  const widest = Math.max(0, ...(values ?? []).map(textWidth));
  return Math.ceil(widest) + 10 + 5 + 4;
}

/** A uPlot chart of counts made once per mount; new data is handed to the same chart (setData), the size follows its box. */
export function Chart(props: { title: string; series: Series[]; data: number[][]; bars?: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);

  useEffect(() => {
    const el = box.current!;
    const width = () => Math.max(280, el.clientWidth);
    plot.current = new uPlot(
      {
        width: width(),
        height: 180,
        // serpq's clock is shown in UTC everywhere on the page (the labels are written in UTC too).
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: {
          // Bars are centred on their minute: half a step of room at each end keeps the first and
          // last bars whole.
          x: { time: true, range: props.bars ? barRange : lineRange },
          y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
        },
        axes: [
          { font: AXIS_FONT, incrs: TIME_STEPS, values: timeLabels },
          { font: AXIS_FONT, incrs: COUNT_STEPS, values: (_u, splits) => splits.map(compact), size: yAxisSize },
        ],
        series: [
          { label: 'UTC', value: legendTime },
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            fill: s.fill,
            width: 2,
            points: { show: !props.bars },
            paths: props.bars ? uPlot.paths.bars!({ size: [0.7, 40] }) : undefined,
            value: (_u: uPlot, v: number | null) => (v === null ? '—' : count(v)),
          })),
        ],
      },
      props.data as uPlot.AlignedData,
      el,
    );
    const resize = new ResizeObserver(() => plot.current?.setSize({ width: width(), height: 180 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, []);

  useEffect(() => {
    plot.current?.setData(props.data as uPlot.AlignedData);
  }, [props.data]);

  return html`<figure class="chart">
    <figcaption>${props.title}</figcaption>
    <div ref=${box}></div>
  </figure>`;
}

/** One sample (the page just opened): uPlot would show the day after it; the minute before it instead. */
function lineRange(u: uPlot, min: number, max: number): uPlot.Range.MinMax {
  const xs = u.data[0];
  return xs.length === 1 ? [xs[0] - 60, xs[0]] : [min, max];
}

function barRange(u: uPlot, min: number, max: number): uPlot.Range.MinMax {
  const xs = u.data[0];
  const half = xs.length > 1 ? (xs[1] - xs[0]) / 2 : 30;
  return [min - half, max + half];
}
