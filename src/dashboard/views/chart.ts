import { html } from 'htm/preact';
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

export interface Series {
  readonly label: string;
  readonly stroke: string;
  readonly fill?: string;
}

/** A uPlot chart made once per mount; new data is handed to the same chart (setData), the size follows its box. */
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
        // serpq's clock is shown in UTC everywhere on the page.
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{}, { size: 40 }],
        series: [
          {},
          ...props.series.map((s) => ({
            label: s.label,
            stroke: s.stroke,
            fill: s.fill,
            width: 2,
            points: { show: !props.bars },
            paths: props.bars ? uPlot.paths.bars!({ size: [0.7, 40] }) : undefined,
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
