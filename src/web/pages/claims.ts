/**
 * `/claims`: each contested claim as a row of two sides — who claims what, and who disputes it
 * — with its verification status and the sources' own words about verification; then the
 * conflicting reports, side by side. A claim is never shown as a fact.
 */
import { verificationWording } from '../../knowledge/claims.js';
import type { Claim, Conflict } from '../../knowledge/model.js';
import { html, type SafeHtml } from '../html.js';
import { citeLinks, href, page, pager, pageSlice, quoted, type PageContext } from '../layout.js';
import { CLAIMS_PATH, entityPath } from '../routes.js';

/** Claims per page. */
export const CLAIMS_PER_PAGE = 30;

function claimant(context: PageContext, who: Claim['claimant']): SafeHtml {
  const entity = who.entityId === undefined ? undefined : context.index.entity(who.entityId);
  return entity === undefined ? html`<bdi>${who.text}</bdi>` : html`<a href="${href(context, entityPath(entity.id))}"><bdi>${who.text}</bdi></a>`;
}

function verification(context: PageContext, claim: Claim): SafeHtml {
  const words = claim.verification.citations
    .map((c) => ({ c, wording: verificationWording(c.text) }))
    .filter((w) => w.wording !== undefined)
    .map(({ c, wording }) => html`<li>“<bdi>${wording?.words ?? ''}</bdi>”${citeLinks(context, [c])}</li>`);
  return html`<p class="status"><span class="badge status-${claim.verification.status}">${claim.verification.status}</span>${words.length === 0 ? html` No source says it could verify it.` : html` <span class="sources-say">The sources say:</span>`}</p>${words.length === 0 ? '' : html`<ul class="plain">${words}</ul>`}`;
}

function claimRow(context: PageContext, claim: Claim, n: number): SafeHtml {
  const disputes =
    claim.counterClaims.length === 0
      ? html`<p class="none">Nobody in the sources disputes it; nobody confirms it either.</p>`
      : html`<ul class="plain">${claim.counterClaims.map((k) => html`<li><p class="who">${claimant(context, k.claimant)}</p><p>${quoted(k.statement)}${citeLinks(context, k.citations)}</p></li>`)}</ul>`;
  return html`<article class="claim" aria-labelledby="claim-${n}">
<h2 id="claim-${n}" class="visually-hidden">Claim ${n}</h2>
<div class="side"><h3>Claimed by ${claimant(context, claim.claimant)}</h3><p>${quoted(claim.statement)}${citeLinks(context, claim.citations)}</p>${verification(context, claim)}</div>
<div class="side other"><h3>Disputed by</h3>${disputes}</div>
</article>`;
}

function conflictRow(context: PageContext, conflict: Conflict): SafeHtml {
  return html`<article class="claim conflict"><h3 class="topic"><bdi>${conflict.topic}</bdi></h3>${conflict.sides.map((side) => {
    const source = context.index.source(side.citation.sourceId);
    return html`<div class="side"><h4><bdi>${source?.outlet ?? side.citation.sourceId}</bdi></h4><p>${quoted(side.statement)}${citeLinks(context, [side.citation])}</p></div>`;
  })}</article>`;
}

/** The claims page. */
export function claimsPage(context: PageContext, asked: number): SafeHtml {
  const all = context.index.claims;
  const current = pageSlice(all, CLAIMS_PER_PAGE, asked);
  const conflicts = context.index.kb.conflicts;
  const offset = (current.page - 1) * CLAIMS_PER_PAGE;
  const main = html`<h1>Contested claims <span class="count">(${all.length})</span></h1>
<p class="lede">What each party claims, beside what disputes it, and whether any source could verify it. None of these is an established fact.</p>
${all.length === 0 ? html`<p>The articles report no claims that others dispute or could not verify.</p>` : current.items.map((c, i) => claimRow(context, c, offset + i + 1))}
${pager(current, (n) => href(context, `${CLAIMS_PATH}?page=${n}`), 'Claims pages')}
${current.page === 1 && conflicts.length > 0 ? html`<section aria-labelledby="h-conflicts"><h2 id="h-conflicts">Conflicting reports</h2>${conflicts.slice(0, 50).map((c) => conflictRow(context, c))}</section>` : ''}`;
  return page(context, { title: 'Claims', nav: 'claims' }, main);
}
