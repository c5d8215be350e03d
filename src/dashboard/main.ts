import 'uplot/dist/uPlot.min.css';
import './app.css';
import { render } from 'preact';
import { html } from 'htm/preact';
import { App } from './views/app.js';

/** The dashboard's entry (bundled by esbuild into dist/dashboard/app.js and app.css). */
const root = document.getElementById('app')!;
root.textContent = '';
render(html`<${App} />`, root);
