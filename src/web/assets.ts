/**
 * The dossier's one stylesheet and one script, served same-origin from `/assets/` so the
 * Content-Security-Policy can forbid inline script and style altogether.
 *
 * The script only enhances: pages are complete without it (a cited span is marked by CSS
 * `:target`). With it, every piece of a span cut in several pieces is marked too, and the span
 * is scrolled to the middle of the screen and focused.
 */
import { createHash } from 'node:crypto';

const CSS = `
:root {
  --ink: #1d1d1f; --muted: #4a4a4a; --paper: #fbfaf7; --card: #ffffff; --line: #dcd8cf;
  --link: #0a4f9e; --head: #14213d; --head-ink: #ffffff; --mark: #fff7d1; --mark-edge: #d0a72a;
  --target: #ffcf40; --target-edge: #9a4a00; --grey: #ececec; --grey-ink: #545454;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: var(--paper); color: var(--ink); font: 1rem/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Naskh Arabic", sans-serif; overflow-wrap: anywhere; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:focus-visible, button:focus-visible, input:focus-visible, mark:focus { outline: 3px solid #f2a900; outline-offset: 2px; }
bdi { unicode-bidi: isolate; }
code { font-size: 0.92em; background: #efece4; padding: 0 0.25em; border-radius: 3px; }
.skip { position: absolute; left: -999px; top: 0; background: #fff; padding: 0.5rem 1rem; z-index: 10; }
.skip:focus { left: 0.5rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
header.site { background: var(--head); color: var(--head-ink); }
header.site .bar { max-width: 64rem; margin: 0 auto; padding: 0.6rem 1rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; align-items: center; }
header.site a { color: var(--head-ink); }
.brand { margin: 0; font-weight: 700; display: flex; flex-wrap: wrap; gap: 0.25rem 0.75rem; align-items: baseline; }
.brand > a { text-decoration: none; font-size: 1.15rem; }
.brand .story { font-weight: 400; color: #d7def0; font-size: 0.95rem; }
.logo { display: inline-block; width: 1.4em; text-align: center; background: #f2a900; color: var(--head); border-radius: 4px; }
nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
nav a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
form.search { margin-left: auto; display: flex; gap: 0.4rem; align-items: center; flex-wrap: wrap; }
form.search label { font-size: 0.85rem; color: #d7def0; }
form.search input { font: inherit; padding: 0.3rem 0.5rem; border: 1px solid #8a93a8; border-radius: 4px; min-width: 12rem; max-width: 100%; }
form.search button { font: inherit; padding: 0.3rem 0.8rem; border: 0; border-radius: 4px; background: #f2a900; color: #14213d; font-weight: 700; cursor: pointer; }
main { display: block; max-width: 64rem; margin: 0 auto; padding: 1rem 1rem 2rem; }
main:focus { outline: none; }
h1 { font-size: 1.9rem; line-height: 1.2; margin: 0.6rem 0 0.6rem; }
h2 { font-size: 1.3rem; margin: 1.6rem 0 0.5rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.4rem; }
h4 { font-size: 1rem; margin: 0 0 0.3rem; }
.count, .role, .outlet, .precision, .more { color: var(--muted); font-weight: 400; }
.kind { margin: 0.8rem 0 0; text-transform: uppercase; letter-spacing: 0.06em; font-size: 0.8rem; color: var(--muted); }
.lede { font-size: 1.1rem; max-width: 46rem; }
.role-line { margin: -0.3rem 0 0.5rem; font-size: 1.1rem; color: var(--muted); }
.date { font-variant-numeric: tabular-nums; font-weight: 600; }
.counts { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.5rem; }
.counts li { background: var(--card); border: 1px solid var(--line); border-radius: 6px; padding: 0.3rem 0.7rem; }
.columns { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); align-items: start; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0.2rem 1rem 0.6rem; }
.card h2 { margin-top: 0.8rem; }
ul.items, ol.items { padding-left: 1.3rem; }
.items > li { margin: 0.45rem 0; }
ul.names { list-style: none; padding: 0; }
ul.plain { list-style: none; padding: 0; margin: 0.3rem 0; }
.cites { font-size: 0.88rem; }
span.cite { display: inline-block; margin: 0.1rem 0 0.1rem 0.2rem; border: 1px solid #b9c6dc; border-radius: 999px; background: #eef3fb; max-width: 100%; line-height: 1.35; }
/* A source cited for many spans wraps between its links (each link stays whole) rather than spill off a phone screen. */
span.cite a { display: inline-block; white-space: nowrap; padding: 0 0.45rem; text-decoration: none; border-radius: 999px; }
span.cite a.again { border-left: 1px solid #b9c6dc; border-radius: 0 999px 999px 0; padding: 0 0.4rem; font-variant-numeric: tabular-nums; }
span.cite a:hover { background: #dde8f8; text-decoration: underline; }
.badge { display: inline-block; font-size: 0.8rem; padding: 0 0.4rem; border-radius: 4px; background: #e6ebf3; color: #1d3557; }
.badge.warn, .status-disputed { background: #fde2e1; color: #8a1c1c; }
.status-unverified, .status-unconfirmed { background: #fff0d6; color: #6b4100; }
.status-confirmed { background: #dff3e4; color: #1e5b30; }
.aliases .label { color: var(--muted); margin-right: 0.3rem; }
.alias { display: inline-block; background: #efece4; border-radius: 4px; padding: 0 0.4rem; margin: 0.1rem 0.15rem; }
blockquote { margin: 0; padding-left: 0.8rem; border-left: 4px solid #c9c2b1; font-style: italic; }
blockquote p, p.said { margin: 0.2rem 0; }
article.claim { display: grid; gap: 0.8rem; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0.8rem 1rem; margin: 0.8rem 0; }
article.claim .side.other { border-left: 3px solid #d9a3a0; padding-left: 0.8rem; }
article.conflict .topic { grid-column: 1 / -1; margin: 0; }
.none { color: var(--muted); font-style: italic; }
.who { font-weight: 600; margin: 0.3rem 0 0; }
.who + p { margin-top: 0.1rem; }
.sources-say { color: var(--muted); font-size: 0.9rem; }
.scroll { overflow-x: auto; }
.doc-page pre { background: #f1eee6; border: 1px solid var(--line); border-radius: 6px; padding: 0.6rem 0.8rem; overflow-x: auto; }
.doc-page pre code { background: none; padding: 0; }
.doc-page blockquote { margin: 0.8rem 0; padding: 0 1rem; border-left: 4px solid var(--line); color: var(--muted); }
table.doc { border-collapse: collapse; background: var(--card); }
table.doc th, table.doc td { text-align: left; padding: 0.35rem 0.6rem; border: 1px solid var(--line); vertical-align: top; }
table.sources { border-collapse: collapse; width: 100%; background: var(--card); }
table.sources caption { text-align: left; color: var(--muted); padding: 0.3rem 0; }
table.sources th, table.sources td { text-align: left; padding: 0.4rem 0.6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
.num { text-align: right !important; font-variant-numeric: tabular-nums; }
.pager { display: flex; justify-content: space-between; align-items: center; gap: 1rem; margin: 1.5rem 0; }
.meta, .legend { color: var(--muted); }
article.article { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem 1.2rem; max-width: 46rem; }
article.article p.text { white-space: pre-line; unicode-bidi: isolate; }
mark.cite { background: var(--mark); color: inherit; border-bottom: 2px solid var(--mark-edge); padding: 0.05em 0; scroll-margin: 30vh 0; }
mark.cite mark.cite { background: #ffeb99; }
/* Listed nested too, so a span inside another span is marked as strongly as any. */
mark.cite:target, mark.cite.is-target, mark.cite mark.cite:target, mark.cite mark.cite.is-target { background: var(--target); outline: 3px solid var(--target-edge); outline-offset: 1px; }
.legend mark.cite { padding: 0 0.2rem; }
.furniture { background: var(--grey); color: var(--grey-ink); border-radius: 6px; padding: 0.1rem 0.7rem; margin: 0.6rem 0; }
.furniture .why { font-size: 0.8rem; font-style: italic; margin: 0.3rem 0 0; }
.furniture p.text { margin: 0.2rem 0 0.4rem; }
ol.cited .what { font-size: 0.88rem; color: var(--muted); }
.kind-word { font-weight: 600; }
li:target { background: #fff4cc; outline: 2px solid var(--target-edge); }
figure.chart { margin: 1rem 0; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 0.5rem; }
figure.chart svg { display: block; max-width: none; }
figure.chart figcaption { font-size: 0.88rem; color: var(--muted); padding: 0.4rem 0.3rem 0; }
svg .axis { stroke: #6b6b6b; stroke-width: 1.5; }
svg .tick line { stroke: #6b6b6b; }
svg text { font: 12px system-ui, sans-serif; fill: #333; }
svg .row { stroke: #efefef; }
svg .mark circle, svg .mark rect { fill: #0a4f9e; }
svg .p-week rect { fill: #17806b; } svg .p-month rect { fill: #8a5a00; } svg .p-year rect { fill: #7b2d8b; }
svg .p-decade rect { fill: #b3261e; } svg .p-span rect { fill: #555; }
svg .mark:hover .row, svg .mark:focus .row { stroke: #f2a900; stroke-width: 3; }
footer.site { border-top: 1px solid var(--line); color: var(--muted); font-size: 0.9rem; }
footer.site p { max-width: 64rem; margin: 0.6rem auto; padding: 0 1rem; }
@media (max-width: 40rem) {
  h1 { font-size: 1.5rem; }
  form.search { margin-left: 0; width: 100%; }
  form.search input { flex: 1; min-width: 0; }
  article.article { padding: 0.3rem 0.7rem; }
  /* The sources table becomes one block per article: date and outlet, then the headline. */
  table.sources thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.sources tr { display: block; border-bottom: 1px solid var(--line); padding: 0.4rem 0; }
  table.sources td { display: inline; border: 0; padding: 0 0.5rem 0 0; }
  table.sources td:nth-child(3) { display: block; padding: 0.1rem 0 0; }
  table.sources td.num { display: none; }
}
`;

const SCRIPT = `(function () {
  'use strict';
  document.documentElement.classList.add('js');
  function markTarget() {
    document.querySelectorAll('.is-target').forEach(function (el) { el.classList.remove('is-target'); });
    var id = decodeURIComponent(location.hash.slice(1));
    if (!/^c-[0-9]+-[0-9]+$/.test(id)) return;
    var first = document.getElementById(id);
    if (!first) return;
    first.classList.add('is-target');
    document.querySelectorAll('[data-c="' + id + '"]').forEach(function (el) { el.classList.add('is-target'); });
    first.scrollIntoView({ block: 'center' });
    first.focus({ preventScroll: true });
  }
  window.addEventListener('hashchange', markTarget);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', markTarget);
  else markTarget();
})();
`;

const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#f2a900"/><text x="8" y="12.5" font-size="12" text-anchor="middle" font-family="serif" fill="#14213d">§</text></svg>';

/** A served file: its body, type and a strong validator. */
export interface Asset {
  body: string;
  type: string;
  etag: string;
}

function asset(body: string, type: string): Asset {
  return { body, type, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
}

/** The files under `/assets/`, by path. */
export const ASSETS: ReadonlyMap<string, Asset> = new Map([
  ['/assets/dossier.css', asset(CSS, 'text/css; charset=utf-8')],
  ['/assets/dossier.js', asset(SCRIPT, 'text/javascript; charset=utf-8')],
  ['/assets/favicon.svg', asset(FAVICON, 'image/svg+xml')],
]);
