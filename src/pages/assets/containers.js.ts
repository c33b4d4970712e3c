// assets/containers.js: every row of the home page's containers table as data (lib/row-data.ts),
// loaded by the home page and its containers-N pages.
import { model } from 'virtual:dockpeek/site';
import { rowScript } from '../../lib/row-data.ts';

export function GET(): Response {
  return new Response(rowScript(model.table, model.vocabulary.badgeSeverities), {
    headers: { 'content-type': 'text/javascript; charset=utf-8' },
  });
}
