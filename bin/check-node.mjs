// Fails fast, with the fix, when a script runs on a Node older than the pinned 24 LTS.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `dockpeek-security needs Node 24 or newer; this is Node ${process.versions.node} (${process.execPath}).\n` +
      'Run it through npm (npm run …, npx dockpeek-security …), which uses the Node 24 pinned in devDependencies,\n' +
      'or install Node 24 LTS.\n',
  );
  process.exit(1);
}
