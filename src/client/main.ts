// The one client script (bundled by the build into assets/dockpeek.js, a classic script so it
// runs from file:// too, and a file so the CSP needs no inline script).
import { defineTable } from './define-table.ts';
import { defineFindings } from './findings.ts';
import { restoreBackLinks } from './table-url.ts';
import { refreshTimes } from './times.ts';
import { watchTooltips } from './tips.ts';
import { openDetailsForPrint } from './print.ts';

defineTable();
defineFindings();
restoreBackLinks();
watchTooltips();
openDetailsForPrint();
refreshTimes();
setInterval(() => refreshTimes(), 60_000);
